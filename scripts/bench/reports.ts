/**
 * npm run bench:reports [-- --residents=1000000 --runs=7 --keep --reuse]
 *
 * On PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/hvs_bench_reports; the
 * database is dropped and created), generates a synthetic Sơn La (province 14, its 75 real
 * communes): N residents, 4·N enrolments (every resident in the four core courses; the courses that
 * are not core are left out, so the figures compare with earlier runs), 20·N lesson
 * completions spread over 2025, certificates, and the rollups (PeriodStat, PeriodCellStat, ActivePeriod)
 * computed by GROUP BY from those raw rows, so they hold exactly what the per-event writes would
 * have written (ADR 006). Generation is set-based SQL (generate_series, INSERT … SELECT) with the
 * secondary indexes and foreign keys dropped during the load and rebuilt after it.
 *
 * Then prints the median time of: the dashboard (getIndicators for the whole province, a year by
 * month), the full-year DHIS2 export (getIndicators + toDhis2 for every commune by month), each
 * breakdown, and the same per-commune, per-month aggregation computed directly from the raw tables,
 * and checks that the raw aggregation equals the rollups. Timings are printed, never asserted.
 *
 * --residents=N  scale (default 1,000,000); --runs=N timed runs per figure (default 7);
 * --raw-runs=N   runs of the raw-table aggregation (default 3; minutes each at full scale)
 * --keep         keep the database afterwards; --reuse  use it again if it holds N residents
 */
import pg from 'pg'
import { flag, numberArg } from './args.ts'
import { generateProvince } from './generate.ts'

const RESIDENTS = numberArg('residents', 1_000_000)
const RUNS = numberArg('runs', 7)
const RAW_RUNS = Math.max(1, numberArg('raw-runs', 3))
const PROVINCE = '14'
const YEAR = '2025'
const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hvs_bench_reports')
if (!/^postgres(ql)?:$/.test(url.protocol)) throw new Error('bench:reports needs a PostgreSQL DATABASE_URL')
const dbName = url.pathname.slice(1)
const adminUrl = new URL(url)
adminUrl.pathname = '/postgres'

const log = (s: string) => console.log(s)
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
	const started = performance.now()
	const result = await fn()
	log(`  ${label.padEnd(58)} ${seconds(performance.now() - started)}`)
	return result
}

async function adminQuery(sql: string) {
	const admin = new pg.Client({ connectionString: adminUrl.toString() })
	await admin.connect()
	try {
		return await admin.query(sql)
	} finally {
		await admin.end()
	}
}

async function databaseHolds(n: number) {
	const exists = await adminQuery(`SELECT 1 FROM pg_database WHERE datname = '${dbName}'`)
	if (!exists.rowCount) return false
	const client = new pg.Client({ connectionString: url.toString() })
	await client.connect()
	try {
		const r = await client.query(
			`SELECT (SELECT count(*) FROM "User" WHERE "provinceCode" = '${PROVINCE}')::int AS n, (SELECT count(*) FROM "PeriodStat")::int AS p`,
		)
		return r.rows[0].n === n && r.rows[0].p > 0
	} catch {
		return false
	} finally {
		await client.end()
	}
}

const reuse = flag('reuse') && (await databaseHolds(RESIDENTS))
if (!reuse) {
	await adminQuery(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)
	await adminQuery(`CREATE DATABASE "${dbName}"`)
}
process.env.DATABASE_URL = url.toString()
process.env.SEED_DEMO = '0'
// Importing the database module applies the migrations (schema and the 3,321 communes).
const { reportingDb, closeDb } = await import('#app/utils/db.server.ts')
const { syncCatalogue } = await import('#app/modules/course/catalogue-sync.server.ts')
const { getIndicators, getBreakdown, BREAKDOWNS } = await import('#app/modules/reporting/indicators.server.ts')
const { toDhis2 } = await import('#app/modules/reporting/export.server.ts')
const { dashboardData } = await import('#app/modules/reporting/dashboard.server.ts')
const { createApiToken } = await import('#app/features/api/api-token.server.ts')
const { indicatorsApiResponse } = await import('#app/features/api/indicators-api.server.ts')

const db = new pg.Client({ connectionString: url.toString() })
await db.connect()
const q = (sql: string, params: unknown[] = []) => db.query(sql, params)

