/**
 * Do the rollups equal the raw tables? The oracle shared by the load run (tests/utils/load-check.ts)
 * and the database commands (db:backup, db:restore, db:move), which must run it on a database the
 * process did not open as its own: it takes a query function, not the app's Prisma client.
 *
 * Two checks, both valid on any database, whatever its history:
 * - per province, the breakdown rollup (PeriodCellStat) summed over every demographic cell of every
 *   year equals the counts of the raw rows (each event lands in exactly one year);
 * - for every commune and period, the breakdown rollup summed over its cells equals the indicator
 *   rollup (PeriodStat) summed over the courses, active learners included.
 */
export type ReadQuery = <T>(sql: string, params?: unknown[]) => Promise<T[]>

export const CHECKED_METRICS = ['registered', 'enrolments', 'completions', 'certificates', 'basicSkills'] as const
export type Counts = Record<(typeof CHECKED_METRICS)[number], number>

export interface RollupCheck {
	/** Per province: the yearly rollups summed, and the raw counts. */
	provinces: { provinceCode: string; rollups: Counts; raw: Counts }[]
	/** Provinces whose rollups differ from the raw tables. */
	provinceDrift: string[]
	/** Commune × period rows where the two rollup tables disagree. */
	cellDrift: number
}

export async function checkRollups(query: ReadQuery, { provinceCode }: { provinceCode?: string } = {}): Promise<RollupCheck> {
	const only = provinceCode ? [provinceCode] : []
	const where = (column: string) => (provinceCode ? `${column} = $1` : `${column} IS NOT NULL`)
	const roll = await query<Record<string, unknown>>(
		`SELECT "provinceCode", SUM(registered) AS registered, SUM(enrolments) AS enrolments, SUM(completions) AS completions,
		        SUM(certificates) AS certificates, SUM("basicSkills") AS "basicSkills"
		 FROM "PeriodCellStat" WHERE ${where('"provinceCode"')} AND period NOT LIKE '%-%' GROUP BY 1`,
		only,
	)
	const raw = await query<Record<string, unknown>>(
		`SELECT p."provinceCode",
		        (SELECT count(*) FROM "User" u WHERE u."provinceCode" = p."provinceCode") AS registered,
		        (SELECT count(*) FROM "Enrolment" e WHERE e."provinceCode" = p."provinceCode") AS enrolments,
		        (SELECT count(*) FROM "Enrolment" e WHERE e."provinceCode" = p."provinceCode" AND e."completedAt" IS NOT NULL) AS completions,
		        (SELECT count(*) FROM "Certificate" c WHERE c."provinceCode" = p."provinceCode") AS certificates,
		        (SELECT count(*) FROM "ClientEvent" ce JOIN "User" x ON x.id = ce."userId"
		          WHERE ce.kind = 'basic-skills' AND x."provinceCode" = p."provinceCode") AS "basicSkills"
		 FROM (SELECT DISTINCT "provinceCode" FROM "User" WHERE ${where('"provinceCode"')}
		       UNION SELECT DISTINCT "provinceCode" FROM "PeriodCellStat" WHERE ${where('"provinceCode"')}) p`,
		only,
	)
	const counts = (row: Record<string, unknown> | undefined) => Object.fromEntries(CHECKED_METRICS.map((m) => [m, Number(row?.[m] ?? 0)])) as Counts
	const codes = [...new Set([...only, ...[...roll, ...raw].map((r) => String(r.provinceCode))])].sort()
	const provinces = codes.map((code) => ({
		provinceCode: code,
		rollups: counts(roll.find((r) => r.provinceCode === code)),
		raw: counts(raw.find((r) => r.provinceCode === code)),
	}))
	const sums = 'SUM(registered) AS r, SUM(enrolments) AS e, SUM(completions) AS co, SUM(certificates) AS ce, SUM("basicSkills") AS b, SUM(active) AS a'
	const [drift] = await query<{ n: unknown }>(`
		WITH c AS (SELECT "communeCode", period, ${sums} FROM "PeriodCellStat" GROUP BY 1, 2),
		     p AS (SELECT "communeCode", period, ${sums} FROM "PeriodStat" GROUP BY 1, 2)
		SELECT count(*) AS n FROM c FULL JOIN p USING ("communeCode", period)
		WHERE (c.r, c.e, c.co, c.ce, c.b, c.a) IS DISTINCT FROM (p.r, p.e, p.co, p.ce, p.b, p.a)`)
	return {
		provinces,
		provinceDrift: provinces.filter((p) => JSON.stringify(p.rollups) !== JSON.stringify(p.raw)).map((p) => p.provinceCode),
		cellDrift: Number(drift?.n ?? 0),
	}
}

export function rollupsAgree(check: RollupCheck) {
	return check.provinceDrift.length === 0 && check.cellDrift === 0
}
