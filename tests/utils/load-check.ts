import { Prisma } from '#app/generated/prisma/client.ts'
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
/** SQL: the person `column` names holds no role (only residents are counted, docs/indicators.md). */
function RESIDENT(column: string) {
	return `NOT EXISTS (SELECT 1 FROM "RoleAssignment" ra WHERE ra."userId" = ${column})`
}
const RESIDENT_SQL = (column: string) => Prisma.raw(RESIDENT(column))

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
				(SELECT count(*) FROM "User" r WHERE r."registeredCommuneCode" = u."communeCode" AND ${RESIDENT_SQL('r.id')}) AS registered,
				(SELECT count(*) FROM "Enrolment" e WHERE e."communeCode" = u."communeCode" AND ${RESIDENT_SQL('e."userId"')}) AS enrolments,
				(SELECT count(*) FROM "Enrolment" e WHERE e."communeCode" = u."communeCode" AND e."completedAt" IS NOT NULL AND ${RESIDENT_SQL('e."userId"')}) AS completions,
				(SELECT count(*) FROM "Certificate" c WHERE c."communeCode" = u."communeCode" AND ${RESIDENT_SQL('c."userId"')}) AS certificates,
				(SELECT count(*) FROM "ClientEvent" ce JOIN "User" x ON x.id = ce."userId" WHERE ce.kind = 'basic-skills'
				   AND COALESCE(ce.result->>'communeCode', x."communeCode") = u."communeCode" AND ${RESIDENT_SQL('x.id')}) AS "basicSkills",
				(SELECT count(DISTINCT x.id) FROM "User" x
				 WHERE ${RESIDENT_SQL('x.id')} AND COALESCE((SELECT a."communeCode" FROM "ActivePeriod" a WHERE a."userId" = x.id AND a.period = ${periods[2]}), x."communeCode") = u."communeCode"
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

/**
 * The indicator rollups recomputed from the raw tables, independently of the write path, for every
 * commune, period (month, quarter, year) and course, and compared with PeriodStat; PeriodCellStat
 * summed over its cells compared with PeriodStat summed over the courses. Only residents (people who
 * hold no role) count (docs/indicators.md). Returns one line per difference (empty: none).
 * `communeCodes`: only these communes (tests sharing a database with other files).
 * - registered: on the day the account was created, in the resident's commune;
 * - enrolments: on the enrolment's date, in its commune; completions: on the day the last lesson of
 *   the course was first completed (the latest LessonProgress.completedAt, which Enrolment.completedAt
 *   must equal); certificates: on their issue date;
 * - basic skills: residents with every current core course complete, on the latest of those days;
 * - active: one per resident and period with an ActivePeriod row, and every raw activity (an
 *   enrolment, a lesson opened or completed, a quiz attempt) has its row.
 */
export async function figuresDrift(prisma: typeof Db, { communeCodes }: { communeCodes?: string[] } = {}): Promise<string[]> {
	const inCommunes = communeCodes ? { in: communeCodes } : { not: null }
	const { periodsOf } = await import('#app/kernel/calendar.ts')
	const drift: string[] = []
	const expected = new Map<string, number>()
	const count = (communeCode: string | null, at: Date, courseId: string, metric: string) => {
		if (!communeCode) return
		for (const period of periodsOf(at)) {
			const key = `${communeCode} ${period} ${metric}[${courseId}]`
			expected.set(key, (expected.get(key) ?? 0) + 1)
		}
	}
	const residents = await prisma.user.findMany({
		where: { roles: { none: {} }, communeCode: inCommunes },
		select: {
			id: true,
			communeCode: true,
			createdAt: true,
			enrolments: {
				select: { id: true, courseId: true, communeCode: true, createdAt: true, completedAt: true, lessons: { select: { openedAt: true, completedAt: true } } },
			},
			certificates: { select: { courseId: true, communeCode: true, issuedAt: true } },
			quizAttempts: { select: { occurredAt: true } },
		},
	})
	const core = (await prisma.course.findMany({ where: { core: true, retiredAt: null }, select: { id: true } })).map((c) => c.id)
	const holders = [...new Set((await prisma.roleAssignment.findMany({ select: { userId: true } })).map((r) => r.userId))]
	const active = new Set(
		(await prisma.activePeriod.findMany({ where: { userId: { notIn: holders } }, select: { userId: true, period: true, communeCode: true } })).map(
			(a) => `${a.userId} ${a.period}`,
		),
	)
	const activeRows = await prisma.activePeriod.groupBy({
		by: ['communeCode', 'period'],
		where: { userId: { notIn: holders }, ...(communeCodes ? { communeCode: { in: communeCodes } } : {}) },
		_count: { _all: true },
	})
	for (const a of activeRows) expected.set(`${a.communeCode} ${a.period} active[]`, a._count._all)
	for (const r of residents) {
		count(r.communeCode, r.createdAt, '', 'registered')
		const completedOn = new Map<string, Date>()
		const activity: Date[] = r.quizAttempts.map((q) => q.occurredAt)
		for (const e of r.enrolments) {
			count(e.communeCode, e.createdAt, e.courseId, 'enrolments')
			activity.push(e.createdAt, ...e.lessons.flatMap((l) => [l.openedAt, l.completedAt].filter((d): d is Date => d !== null)))
			if (!e.completedAt) continue
			const last = new Date(Math.max(...e.lessons.map((l) => l.completedAt?.getTime() ?? 0)))
			if (last.getTime() !== e.completedAt.getTime())
				drift.push(`enrolment ${e.id}: completedAt ${e.completedAt.toISOString()}, last lesson ${last.toISOString()}`)
			completedOn.set(e.courseId, last)
			count(e.communeCode, last, e.courseId, 'completions')
		}
		for (const c of r.certificates) count(c.communeCode, c.issuedAt, c.courseId, 'certificates')
		if (core.length && core.every((id) => completedOn.has(id))) {
			count(r.communeCode, new Date(Math.max(...core.map((id) => completedOn.get(id)!.getTime()))), '', 'basicSkills')
		}
		for (const at of activity)
			for (const period of periodsOf(at)) if (!active.has(`${r.id} ${period}`)) drift.push(`${r.id} ${period}: activity without its ActivePeriod row`)
	}
	const metrics = ['registered', 'enrolments', 'completions', 'certificates', 'basicSkills', 'active'] as const
	const actual = new Map<string, number>()
	for (const row of await prisma.periodStat.findMany({ where: communeCodes ? { communeCode: { in: communeCodes } } : {} })) {
		for (const metric of metrics) if (row[metric]) actual.set(`${row.communeCode} ${row.period} ${metric}[${row.courseId}]`, row[metric])
	}
	for (const key of new Set([...expected.keys(), ...actual.keys()])) {
		if ((expected.get(key) ?? 0) !== (actual.get(key) ?? 0)) drift.push(`${key}: rollup ${actual.get(key) ?? 0}, raw ${expected.get(key) ?? 0}`)
	}
	const sums = 'SUM(registered) AS r, SUM(enrolments) AS e, SUM(completions) AS co, SUM(certificates) AS ce, SUM("basicSkills") AS b, SUM(active) AS a'
	const cellDrift = await prisma.$queryRawUnsafe<{ communeCode: string; period: string }[]>(`
		WITH c AS (SELECT "communeCode", period, ${sums} FROM "PeriodCellStat" GROUP BY 1, 2),
		     p AS (SELECT "communeCode", period, ${sums} FROM "PeriodStat" GROUP BY 1, 2)
		SELECT "communeCode", period FROM c FULL JOIN p USING ("communeCode", period)
		WHERE (COALESCE(c.r, 0), COALESCE(c.e, 0), COALESCE(c.co, 0), COALESCE(c.ce, 0), COALESCE(c.b, 0), COALESCE(c.a, 0)) IS DISTINCT FROM (COALESCE(p.r, 0), COALESCE(p.e, 0), COALESCE(p.co, 0), COALESCE(p.ce, 0), COALESCE(p.b, 0), COALESCE(p.a, 0))`)
	for (const c of cellDrift.filter((c) => !communeCodes || communeCodes.includes(c.communeCode)))
		drift.push(`${c.communeCode} ${c.period}: breakdown cells differ from the indicators`)
	return drift.sort()
}