/** The per-commune, per-month figures of the year computed from the raw tables (no rollups). */
async function rawAggregation() {
	const month = (at: string) => `to_char(${at} + interval '7 hours', 'YYYY-MM')`
	const from = `timestamp '${YEAR}-01-01' - interval '7 hours'`
	const to = `timestamp '${Number(YEAR) + 1}-01-01' - interval '7 hours'`
	const { rows } = await q(
		`
		WITH users AS (SELECT id, "communeCode" FROM "User" WHERE "provinceCode" = $1),
		reg AS (SELECT "communeCode" AS c, ${month('"createdAt"')} AS m, count(*) AS n FROM "User"
		        WHERE "provinceCode" = $1 AND "createdAt" >= ${from} AND "createdAt" < ${to} GROUP BY 1, 2),
		enr AS (SELECT u."communeCode" AS c, ${month('e."createdAt"')} AS m, count(*) AS n FROM "Enrolment" e JOIN users u ON u.id = e."userId"
		        WHERE e."createdAt" >= ${from} AND e."createdAt" < ${to} GROUP BY 1, 2),
		com AS (SELECT "communeCode" AS c, ${month('"completedAt"')} AS m, "courseId" AS course, count(*) AS n FROM "Enrolment"
		        WHERE "provinceCode" = $1 AND "completedAt" >= ${from} AND "completedAt" < ${to} GROUP BY 1, 2, 3),
		cer AS (SELECT "communeCode" AS c, ${month('"issuedAt"')} AS m, count(*) AS n FROM "Certificate"
		        WHERE "provinceCode" = $1 AND "issuedAt" >= ${from} AND "issuedAt" < ${to} GROUP BY 1, 2),
		bas AS (SELECT u."communeCode" AS c, ${month('b.at')} AS m, count(*) AS n
		        FROM (SELECT e."userId", max(e."completedAt") AS at FROM "Enrolment" e JOIN "Course" co ON co.id = e."courseId" AND co.core AND co."retiredAt" IS NULL
		              WHERE e."provinceCode" = $1 GROUP BY 1
		              HAVING count(e."completedAt") = (SELECT count(*) FROM "Course" WHERE core AND "retiredAt" IS NULL)) b
		        JOIN users u ON u.id = b."userId" WHERE b.at >= ${from} AND b.at < ${to} GROUP BY 1, 2),
		act AS (SELECT u."communeCode" AS c, ev.m, count(DISTINCT ev."userId") AS n
		        FROM (SELECT "userId", ${month('"createdAt"')} AS m FROM "Enrolment" WHERE "createdAt" >= ${from} AND "createdAt" < ${to}
		              UNION ALL SELECT "userId", ${month('"openedAt"')} FROM "LessonProgress" WHERE "openedAt" >= ${from} AND "openedAt" < ${to}
		              UNION ALL SELECT "userId", ${month('"completedAt"')} FROM "LessonProgress" WHERE "completedAt" >= ${from} AND "completedAt" < ${to}) ev
		        JOIN users u ON u.id = ev."userId" GROUP BY 1, 2)
		SELECT 'registered' AS metric, c, m, '' AS course, n::int FROM reg
		UNION ALL SELECT 'enrolments', c, m, '', n::int FROM enr
		UNION ALL SELECT 'completions', c, m, course, n::int FROM com
		UNION ALL SELECT 'certificates', c, m, '', n::int FROM cer
		UNION ALL SELECT 'basicSkills', c, m, '', n::int FROM bas
		UNION ALL SELECT 'active', c, m, '', n::int FROM act`,
		[PROVINCE],
	)
	return rows as { metric: string; c: string; m: string; course: string; n: number }[]
}

async function measure<T>(label: string, runs: number, fn: () => Promise<T>) {
	const times: number[] = []
	let result: T | undefined
	for (let i = 0; i < runs; i++) {
		const started = performance.now()
		result = await fn()
		times.push(performance.now() - started)
	}
	const m = median(times)
	const ms = (t: number) => (t >= 1000 ? seconds(t) : `${t.toFixed(0)} ms`)
	log(`  ${label.padEnd(58)} median ${ms(m)}, best ${ms(Math.min(...times))}  (runs: ${times.map((t) => t.toFixed(0)).join(', ')} ms)`)
	return { median: m, best: Math.min(...times), result: result! }
}

