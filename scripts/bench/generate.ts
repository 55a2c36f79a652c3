/**
 * A synthetic province for the benches (bench:reports on PostgreSQL, bench:move on PGlite): N
 * residents of its real communes, 4·N enrolments, about 20·N lesson completions, certificates, the
 * basic-skills events, and the rollups computed by GROUP BY from those rows, so they hold exactly
 * what the per-event writes would have written. Set-based SQL on any PostgreSQL the `q` function
 * reaches; the catalogue must be synced first.
 */
export type Query = (sql: string, params?: unknown[]) => Promise<{ rows: any[] }>
export type Timed = <T>(label: string, fn: () => Promise<T>) => Promise<T>

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** The tables the generator fills, in load order. */
const TABLES = ['User', 'Enrolment', 'LessonProgress', 'Certificate', 'ClientEvent', 'PeriodCellStat', 'ActivePeriod', 'PeriodStat']

export async function generateProvince(
	q: Query,
	n: number,
	{ province: PROVINCE, year: YEAR, log, timed, memory = '1GB' }: { province: string; year: string; log: (s: string) => void; timed: Timed; memory?: string },
) {
	log(
		`Generating province ${PROVINCE}: ${n.toLocaleString('en')} residents, ${(4 * n).toLocaleString('en')} enrolments, ${(20 * n).toLocaleString('en')} lesson completions (${YEAR})`,
	)
	const total = performance.now()
	await q(`SET maintenance_work_mem = '${memory}'`)
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
	// Lessons in learning order: courses by position, lessons by position; g is the global index.
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
	if (shape.courses !== 4 || shape.lessons !== 21) throw new Error(`expected 4 courses and 21 lessons, found ${shape.courses} and ${shape.lessons}`)
	// Every resident enrols in the four courses; 80 % complete all 21 lessons, 20 % the first 16
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
		INSERT INTO "User" (id, "fullName", "birthYear", sex, "ethnicGroup", "learnerGroup", "provinceCode", "communeCode", "registeredProvinceCode", "registeredCommuneCode", "registeredVia", "createdAt", "updatedAt")
		SELECT bench_id('u', i), 'Người học ' || i, 1950 + floor(bench_h(i, 4) * 58)::int,
		       (CASE WHEN bench_h(i, 3) < 0.51 THEN 'FEMALE' ELSE 'MALE' END)::"Sex",
		       CASE WHEN bench_h(i, 5) < 0.53 THEN '03' WHEN bench_h(i, 5) < 0.70 THEN '08' WHEN bench_h(i, 5) < 0.86 THEN '01'
		            WHEN bench_h(i, 5) < 0.95 THEN '06' ELSE '09' END,
		       (CASE WHEN bench_h(i, 6) < 0.82 THEN 'RESIDENT' WHEN bench_h(i, 6) < 0.89 THEN 'OFFICIAL' WHEN bench_h(i, 6) < 0.95 THEN 'STUDENT' ELSE 'WORKER' END)::"LearnerGroup",
		       '${PROVINCE}', c.code, '${PROVINCE}', c.code, 'IMPORT', bench_reg(i), bench_reg(i)
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
	// The basic-skills event the app records when a learner completes every core course (its id is
	// what progress.server.ts checks), so the rollups' basic skills have their raw rows too.
	await timed('ClientEvent (basic skills)', () =>
		q(`
		INSERT INTO "ClientEvent" (id, "userId", kind, "occurredAt", "receivedAt", result)
		SELECT 'basic-skills:' || e."userId", e."userId", 'basic-skills', max(e."completedAt"), max(e."completedAt"),
		       jsonb_build_object('communeCode', min(e."communeCode"), 'provinceCode', '${PROVINCE}')
		FROM "Enrolment" e JOIN bench_course c ON c.id = e."courseId" AND c.core
		GROUP BY e."userId" HAVING count(e."completedAt") = (SELECT count(*) FROM bench_course WHERE core)`),
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
