/**
 * Do the rollups equal the raw tables? The oracle shared by the load run (tests/utils/load-check.ts)
 * and the database commands (db:backup, db:restore, db:move), which must run it on a database the
 * process did not open as its own: it takes a query function, not the app's Prisma client.
 *
 * Three checks, all valid on any database, whatever its history (counting rules: docs/indicators.md —
 * a registration stays where it was counted, basic skills where the learner lived when reached):
 * - per province, the breakdown rollup (PeriodCellStat) summed over every demographic cell of every
 *   year equals the counts of the raw rows (each event lands in exactly one year);
 * - per commune and year, both rollup tables equal a recount of the raw rows (`yearlyDrift`);
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
	/** Commune × year rows where a rollup table differs from the recount of the raw rows. */
	communeYearDrift: number
	/** Commune × period rows where the two rollup tables disagree. */
	cellDrift: number
}

// Only residents are counted (docs/indicators.md): the recounts leave out everything of a person who
// holds a role (NOT EXISTS … RoleAssignment), as the rollups do.
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
		        (SELECT count(*) FROM "User" u WHERE u."registeredProvinceCode" = p."provinceCode" AND NOT EXISTS (SELECT 1 FROM "RoleAssignment" ra WHERE ra."userId" = u.id)) AS registered,
		        (SELECT count(*) FROM "Enrolment" e WHERE e."provinceCode" = p."provinceCode" AND NOT EXISTS (SELECT 1 FROM "RoleAssignment" ra WHERE ra."userId" = e."userId")) AS enrolments,
		        (SELECT count(*) FROM "Enrolment" e WHERE e."provinceCode" = p."provinceCode" AND e."completedAt" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "RoleAssignment" ra WHERE ra."userId" = e."userId")) AS completions,
		        (SELECT count(*) FROM "Certificate" c WHERE c."provinceCode" = p."provinceCode" AND NOT EXISTS (SELECT 1 FROM "RoleAssignment" ra WHERE ra."userId" = c."userId")) AS certificates,
		        (SELECT count(*) FROM "ClientEvent" ce JOIN "User" x ON x.id = ce."userId"
		          LEFT JOIN "Commune" reached ON reached.code = ce.result->>'communeCode'
		          WHERE ce.kind = 'basic-skills' AND COALESCE(reached."provinceCode", x."provinceCode") = p."provinceCode" AND NOT EXISTS (SELECT 1 FROM "RoleAssignment" ra WHERE ra."userId" = x.id)) AS "basicSkills"
		 FROM (SELECT DISTINCT "registeredProvinceCode" AS "provinceCode" FROM "User" WHERE ${where('"registeredProvinceCode"')}
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
		WHERE (COALESCE(c.r, 0), COALESCE(c.e, 0), COALESCE(c.co, 0), COALESCE(c.ce, 0), COALESCE(c.b, 0), COALESCE(c.a, 0)) IS DISTINCT FROM (COALESCE(p.r, 0), COALESCE(p.e, 0), COALESCE(p.co, 0), COALESCE(p.ce, 0), COALESCE(p.b, 0), COALESCE(p.a, 0))`)
	const communes = provinceCode
		? (await query<{ code: string }>(`SELECT code FROM "Commune" WHERE "provinceCode" = $1`, [provinceCode])).map((r) => r.code)
		: undefined
	return {
		provinces,
		provinceDrift: provinces.filter((p) => JSON.stringify(p.rollups) !== JSON.stringify(p.raw)).map((p) => p.provinceCode),
		communeYearDrift: (await yearlyDrift(query, communes)).length,
		cellDrift: Number(drift?.n ?? 0),
	}
}

export function rollupsAgree(check: RollupCheck) {
	return check.provinceDrift.length === 0 && check.communeYearDrift === 0 && check.cellDrift === 0
}

/**
 * The communes' rollups for every year against a recount of the raw rows, each event in the commune
 * the counting rule puts it (docs/indicators.md): registrations where they were counted, enrolments,
 * completions and certificates in the enrolment's commune, basic skills where the learner lived
 * when reached, activity as ActivePeriod recorded it. Both rollup tables are compared. Returns the
 * commune × year rows that differ (none when the rollups are right); all communes when none given.
 * An erasure deletes the person's ActivePeriod rows while the figures already reported stay
 * (app/modules/people/erasure.server.ts): active learners are not recounted in a commune where an
 * erased person was enrolled (the two rollup tables are still compared there, active included).
 */
export async function yearlyDrift(query: ReadQuery, communeCodes?: string[]) {
	const year = (column: string) => `to_char(${column} + interval '7 hours', 'YYYY')`
	const only = communeCodes ? 'WHERE c = ANY($1)' : 'WHERE c IS NOT NULL'
	const onlyRoll = communeCodes ? `"communeCode" = ANY($1) AND` : ''
	const raw = `
		SELECT c AS "communeCode", y AS period, SUM(r) AS r, SUM(e) AS e, SUM(co) AS co, SUM(ce) AS ce, SUM(b) AS b, SUM(a) AS a FROM (
			SELECT "registeredCommuneCode" AS c, ${year('"createdAt"')} AS y, 1 AS r, 0 AS e, 0 AS co, 0 AS ce, 0 AS b, 0 AS a FROM "User" x WHERE "registeredCommuneCode" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "RoleAssignment" ra WHERE ra."userId" = x.id)
			UNION ALL SELECT "communeCode", ${year('"createdAt"')}, 0, 1, 0, 0, 0, 0 FROM "Enrolment" x WHERE "communeCode" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "RoleAssignment" ra WHERE ra."userId" = x."userId")
			UNION ALL SELECT "communeCode", ${year('"completedAt"')}, 0, 0, 1, 0, 0, 0 FROM "Enrolment" x WHERE "completedAt" IS NOT NULL AND "communeCode" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "RoleAssignment" ra WHERE ra."userId" = x."userId")
			UNION ALL SELECT "communeCode", ${year('"issuedAt"')}, 0, 0, 0, 1, 0, 0 FROM "Certificate" x WHERE "communeCode" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "RoleAssignment" ra WHERE ra."userId" = x."userId")
			UNION ALL SELECT COALESCE(ce.result->>'communeCode', u."communeCode"), ${year('ce."occurredAt"')}, 0, 0, 0, 0, 1, 0
			          FROM "ClientEvent" ce JOIN "User" u ON u.id = ce."userId" WHERE ce.kind = 'basic-skills' AND NOT EXISTS (SELECT 1 FROM "RoleAssignment" ra WHERE ra."userId" = u.id)
			UNION ALL SELECT "communeCode", period, 0, 0, 0, 0, 0, 1 FROM "ActivePeriod" x WHERE period NOT LIKE '%-%' AND NOT EXISTS (SELECT 1 FROM "RoleAssignment" ra WHERE ra."userId" = x."userId")
		) events ${only} GROUP BY 1, 2`
	const sums = 'SUM(registered) AS r, SUM(enrolments) AS e, SUM(completions) AS co, SUM(certificates) AS ce, SUM("basicSkills") AS b, SUM(active) AS a'
	const rolled = (table: string) => `SELECT "communeCode", period, ${sums} FROM "${table}" WHERE ${onlyRoll} period NOT LIKE '%-%' GROUP BY 1, 2`
	const drift = (table: string) =>
		query<{ communeCode: string; period: string }>(
			`WITH raw AS (${raw}), roll AS (${rolled(table)}),
			erased AS (SELECT DISTINCT e."communeCode" AS c FROM "Enrolment" e JOIN "User" u ON u.id = e."userId" WHERE u."erasedAt" IS NOT NULL AND e."communeCode" IS NOT NULL)
			SELECT COALESCE(raw."communeCode", roll."communeCode") AS "communeCode", COALESCE(raw.period, roll.period) AS period
			FROM raw FULL JOIN roll ON raw."communeCode" = roll."communeCode" AND raw.period = roll.period
			-- A rollup row of zeros (a person's figures moved away by a role change) equals no row at all.
			WHERE (COALESCE(raw.r, 0), COALESCE(raw.e, 0), COALESCE(raw.co, 0), COALESCE(raw.ce, 0), COALESCE(raw.b, 0)) IS DISTINCT FROM (COALESCE(roll.r, 0), COALESCE(roll.e, 0), COALESCE(roll.co, 0), COALESCE(roll.ce, 0), COALESCE(roll.b, 0))
			   OR (COALESCE(raw.a, 0) IS DISTINCT FROM COALESCE(roll.a, 0) AND COALESCE(raw."communeCode", roll."communeCode") NOT IN (SELECT c FROM erased))`,
			communeCodes ? [communeCodes] : [],
		)
	return [...(await drift('PeriodStat')), ...(await drift('PeriodCellStat'))]
}
