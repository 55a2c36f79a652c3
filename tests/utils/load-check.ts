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

	// Province figures from the breakdown rollup (every demographic cell of every year) equal the raw
	// tables, and the breakdown rollup equals the indicator rollup for every commune and period: the
	// shared oracle (app/modules/counting/rollup-check.server.ts), also run by db:backup/restore/move.
	const { checkRollups } = await import('#app/modules/counting/rollup-check.server.ts')
	const shared = await checkRollups((text, params = []) => prisma.$queryRawUnsafe(text, ...params), { provinceCode: '14' })
	const { rollups, raw } = shared.provinces.find((p) => p.provinceCode === '14')!
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
		cellDrift: shared.cellDrift,
	}
}

export type LoadCheck = Awaited<ReturnType<typeof checkLoad>>

/**
 * The communes' rollups for every year against a recount of the raw rows (the shared oracle,
 * app/modules/counting/rollup-check.server.ts). Returns the rows that differ; used after moves and corrections.
 */
export async function yearlyDrift(prisma: typeof Db, communeCodes: string[]) {
	const { yearlyDrift: drift } = await import('#app/modules/counting/rollup-check.server.ts')
	return drift((text, params = []) => prisma.$queryRawUnsafe(text, ...params), communeCodes)
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
