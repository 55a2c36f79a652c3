import type { prisma as Db } from '#app/utils/db.server.ts'

/**
 * The oracle of a load run (scripts/bench/load.ts, asserted by tests/system/load.test.ts): after
 * residents sent quizzes concurrently (with replays), every write the server acknowledged is
 * stored exactly once, nothing is stored that was never sent, every attempt has its client event,
 * and the rollups equal counts from the raw tables: the province figures of the breakdown rollup
 * (PeriodCellStat), each commune's figures for this month, quarter and year (PeriodStat, active
 * learners included), and the breakdown rollup summed over its cells equals PeriodStat summed
 * over the courses, for every commune and period. Province 14 (Sơn La) is where the run writes.
 * Reads only; the database module is passed in because the caller opens it (after choosing it).
 */
export async function checkLoad(prisma: typeof Db, { sent, acknowledged, now = new Date() }: { sent: Set<string>; acknowledged: string[]; now?: Date }) {
	// Every acknowledged write exactly once; nothing that was never sent.
	const rows = await prisma.$queryRaw<{ clientId: string }[]>`SELECT "clientId" FROM "QuizAttempt"`
	const stored = new Map<string, number>()
	for (const r of rows) stored.set(r.clientId, (stored.get(r.clientId) ?? 0) + 1)
	const lost = new Set(acknowledged.filter((id) => !stored.has(id))).size
	const duplicated = [...stored.values()].filter((n) => n > 1).length
	const unknown = [...stored.keys()].filter((id) => !sent.has(id)).length
	const events = await prisma.clientEvent.count({ where: { kind: 'quiz.attempt' } })
	const attemptsWithoutEvent = rows.length - events

	// Province figures from the breakdown rollup (every demographic cell of every year) equal the raw tables.
	const [roll] = await prisma.$queryRaw<Record<string, bigint>[]>`
		SELECT SUM(registered) AS registered, SUM(enrolments) AS enrolments, SUM(completions) AS completions, SUM(certificates) AS certificates, SUM("basicSkills") AS "basicSkills"
		FROM "PeriodCellStat" WHERE "provinceCode" = '14' AND period NOT LIKE '%-%'`
	const raw = {
		registered: await prisma.user.count({ where: { registeredProvinceCode: '14' } }),
		enrolments: await prisma.enrolment.count({ where: { provinceCode: '14' } }),
		completions: await prisma.enrolment.count({ where: { provinceCode: '14', completedAt: { not: null } } }),
		certificates: await prisma.certificate.count({ where: { provinceCode: '14' } }),
		basicSkills: await prisma.clientEvent.count({ where: { kind: 'basic-skills' } }),
	}
	const rollups = Object.fromEntries(Object.keys(raw).map((k) => [k, Number(roll?.[k] ?? 0)])) as typeof raw
	// Commune figures for this month, quarter and year (PeriodStat) equal the raw tables, active
	// learners included (distinct residents with an enrolment, attempt or lesson in the period).
	const { periodsOf } = await import('#app/kernel/calendar.ts')
	const periods = periodsOf(now)
	const communeDrift = await prisma.$queryRaw<{ communeCode: string; period: string }[]>`
		WITH raw AS (
			-- A registration stays in the commune where it was counted (registeredCommuneCode), basic skills
			-- where the learner lived when reached (kept with its event), activity where the learner was
			-- first active in the period: docs/indicators.md, moves. A commune a learner moved out of counts too.
			SELECT u."communeCode",
				(SELECT count(*) FROM "User" r WHERE r."registeredCommuneCode" = u."communeCode") AS registered,
				(SELECT count(*) FROM "Enrolment" e WHERE e."communeCode" = u."communeCode") AS enrolments,
				(SELECT count(*) FROM "Enrolment" e WHERE e."communeCode" = u."communeCode" AND e."completedAt" IS NOT NULL) AS completions,
				(SELECT count(*) FROM "Certificate" c WHERE c."communeCode" = u."communeCode") AS certificates,
				(SELECT count(*) FROM "ClientEvent" ce JOIN "User" x ON x.id = ce."userId" WHERE ce.kind = 'basic-skills'
				   AND COALESCE(ce.result->>'communeCode', x."communeCode") = u."communeCode") AS "basicSkills",
				(SELECT count(DISTINCT x.id) FROM "User" x
				 WHERE COALESCE((SELECT a."communeCode" FROM "ActivePeriod" a WHERE a."userId" = x.id AND a.period = ${periods[2]}), x."communeCode") = u."communeCode"
				   AND (EXISTS (SELECT 1 FROM "Enrolment" e WHERE e."userId" = x.id) OR EXISTS (SELECT 1 FROM "QuizAttempt" q WHERE q."userId" = x.id))) AS active
			FROM (SELECT "communeCode" FROM "User" WHERE "provinceCode" = '14' UNION SELECT "registeredCommuneCode" FROM "User" WHERE "registeredProvinceCode" = '14') u
			WHERE u."communeCode" IS NOT NULL GROUP BY u."communeCode"
		), roll AS (
			SELECT "communeCode", period, SUM(registered) AS registered, SUM(enrolments) AS enrolments, SUM(completions) AS completions,
				SUM(certificates) AS certificates, SUM("basicSkills") AS "basicSkills", SUM(active) AS active
			FROM "PeriodStat" WHERE period IN (${periods[0]}, ${periods[1]}, ${periods[2]}) GROUP BY "communeCode", period
		)
		SELECT raw."communeCode", p.period FROM raw CROSS JOIN (VALUES (${periods[0]}), (${periods[1]}), (${periods[2]})) AS p(period)
		LEFT JOIN roll ON roll."communeCode" = raw."communeCode" AND roll.period = p.period
		WHERE (roll.registered, roll.enrolments, roll.completions, roll.certificates, roll."basicSkills", roll.active)
		      IS DISTINCT FROM (raw.registered, raw.enrolments, raw.completions, raw.certificates, raw."basicSkills", raw.active)`
	// The breakdown rollup, summed over the demographic cells, equals the indicator rollup summed
	// over the courses, for every commune and period (active learners included).
	const sums = 'SUM(registered) AS r, SUM(enrolments) AS e, SUM(completions) AS co, SUM(certificates) AS ce, SUM("basicSkills") AS b, SUM(active) AS a'
	const cellDrift = await prisma.$queryRawUnsafe<{ communeCode: string; period: string }[]>(`
		WITH c AS (SELECT "communeCode", period, ${sums} FROM "PeriodCellStat" GROUP BY 1, 2),
		     p AS (SELECT "communeCode", period, ${sums} FROM "PeriodStat" GROUP BY 1, 2)
		SELECT "communeCode", period FROM c FULL JOIN p USING ("communeCode", period)
		WHERE (c.r, c.e, c.co, c.ce, c.b, c.a) IS DISTINCT FROM (p.r, p.e, p.co, p.ce, p.b, p.a)`)
	const attemptsPerUser = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(DISTINCT "userId") AS n FROM "QuizAttempt"`
	return {
		attempts: rows.length,
		events,
		residentsWithAttempts: Number(attemptsPerUser[0]?.n ?? 0),
		lost,
		duplicated,
		unknown,
		attemptsWithoutEvent,
		rollups,
		raw,
		communeDrift: communeDrift.length,
		cellDrift: cellDrift.length,
	}
}

export type LoadCheck = Awaited<ReturnType<typeof checkLoad>>

/**
 * The communes' rollups for every year against a recount of the raw rows, each event in the commune
 * the counting rule puts it (docs/indicators.md): registrations where they were counted, enrolments,
 * completions and certificates in the enrolment's commune, basic skills where the learner lived
 * when reached, activity as ActivePeriod recorded it. Both rollup tables are compared. Returns the
 * rows that differ (none when the rollups are right); used after moves and corrections.
 */
export async function yearlyDrift(prisma: typeof Db, communeCodes: string[]) {
	const year = (column: string) => `to_char(${column} + interval '7 hours', 'YYYY')`
	const raw = `
		SELECT c AS "communeCode", y AS period, SUM(r) AS r, SUM(e) AS e, SUM(co) AS co, SUM(ce) AS ce, SUM(b) AS b, SUM(a) AS a FROM (
			SELECT "registeredCommuneCode" AS c, ${year('"createdAt"')} AS y, 1 AS r, 0 AS e, 0 AS co, 0 AS ce, 0 AS b, 0 AS a FROM "User" WHERE "registeredCommuneCode" IS NOT NULL
			UNION ALL SELECT "communeCode", ${year('"createdAt"')}, 0, 1, 0, 0, 0, 0 FROM "Enrolment" WHERE "communeCode" IS NOT NULL
			UNION ALL SELECT "communeCode", ${year('"completedAt"')}, 0, 0, 1, 0, 0, 0 FROM "Enrolment" WHERE "completedAt" IS NOT NULL AND "communeCode" IS NOT NULL
			UNION ALL SELECT "communeCode", ${year('"issuedAt"')}, 0, 0, 0, 1, 0, 0 FROM "Certificate" WHERE "communeCode" IS NOT NULL
			UNION ALL SELECT result->>'communeCode', ${year('"occurredAt"')}, 0, 0, 0, 0, 1, 0 FROM "ClientEvent" WHERE kind = 'basic-skills'
			UNION ALL SELECT "communeCode", period, 0, 0, 0, 0, 0, 1 FROM "ActivePeriod" WHERE period NOT LIKE '%-%'
		) events WHERE c = ANY($1) GROUP BY 1, 2`
	const sums = 'SUM(registered) AS r, SUM(enrolments) AS e, SUM(completions) AS co, SUM(certificates) AS ce, SUM("basicSkills") AS b, SUM(active) AS a'
	const rolled = (table: string) =>
		`SELECT "communeCode", period, ${sums} FROM "${table}" WHERE "communeCode" = ANY($1) AND period NOT LIKE '%-%' GROUP BY 1, 2`
	const drift = async (table: string) =>
		prisma.$queryRawUnsafe<{ communeCode: string; period: string }[]>(
			`WITH raw AS (${raw}), roll AS (${rolled(table)})
			SELECT COALESCE(raw."communeCode", roll."communeCode") AS "communeCode", COALESCE(raw.period, roll.period) AS period
			FROM raw FULL JOIN roll ON raw."communeCode" = roll."communeCode" AND raw.period = roll.period
			WHERE (raw.r, raw.e, raw.co, raw.ce, raw.b, raw.a) IS DISTINCT FROM (roll.r, roll.e, roll.co, roll.ce, roll.b, roll.a)`,
			communeCodes,
		)
	return [...(await drift('PeriodStat')), ...(await drift('PeriodCellStat'))]
}

/** Nothing lost, duplicated or unknown, and every rollup equal to the raw tables. */
export function loadCheckPassed(check: LoadCheck) {
	return (
		check.lost === 0 &&
		check.duplicated === 0 &&
		check.unknown === 0 &&
		check.attemptsWithoutEvent === 0 &&
		JSON.stringify(check.rollups) === JSON.stringify(check.raw) &&
		check.communeDrift === 0 &&
		check.cellDrift === 0
	)
}
