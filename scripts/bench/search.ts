/**
 * npm run bench:search [-- --residents=100000 --database=postgres://postgres@127.0.0.1:5432/hvs_bench_search --keep]
 *
 * Staff search at scale (issue #20; figures in docs/benchmarks.md). Makes a province (14, its real
 * communes, of unequal size as scripts/bench/generate.ts spreads them) of N residents with
 * Vietnamese, Thái and Mông names, villages and unique phone numbers, each enrolled in the four core
 * courses (set-based SQL), in a fresh PGlite folder — or, with --database, in that PostgreSQL
 * database (dropped and created; dropped again afterwards unless --keep). Then runs
 * `searchResidents` — the function the /staff/residents page calls, count and first page together —
 * for ~50 queries typed without accents ("lo thi mai", a phone prefix, a village…), as the staff of
 * the largest commune and as a province officer allowed to see the province's residents, and prints
 * p50/p95 per kind and the plan kind PostgreSQL chose for the count (EXPLAIN of the same WHERE
 * clause written out in SQL). Timings are printed, never asserted.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { flag, numberArg } from './args.ts'

const RESIDENTS = numberArg('residents', 100_000)
const PROVINCE = '14'
const databaseArg = process.argv.find((a) => a.startsWith('--database='))?.slice('--database='.length)
const dir = databaseArg ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-bench-search-'))

if (databaseArg) {
	const url = new URL(databaseArg)
	if (!/^postgres(ql)?:$/.test(url.protocol)) throw new Error('--database takes a postgres:// URL')
	await adminQuery(`DROP DATABASE IF EXISTS "${url.pathname.slice(1)}" WITH (FORCE)`)
	await adminQuery(`CREATE DATABASE "${url.pathname.slice(1)}"`)
	process.env.DATABASE_URL = url.toString()
} else process.env.DATABASE_URL = `file:${path.join(dir!, 'pglite')}`
process.env.SEED_DEMO = '0'
// Importing the database module applies the migrations (schema and the 3,321 communes).
const { prisma, closeDb, dbInfo } = await import('#app/utils/db.server.ts')
const { syncCatalogue } = await import('#app/modules/course/catalogue-sync.server.ts')
const { searchResidents } = await import('#app/features/workspace/workspace.server.ts')
const { personalDataScope, scopeFromRoles } = await import('#app/kernel/scope.ts')
const { foldForSearch } = await import('#app/kernel/search-fold.ts')

const q = (sql: string, ...params: unknown[]) => prisma.$queryRawUnsafe<any[]>(sql, ...params)
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

const FAMILY = [
	'Lò',
	'Cầm',
	'Quàng',
	'Lường',
	'Tòng',
	'Vì',
	'Hà',
	'Điêu',
	'Sùng',
	'Giàng',
	'Mùa',
	'Thào',
	'Nguyễn',
	'Trần',
	'Lê',
	'Phạm',
	'Hoàng',
	'Đinh',
	'Bạc',
	'Lù',
]
const MIDDLE = ['Văn', 'Thị', 'A', 'Thị Thu', 'Văn Minh', 'Thị Ngọc']
const GIVEN = [
	'Mai',
	'Hùng',
	'Lan',
	'Xuân',
	'Chinh',
	'Pó',
	'Súa',
	'Dế',
	'Hoa',
	'Thanh',
	'Phương',
	'Tuấn',
	'Dũng',
	'Hương',
	'Nga',
	'Khánh',
	'Sơn',
	'Thủy',
	'Hải',
	'Quân',
	'Minh',
	'Ánh',
	'Tâm',
	'Vân',
	'Duyên',
	'Lợi',
	'Hạnh',
	'Kiên',
	'Bình',
	'Nhung',
]
const VILLAGES = [
	'Bản Hụm',
	'Bản Nà Sản',
	'Bản Co Mạ',
	'Bản Pá Ban',
	'Bản Nà Lốc',
	'Bản Hua Trai',
	'Bản Mường Chùm',
	'Bản Lọng Luông',
	'Tổ dân phố 3',
	'Tiểu khu 5',
	'Bản Ít Lót',
	'Bản Phiêng Ban',
]

const started = performance.now()
await syncCatalogue()
const communes = (await q(`SELECT code FROM "Commune" WHERE "provinceCode" = $1 ORDER BY code`, PROVINCE)).map((r) => r.code as string)
console.log(`Generating ${RESIDENTS.toLocaleString('en')} residents in ${communes.length} communes of province ${PROVINCE} (${dbInfo.kind})`)
// Deterministic pseudo-random attributes of resident i, as in generate.ts.
await q(`CREATE OR REPLACE FUNCTION bench_h(i bigint, salt int) RETURNS float8 IMMUTABLE LANGUAGE sql AS
	$$ SELECT (hashint8extended(i, salt) & 4294967295)::float8 / 4294967296.0 $$`)
const pick = (list: string[], salt: number) => `(${sqlArray(list)})[1 + floor(bench_h(i, ${salt}) * ${list.length})::int]`
let t = performance.now()
// Phones 03xxxxxxxx: i·7919 mod 10⁸ is one-to-one for i < 10⁸ (7919 is prime to 10⁸), so all unique.
await q(
	`INSERT INTO "User" (id, phone, "fullName", "birthYear", sex, "learnerGroup", "provinceCode", "communeCode", village,
	   "registeredProvinceCode", "registeredCommuneCode", "registeredVia", "createdAt", "updatedAt")
	 SELECT 'u' || lpad(i::text, 8, '0'), '03' || lpad(((i * 7919) % 100000000)::text, 8, '0'),
	        ${pick(FAMILY, 11)} || ' ' || ${pick(MIDDLE, 12)} || ' ' || ${pick(GIVEN, 13)},
	        1950 + floor(bench_h(i, 4) * 58)::int, (CASE WHEN bench_h(i, 3) < 0.51 THEN 'FEMALE' ELSE 'MALE' END)::"Sex", 'RESIDENT',
	        $2, c.code, ${pick(VILLAGES, 14)}, $2, c.code, 'IMPORT', now(), now()
	 FROM generate_series(1, $1::bigint) i
	 JOIN unnest($3::text[]) WITH ORDINALITY AS c(code, k) ON c.k = 1 + floor(${communes.length} * power(bench_h(i, 2), 1.6))::int`,
	RESIDENTS,
	PROVINCE,
	communes,
)
console.log(`  User ${seconds(performance.now() - t)}`)
t = performance.now()
await q(
	`INSERT INTO "Enrolment" (id, "userId", "courseId", "communeCode", "provinceCode", "createdAt")
	 SELECT 'e' || substr(u.id, 2) || c.position, u.id, c.id, u."communeCode", u."provinceCode", now()
	 FROM "User" u CROSS JOIN "Course" c WHERE u."provinceCode" = $1 AND c.core AND c."retiredAt" IS NULL`,
	PROVINCE,
)
console.log(`  Enrolment ${seconds(performance.now() - t)}`)
await q('ANALYZE')
console.log(`Generated in ${seconds(performance.now() - started)}\n`)

const [largest] = await q(`SELECT "communeCode" AS code, count(*)::int AS n FROM "User" WHERE "provinceCode" = $1 GROUP BY 1 ORDER BY 2 DESC LIMIT 1`, PROVINCE)
const scopes = {
	[`commune staff (${largest.code}, ${largest.n.toLocaleString('en')} residents)`]: personalDataScope(
		scopeFromRoles([{ role: 'COMMUNE_STAFF', communeCode: largest.code, provinceCode: null, personalDataExport: false }]),
	),
	[`province officer (${RESIDENTS.toLocaleString('en')} residents)`]: personalDataScope(
		scopeFromRoles([{ role: 'PROVINCE_OFFICER', communeCode: null, provinceCode: PROVINCE, personalDataExport: true }]),
	),
}
// ~50 searches, typed as staff type them: no accents, lower case, partial.
const phones = (await q(`SELECT phone FROM "User" WHERE "communeCode" = $1 ORDER BY id LIMIT 10`, largest.code)).map((r) => r.phone as string)
const QUERIES: { kind: string; search: { q?: string; village?: string } }[] = [
	...[
		'lo thi mai',
		'cam van hung',
		'quang thi lan',
		'giang a sua',
		'sung a chinh',
		'nguyen thi thu huong',
		'ha van son',
		'tong thi hoa',
		'lu van binh',
		'dieu thi nga',
	].map((q) => ({ kind: 'full name', search: { q } })),
	...['mai', 'hung', 'thi lan', 'cam', 'lo', 'thao a', 'nhung', 'van minh', 'xuan', 'hanh'].map((q) => ({ kind: 'part of a name', search: { q } })),
	...['ban hum', 'khong co ai', 'tran van zzz', 'ban na san'].map((q) => ({ kind: 'no such name', search: { q } })),
	...phones.flatMap((p) => [p.slice(0, 5), p.slice(0, 7)]).map((q) => ({ kind: 'phone prefix', search: { q } })),
	...phones.slice(0, 6).map((p) => ({ kind: 'whole phone', search: { q: p } })),
	...['ban hum', 'na san', 'to dan pho 3', 'tieu khu'].map((village) => ({ kind: 'village filter', search: { village } })),
]

/** The plan PostgreSQL chooses for the count: the WHERE clause of searchResidents written out in SQL. */
async function planKind(scope: ReturnType<typeof personalDataScope>, search: { q?: string; village?: string }) {
	const where = [
		`(u."communeCode" = ANY($1) OR u."provinceCode" = ANY($2))`,
		`NOT EXISTS (SELECT 1 FROM "RoleAssignment" r WHERE r."userId" = u.id)`,
		`u."erasedAt" IS NULL`,
	]
	const params: unknown[] = [scope.communeCodes, scope.provinceCodes]
	if (search.q) {
		params.push(`%${foldForSearch(search.q)}%`)
		const digits = search.q.replace(/\D/g, '')
		if (digits.length >= 3) {
			params.push(`%${digits}%`)
			where.push(`(u."nameFolded" LIKE $3 OR u.phone LIKE $4)`)
		} else where.push(`u."nameFolded" LIKE $3`)
	}
	if (search.village) {
		params.push(`%${foldForSearch(search.village)}%`)
		where.push(`u."villageFolded" LIKE $${params.length}`)
	}
	const [row] = await q(`EXPLAIN (FORMAT JSON) SELECT count(*) FROM "User" u WHERE ${where.join(' AND ')}`, ...params)
	const plan = (typeof row['QUERY PLAN'] === 'string' ? JSON.parse(row['QUERY PLAN']) : row['QUERY PLAN'])[0].Plan
	const scans: string[] = []
	const walk = (node: any) => {
		if (node['Relation Name'] === 'User') scans.push(`${node['Node Type']}${node['Index Name'] ? ` (${node['Index Name']})` : ''}`)
		for (const child of node.Plans ?? []) walk(child)
	}
	walk(plan)
	return scans.join(' + ') || plan['Node Type']
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!
const ms = (x: number) => `${x.toFixed(0)} ms`
try {
	for (const [label, scope] of Object.entries(scopes)) {
		console.log(`${label}: ${QUERIES.length} searches`)
		// One search first, so connection set-up and the first plan are not in the figures.
		await searchResidents(scope, { q: 'warm up', page: 1 })
		const all: number[] = []
		const byKind = new Map<string, { times: number[]; totals: number[]; plans: Set<string> }>()
		for (const { kind, search } of QUERIES) {
			const s = performance.now()
			const result = await searchResidents(scope, { ...search, page: 1 })
			const took = performance.now() - s
			all.push(took)
			const entry = byKind.get(kind) ?? { times: [], totals: [], plans: new Set() }
			entry.times.push(took)
			entry.totals.push(result.total)
			entry.plans.add(await planKind(scope, search))
			byKind.set(kind, entry)
		}
		for (const [kind, e] of byKind) {
			console.log(
				`  ${kind.padEnd(16)} n=${String(e.times.length).padStart(2)}  p50 ${ms(pct(e.times, 50)).padStart(7)}  p95 ${ms(pct(e.times, 95)).padStart(7)}  found ${Math.min(...e.totals)}–${Math.max(...e.totals)}  plan: ${[...e.plans].join(' | ')}`,
			)
		}
		console.log(`  ${'all'.padEnd(16)} n=${String(all.length).padStart(2)}  p50 ${ms(pct(all, 50)).padStart(7)}  p95 ${ms(pct(all, 95)).padStart(7)}\n`)
	}
	console.log(`${os.cpus().length} cores, Node ${process.version}, ${dbInfo.kind}`)
} finally {
	await closeDb()
	if (flag('keep')) console.log(`kept: ${dir ?? databaseArg}`)
	else if (dir) fs.rmSync(dir, { recursive: true, force: true })
	else await adminQuery(`DROP DATABASE IF EXISTS "${new URL(databaseArg!).pathname.slice(1)}" WITH (FORCE)`)
}

/** A statement on the server's `postgres` database (to drop and create the bench database). */
async function adminQuery(sql: string) {
	const url = new URL(databaseArg!)
	url.pathname = '/postgres'
	const admin = new pg.Client({ connectionString: url.toString() })
	await admin.connect()
	try {
		await admin.query(sql)
	} finally {
		await admin.end()
	}
}

function sqlArray(list: string[]) {
	return `ARRAY[${list.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')}]`
}