try {
	if (reuse) log(`Reusing ${dbName} (${RESIDENTS.toLocaleString('en')} residents).`)
	else {
		await syncCatalogue()
		await generateProvince(q, RESIDENTS, { province: PROVINCE, year: YEAR, log, timed })
	}
	const query = { provinceCode: PROVINCE, from: `${YEAR}-01`, to: `${YEAR}-12`, granularity: 'month' as const }
	const communeCodes = (await reportingDb.commune.findMany({ where: { provinceCode: PROVINCE }, select: { code: true } })).map((c) => c.code)
	log(`\nTimings on ${communeCodes.length} communes, ${YEAR} by month (Node ${process.version}, ${RUNS} runs; the first run includes warming up):`)
	const dashboard = await measure('dashboard: getIndicators, whole province', RUNS, () => getIndicators(query))
	const officer = { admin: false, provinceCodes: [PROVINCE], communeCodes: [] }
	await measure('dashboard page data (dashboardData, the page loader)', RUNS, () =>
		dashboardData(new Request(`http://localhost/province?from=${YEAR}-01&to=${YEAR}-12`), officer),
	)
	// A token works only while its creator holds a role covering its province: a real officer makes it.
	const {
		rows: [bench],
	} = await q(
		`INSERT INTO "User" (id, "fullName", "updatedAt") VALUES ('bench-officer', 'bench', now()) ON CONFLICT (id) DO UPDATE SET "fullName" = 'bench' RETURNING id`,
	)
	await q(`INSERT INTO "RoleAssignment" (id, "userId", role, "provinceCode") VALUES ('bench-officer', $1, 'PROVINCE_OFFICER', $2) ON CONFLICT DO NOTHING`, [
		bench.id,
		PROVINCE,
	])
	const { token } = await createApiToken({ scope: officer, actorId: bench.id, provinceCode: PROVINCE, name: 'bench:reports' })
	const api = await measure('API: GET /api/v1/indicators (token, rate limit, JSON, audit)', RUNS, async () => {
		const response = await indicatorsApiResponse(
			new Request(`http://localhost/api/v1/indicators?year=${YEAR}`, { headers: { Authorization: `Bearer ${token}` } }),
		)
		if (response.status !== 200) throw new Error(`API answered ${response.status}`)
		return (await response.text()).length
	})
	log(`    (API answer: ${(api.result / 1024).toFixed(0)} KB of JSON)`)
	const dhis2 = await measure('DHIS2 export: getIndicators + toDhis2 + JSON, every commune', RUNS, async () =>
		JSON.stringify(toDhis2(await getIndicators({ ...query, communeCodes }))),
	)
	const breakdowns: Record<string, number> = {}
	for (const by of BREAKDOWNS) breakdowns[by] = (await measure(`breakdown by ${by}: getBreakdown`, RUNS, () => getBreakdown(query, by))).median
	const raw = await measure('the same figures from the raw tables (SQL GROUP BY)', RAW_RUNS, rawAggregation)

	// The raw aggregation and the rollups must agree exactly.
	const report = dashboard.result
	const mismatches: string[] = []
	const expected = new Map<string, number>()
	for (const r of raw.result) {
		const key = r.metric === 'completions' ? `${r.c}|${r.m}|completions:${r.course}` : `${r.c}|${r.m}|${r.metric}`
		expected.set(key, r.n)
		if (r.metric === 'completions') expected.set(`${r.c}|${r.m}|completions`, (expected.get(`${r.c}|${r.m}|completions`) ?? 0) + r.n)
	}
	for (const row of report.rows) {
		const f = row.figures
		const actual: Record<string, number> = {
			registered: f.registered,
			enrolments: f.enrolments,
			completions: f.completions,
			certificates: f.certificates,
			basicSkills: f.basicSkills,
			active: f.active,
		}
		for (const [course, n] of Object.entries(f.completionsByCourse)) actual[`completions:${course}`] = n
		for (const [metric, n] of Object.entries(actual)) {
			const key = `${row.communeCode}|${row.period}|${metric}`
			if ((expected.get(key) ?? 0) !== n) mismatches.push(`${key}: rollup ${n}, raw ${expected.get(key) ?? 0}`)
			expected.delete(key)
		}
	}
	for (const [key, n] of expected) if (n !== 0) mismatches.push(`${key}: rollup 0, raw ${n}`)
	const totals = report.totals.reduce(
		(s, t) => ({
			registered: s.registered + t.figures.registered,
			enrolments: s.enrolments + t.figures.enrolments,
			completions: s.completions + t.figures.completions,
		}),
		{ registered: 0, enrolments: 0, completions: 0 },
	)
	log(`\n  province ${YEAR}: ${JSON.stringify(totals)}; year-end cumulative basic skills ${report.totals.at(-1)?.cumulative.basicSkills}`)
	log(
		mismatches.length
			? `✖ rollups differ from the raw tables in ${mismatches.length} figures, e.g. ${mismatches.slice(0, 5).join('; ')}`
			: '✔ every per-commune, per-month figure equals the raw tables',
	)
	log(
		`\nSummary: dashboard ${dashboard.median.toFixed(0)} ms (target < 300 ms), DHIS2 export ${dhis2.median.toFixed(0)} ms (target < 2,000 ms), breakdowns ${Object.entries(
			breakdowns,
		)
			.map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
			.join(', ')}, raw tables ${seconds(raw.median)}`,
	)
	process.exitCode = mismatches.length ? 1 : 0
} finally {
	await db.end()
	await closeDb()
	if (!flag('keep')) await adminQuery(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)
}
process.exit()
