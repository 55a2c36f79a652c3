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

/** The tables the generator fills, in load order. */
const TABLES = ['User', 'Enrolment', 'LessonProgress', 'Certificate', 'PeriodCellStat', 'ActivePeriod', 'PeriodStat']

async function generate(n: number) {
	log(
		`Generating province ${PROVINCE}: ${n.toLocaleString('en')} residents, ${(4 * n).toLocaleString('en')} enrolments, ${(20 * n).toLocaleString('en')} lesson completions (${YEAR})`,
	)
	const total = performance.now()
	await syncCatalogue()
	await q(`SET maintenance_work_mem = '1GB'`)
	await q(`SET work_mem = '256MB'`)
	await q(`SET synchronous_commit = off`)
	await q(`SET max_parallel_maintenance_workers = 2`)

	// Secondary indexes, unique constraints and foreign keys of the loaded tables (and foreign keys
	// pointing at them) are dropped during the load and recreated afterwards: building an index once
	// is far cheaper than maintaining it through millions of inserts. Primary keys stay; rows are
	// inserted in key order.
	const tableList = TABLES.map((t) => `'"${t}"'::regclass`).join(',')
	const fks = (
		await q(`SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
		         WHERE contype = 'f' AND (conrelid IN (${tableList}) OR confrelid IN (${tableList}))`)
	).rows as { tbl: string; conname: string; def: string }[]
	const uniques = (
		await q(`SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
		         WHERE contype = 'u' AND conrelid IN (${tableList})`)
	).rows as { tbl: string; conname: string; def: string }[]
	const indexes = (
		await q(`SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
		         WHERE i.indrelid IN (${tableList}) AND NOT i.indisprimary
		           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`)
	).rows as { name: string; def: string }[]
	for (const fk of fks) await q(`ALTER TABLE ${fk.tbl} DROP CONSTRAINT "${fk.conname}"`)
	for (const u of uniques) await q(`ALTER TABLE ${u.tbl} DROP CONSTRAINT "${u.conname}"`)
	for (const ix of indexes) await q(`DROP INDEX ${ix.name}`)
	for (const t of TABLES) await q(`TRUNCATE "${t}" CASCADE`)

	// Deterministic pseudo-random attributes of resident i (inlined SQL functions, dropped at the end).
	await q(`
		CREATE FUNCTION bench_h(i bigint, salt int) RETURNS float8 IMMUTABLE LANGUAGE sql AS
		  $$ SELECT (hashint8extended(i, salt) & 4294967295)::float8 / 4294967296.0 $$;
		CREATE FUNCTION bench_id(prefix text, i bigint) RETURNS text IMMUTABLE LANGUAGE sql AS
		  $$ SELECT prefix || lpad(i::text, 8, '0') $$;
		CREATE FUNCTION bench_ageband(birth int, at timestamp) RETURNS text IMMUTABLE LANGUAGE sql AS $$
		  SELECT CASE WHEN birth IS NULL THEN ''
		              WHEN extract(year FROM at + interval '7 hours') - birth < 15 THEN 'under-15'
		              WHEN extract(year FROM at + interval '7 hours') - birth < 25 THEN '15-24'
		              WHEN extract(year FROM at + interval '7 hours') - birth < 40 THEN '25-39'
		              WHEN extract(year FROM at + interval '7 hours') - birth < 60 THEN '40-59'
		              ELSE '60+' END $$;
	`)
	// Lessons in learning order: courses by position, lessons by position; g is the global index. Only the
	// core courses (the "basic skills" set the figures were first measured on).
	await q(`
		CREATE TEMP TABLE bench_lesson AS
		SELECT l.id, l."courseId", c.position AS cpos, l.position AS lpos, c."lessonCount" AS n,
		       (row_number() OVER (ORDER BY c.position, l.position) - 1)::int AS g
		FROM "Lesson" l JOIN "Course" c ON c.id = l."courseId"
		WHERE l."retiredAt" IS NULL AND c."retiredAt" IS NULL AND c.core;
		CREATE TEMP TABLE bench_course AS
		SELECT c.id, c.position AS cpos, c."lessonCount" AS n, c.core,
		       (SELECT count(*) FROM bench_lesson b WHERE b.cpos <= c.position)::int AS upto
		FROM "Course" c WHERE c."retiredAt" IS NULL AND c.core;
	`)
	const shape = (await q(`SELECT (SELECT count(*) FROM bench_course)::int AS courses, (SELECT count(*) FROM bench_lesson)::int AS lessons`)).rows[0]
	if (shape.courses !== 4 || shape.lessons !== 21) throw new Error(`expected 4 core courses and 21 lessons, found ${shape.courses} and ${shape.lessons}`)
	// Every resident enrols in the four core courses; 80 % complete all 21 lessons, 20 % the first 16
	// (three courses): 0.8·21 + 0.2·16 = 20 completions per resident on average.
	await q(`CREATE FUNCTION bench_k(i bigint) RETURNS int IMMUTABLE LANGUAGE sql AS $$ SELECT CASE WHEN i % 5 = 0 THEN 16 ELSE 21 END $$`)
	// Registration between 1 January and 26 November (10:00–20:00 Vietnamese time, so the UTC and
	// Vietnamese days agree); course c is enrolled 7·(c−1) days later, lesson p on day p−1 of it.
	await q(`CREATE FUNCTION bench_reg(i bigint) RETURNS timestamp IMMUTABLE LANGUAGE sql AS
		$$ SELECT timestamp '${YEAR}-01-01 03:00' + floor(bench_h(i, 1) * 330)::int * interval '1 day' + (i % 36000) * interval '1 second' $$`)
	const communes = (await q(`SELECT code FROM "Commune" WHERE "provinceCode" = $1 ORDER BY code`, [PROVINCE])).rows.map((r) => r.code as string)
	log(`  ${communes.length} communes of province ${PROVINCE}`)
	// Communes of unequal size (a few towns, many small communes).
	await q(`CREATE TEMP TABLE bench_commune AS SELECT (ord - 1)::int AS k, code FROM unnest($1::text[]) WITH ORDINALITY AS t(code, ord)`, [communes])
	await q(`CREATE FUNCTION bench_commune_k(i bigint, n int) RETURNS int IMMUTABLE LANGUAGE sql AS $$ SELECT floor(n * power(bench_h(i, 2), 1.6))::int $$`)

	await timed('User', () =>
		q(
			`
		INSERT INTO "User" (id, "fullName", "birthYear", sex, "ethnicGroup", "learnerGroup", "provinceCode", "communeCode", "registeredVia", "createdAt", "updatedAt")
		SELECT bench_id('u', i), 'Người học ' || i, 1950 + floor(bench_h(i, 4) * 58)::int,
		       (CASE WHEN bench_h(i, 3) < 0.51 THEN 'FEMALE' ELSE 'MALE' END)::"Sex",
		       CASE WHEN bench_h(i, 5) < 0.53 THEN '03' WHEN bench_h(i, 5) < 0.70 THEN '08' WHEN bench_h(i, 5) < 0.86 THEN '01'
		            WHEN bench_h(i, 5) < 0.95 THEN '06' ELSE '09' END,
		       (CASE WHEN bench_h(i, 6) < 0.82 THEN 'RESIDENT' WHEN bench_h(i, 6) < 0.89 THEN 'OFFICIAL' WHEN bench_h(i, 6) < 0.95 THEN 'STUDENT' ELSE 'WORKER' END)::"LearnerGroup",
		       '${PROVINCE}', c.code, 'IMPORT', bench_reg(i), bench_reg(i)
		FROM generate_series(1, $1::bigint) i JOIN bench_commune c ON c.k = bench_commune_k(i, ${communes.length})
		ORDER BY i`,
			[n],
		),
	)
	await timed('Enrolment', () =>
		q(
			`
		INSERT INTO "Enrolment" (id, "userId", "courseId", "communeCode", "provinceCode", "createdAt", "completedAt")
		SELECT bench_id('e', i) || c.cpos, u.id, c.id, u."communeCode", u."provinceCode",
		       u."createdAt" + (c.cpos - 1) * 7 * interval '1 day' + interval '10 minutes',
		       CASE WHEN c.upto <= bench_k(i)
		            THEN u."createdAt" + (c.cpos - 1) * 7 * interval '1 day' + (c.n - 1) * interval '1 day' + interval '20 minutes' END
		FROM generate_series(1, $1::bigint) i JOIN "User" u ON u.id = bench_id('u', i) CROSS JOIN bench_course c
		ORDER BY 1`,
			[n],
		),
	)
	await timed('LessonProgress', () =>
		q(
			`
		INSERT INTO "LessonProgress" (id, "userId", "enrolmentId", "lessonId", "openedAt", "completedAt", source, "updatedAt")
		SELECT bench_id('p', i) || lpad(l.g::text, 2, '0'), bench_id('u', i), bench_id('e', i) || l.cpos, l.id, t.at, t.at, 'SELF', t.at
		FROM generate_series(1, $1::bigint) i CROSS JOIN bench_lesson l
		CROSS JOIN LATERAL (SELECT bench_reg(i) + (l.cpos - 1) * 7 * interval '1 day' + (l.lpos - 1) * interval '1 day' + interval '20 minutes' AS at) t
		WHERE l.g < bench_k(i)
		ORDER BY 1`,
			[n],
		),
	)
	await timed('Certificate', () =>
		q(`
		INSERT INTO "Certificate" (id, code, "userId", "enrolmentId", "courseId", "communeCode", "provinceCode", "recipientName", "issuedAt")
		SELECT 'c' || substr(e.id, 2), 'B' || substr(e.id, 2), e."userId", e.id, e."courseId", e."communeCode", e."provinceCode", 'Người học', e."completedAt"
		FROM "Enrolment" e WHERE e."completedAt" IS NOT NULL ORDER BY 1`),
	)
	await timed('rebuild indexes and unique constraints', async () => {
		for (const u of uniques) await q(`ALTER TABLE ${u.tbl} ADD CONSTRAINT "${u.conname}" ${u.def}`)
		for (const ix of indexes) await q(ix.def)
	})
	await timed('re-add and validate foreign keys', async () => {
		for (const fk of fks) await q(`ALTER TABLE ${fk.tbl} ADD CONSTRAINT "${fk.conname}" ${fk.def}`)
	})

	// The rollups, by GROUP BY from the raw rows, with the rules of rollup.server.ts: each event on
	// its Vietnamese day, in the learner's demographic cell at that moment (age band by the event's
	// year); enrolments and basic skills in the learner's commune, completions and certificates in
	// the enrolment's commune.
	const cell = (at: string) => `coalesce(u.sex::text, ''), bench_ageband(u."birthYear", ${at}), coalesce(u."ethnicGroup", ''), u."learnerGroup"::text`
	const day = (at: string) => `(${at} + interval '7 hours')::date`
	// Per day first (a scratch table), then per month, quarter and year as the app keeps them.
	await q(`CREATE UNLOGGED TABLE bench_daily ("communeCode" text, "provinceCode" text, day date, "courseId" text, sex text, "ageBand" text, "ethnicGroup" text, "learnerGroup" text,
	         registered int, enrolments int, completions int, certificates int, "basicSkills" int)`)
	await timed('per-day counts (GROUP BY over the raw tables)', () =>
		q(`
		INSERT INTO bench_daily ("communeCode", "provinceCode", day, "courseId", sex, "ageBand", "ethnicGroup", "learnerGroup", registered, enrolments, completions, certificates, "basicSkills")
		SELECT commune, province, d, course, sex, band, ethnic, grp, SUM(r), SUM(en), SUM(co), SUM(ce), SUM(bs)
		FROM (
		  SELECT u."communeCode" AS commune, u."provinceCode" AS province, ${day('u."createdAt"')} AS d, '' AS course, ${cell('u."createdAt"')}, 1 AS r, 0 AS en, 0 AS co, 0 AS ce, 0 AS bs
		    FROM "User" u WHERE u."communeCode" IS NOT NULL
		  UNION ALL
		  SELECT u."communeCode", u."provinceCode", ${day('e."createdAt"')}, e."courseId", ${cell('e."createdAt"')}, 0, 1, 0, 0, 0
		    FROM "Enrolment" e JOIN "User" u ON u.id = e."userId" WHERE u."communeCode" IS NOT NULL
		  UNION ALL
		  SELECT e."communeCode", e."provinceCode", ${day('e."completedAt"')}, e."courseId", ${cell('e."completedAt"')}, 0, 0, 1, 0, 0
		    FROM "Enrolment" e JOIN "User" u ON u.id = e."userId" WHERE e."completedAt" IS NOT NULL AND e."communeCode" IS NOT NULL
		  UNION ALL
		  SELECT c."communeCode", c."provinceCode", ${day('c."issuedAt"')}, c."courseId", ${cell('c."issuedAt"')}, 0, 0, 0, 1, 0
		    FROM "Certificate" c JOIN "User" u ON u.id = c."userId" WHERE c."communeCode" IS NOT NULL
		  UNION ALL
		  SELECT u."communeCode", u."provinceCode", ${day('b.at')}, '', ${cell('b.at')}, 0, 0, 0, 0, 1
		    FROM (SELECT e."userId", max(e."completedAt") AS at FROM "Enrolment" e JOIN bench_course c ON c.id = e."courseId" AND c.core
		          GROUP BY e."userId" HAVING count(e."completedAt") = (SELECT count(*) FROM bench_course WHERE core)) b
		    JOIN "User" u ON u.id = b."userId" WHERE u."communeCode" IS NOT NULL
		) x (commune, province, d, course, sex, band, ethnic, grp, r, en, co, ce, bs)
		GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`),
	)
	// Active: any enrolment, opened or completed lesson in the period; one row per learner and
	// month, quarter and year, in the cell of the learner at the first event (the same year).
	await timed('ActivePeriod (distinct learner × period from the raw tables)', () =>
		q(`
		INSERT INTO "ActivePeriod" ("userId", period, "communeCode", "provinceCode", sex, "ageBand", "ethnicGroup", "learnerGroup")
		SELECT a."userId", a.period, u."communeCode", u."provinceCode", ${cell('a.first')}
		FROM (
		  SELECT m."userId", p.period, min(m.first) AS first
		  FROM (
		    SELECT "userId", date_trunc('month', at + interval '7 hours') AS month, min(at) AS first
		    FROM (SELECT "userId", "createdAt" AS at FROM "Enrolment"
		          UNION ALL SELECT "userId", "openedAt" FROM "LessonProgress"
		          UNION ALL SELECT "userId", "completedAt" FROM "LessonProgress" WHERE "completedAt" IS NOT NULL) ev
		    GROUP BY 1, 2
		  ) m
		  CROSS JOIN LATERAL (VALUES (to_char(m.month, 'YYYY-MM')), (to_char(m.month, 'YYYY-"Q"Q')), (to_char(m.month, 'YYYY'))) p (period)
		  GROUP BY 1, 2
		) a
		JOIN "User" u ON u.id = a."userId"
		WHERE u."communeCode" IS NOT NULL
		ORDER BY 1, 2`),
	)
	await timed('PeriodStat and PeriodCellStat (from the per-day counts and ActivePeriod)', async () => {
		await q(`
		INSERT INTO "PeriodStat" ("communeCode", "provinceCode", period, "courseId", registered, enrolments, completions, certificates, "basicSkills", active)
		SELECT d."communeCode", d."provinceCode", p.period, d."courseId", SUM(registered), SUM(enrolments), SUM(completions), SUM(certificates), SUM("basicSkills"), 0
		FROM bench_daily d
		CROSS JOIN LATERAL (VALUES (to_char(d.day, 'YYYY-MM')), (to_char(d.day, 'YYYY-"Q"Q')), (to_char(d.day, 'YYYY'))) p (period)
		GROUP BY 1, 2, 3, 4`)
		await q(`
		INSERT INTO "PeriodStat" ("communeCode", "provinceCode", period, "courseId", active)
		SELECT "communeCode", "provinceCode", period, '', count(*) FROM "ActivePeriod" GROUP BY 1, 2, 3
		ON CONFLICT ("communeCode", period, "courseId") DO UPDATE SET active = EXCLUDED.active`)
		await q(`
		INSERT INTO "PeriodCellStat" ("communeCode", "provinceCode", period, sex, "ageBand", "ethnicGroup", "learnerGroup", registered, enrolments, completions, certificates, "basicSkills")
		SELECT d."communeCode", d."provinceCode", p.period, d.sex, d."ageBand", d."ethnicGroup", d."learnerGroup", SUM(registered), SUM(enrolments), SUM(completions), SUM(certificates), SUM("basicSkills")
		FROM bench_daily d
		CROSS JOIN LATERAL (VALUES (to_char(d.day, 'YYYY-MM')), (to_char(d.day, 'YYYY-"Q"Q')), (to_char(d.day, 'YYYY'))) p (period)
		GROUP BY 1, 2, 3, 4, 5, 6, 7`)
		await q(`
		INSERT INTO "PeriodCellStat" ("communeCode", "provinceCode", period, sex, "ageBand", "ethnicGroup", "learnerGroup", active)
		SELECT "communeCode", "provinceCode", period, sex, "ageBand", "ethnicGroup", "learnerGroup", count(*) FROM "ActivePeriod" GROUP BY 1, 2, 3, 4, 5, 6, 7
		ON CONFLICT ("communeCode", period, sex, "ageBand", "ethnicGroup", "learnerGroup") DO UPDATE SET active = EXCLUDED.active`)
		await q(`DROP TABLE bench_daily`)
	})
	await q(`DROP FUNCTION bench_commune_k, bench_reg, bench_k, bench_ageband, bench_id, bench_h`)
	await timed('VACUUM ANALYZE', async () => {
		for (const t of TABLES) await q(`VACUUM (ANALYZE) "${t}"`)
	})
	const counts = (
		await q(`SELECT (SELECT count(*) FROM "User")::int AS users, (SELECT count(*) FROM "Enrolment")::int AS enrolments,
		                (SELECT count(*) FROM "LessonProgress")::int AS lessons, (SELECT count(*) FROM "Certificate")::int AS certificates,
		                (SELECT count(*) FROM "PeriodCellStat")::int AS "periodCellStat", (SELECT count(*) FROM "PeriodStat")::int AS "periodStat",
		                (SELECT count(*) FROM "ActivePeriod")::int AS "activePeriod", pg_size_pretty(pg_database_size(current_database())) AS size`)
	).rows[0]
	log(`  generated in ${seconds(performance.now() - total)}: ${JSON.stringify(counts)}`)
}

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
	else await generate(RESIDENTS)
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
