/**
 * npm run bench:import [-- --rows=10000 --per-row]
 *
 * Generates a residents CSV (semicolon separated, with BOM, as Excel writes it in a Vietnamese
 * locale) and runs it through the import's domain functions on a fresh database: preview
 * (parse, check, classify against the users table, store the job) and confirm (one transaction).
 * Then checks that every row was imported once and the rollups count them exactly, and that a
 * second upload of the same file imports nobody. Prints the times; target: 10,000 rows < 30 s.
 *
 * Database: a fresh embedded PGlite folder in a temporary directory (as the app runs by default);
 * with DATABASE_URL=postgres://…/name, a throwaway database name_bench_import_<pid> on that server.
 * --per-row also times registering the same number of residents one registerResident() call at a
 * time inside one transaction (what the import would cost without batching), for comparison.
 * Exit code 1 when the figures are wrong or the target is missed.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { flag, numberArg } from './args.ts'

const ROWS = numberArg('rows', 10_000)
const PER_ROW = flag('per-row')
const TARGET_SECONDS = 30
const COMMUNE = '03721'

const given = process.env.DATABASE_URL
let cleanup = async () => {}
if (given && /^postgres/.test(given)) {
	const url = new URL(given)
	const name = `${url.pathname.slice(1) || 'hocvuso'}_bench_import_${process.pid}`
	const admin = new URL(given)
	admin.pathname = '/postgres'
	const client = new pg.Client({ connectionString: admin.toString() })
	await client.connect()
	await client.query(`CREATE DATABASE "${name}"`)
	await client.end()
	url.pathname = `/${name}`
	process.env.DATABASE_URL = url.toString()
	cleanup = async () => {
		const c = new pg.Client({ connectionString: admin.toString() })
		await c.connect()
		await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
		await c.end()
	}
} else {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-bench-import-'))
	process.env.DATABASE_URL = `file:${dir}/db`
	cleanup = async () => fs.rmSync(dir, { recursive: true, force: true })
}
process.env.SEED_DEMO = '0'

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`
async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
	const started = performance.now()
	const result = await fn()
	return [result, performance.now() - started]
}

const opened = performance.now()
const { prisma, closeDb, dbInfo } = await import('#app/utils/db.server.ts')
const { registerResident } = await import('#app/modules/people/people.server.ts')
const { grantRole } = await import('#app/modules/people/staff.server.ts')
const { checkRows, confirmImport, parseResidentsCsv, previewImport } = await import('#app/modules/people/import.server.ts')
await prisma.commune.count()
console.log(`Node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`)
console.log(`Database: ${dbInfo.kind} (${dbInfo.location}), fresh, migrated in ${seconds(performance.now() - opened)}`)

const { id: staffId } = await registerResident({
	phone: '0912999000',
	profile: { fullName: 'Cán Bộ Đo', birthYear: 1985, sex: 'FEMALE', ethnicGroup: '03', learnerGroup: 'OFFICIAL', provinceCode: '14', communeCode: COMMUNE },
	via: 'SEED',
})
await grantRole({ userId: staffId, role: 'COMMUNE_STAFF', communeCode: COMMUNE, grantedById: null })
const scope = { admin: false, provinceCodes: [], communeCodes: [COMMUNE] }

/** Varied names, years, sexes, ethnic groups, villages and learner groups, as a commune's list. */
function generateCsv(rows: number, phonePrefix: string) {
	const family = ['Lò', 'Cầm', 'Quàng', 'Lường', 'Tòng', 'Hà', 'Vì', 'Sầm', 'Điêu', 'Nguyễn', 'Giàng', 'Sùng']
	const given = ['Văn Ún', 'Thị Hoa', 'Văn Xuân', 'Thị Ín', 'Văn Dũng', 'Thị Lả', 'A Páo', 'Thị Mai', 'Văn Pọm', 'Thị Ơn']
	const ethnic = ['Thái', 'Mông', 'Kinh', 'Khơ-mú', 'Xinh-mun', 'Mường', 'Dao', 'La Ha']
	const groups = ['Người dân', 'Người dân', 'Người dân', 'Học sinh', 'Người lao động', 'Cán bộ']
	const lines = ['Họ và tên;Số điện thoại;Năm sinh;Giới tính;Dân tộc;Thôn/bản;Nhóm']
	for (let i = 0; i < rows; i++) {
		const phone = `${phonePrefix}${String(i).padStart(10 - phonePrefix.length, '0')}`
		lines.push(
			[
				`${family[i % family.length]} ${given[(i * 7) % given.length]}`,
				phone,
				1940 + (i % 66),
				i % 2 ? 'Nam' : 'Nữ',
				ethnic[i % ethnic.length],
				`"Bản ${i % 23}; tổ ${i % 4}"`,
				groups[i % groups.length],
			].join(';'),
		)
	}
	return new TextEncoder().encode(`\uFEFF${lines.join('\r\n')}\r\n`)
}

async function registeredRollup() {
	const cells = await prisma.periodCellStat.aggregate({ where: { communeCode: COMMUNE, period: { not: { contains: '-' } } }, _sum: { registered: true } })
	const year = await prisma.periodStat.aggregate({
		where: { communeCode: COMMUNE, courseId: '', period: { not: { contains: '-' } } },
		_sum: { registered: true },
	})
	const month = await prisma.periodStat.aggregate({
		where: { communeCode: COMMUNE, courseId: '', period: { contains: '-', not: { contains: 'Q' } } },
		_sum: { registered: true },
	})
	return { cells: cells._sum.registered ?? 0, month: month._sum.registered ?? 0, year: year._sum.registered ?? 0 }
}

let ok = true
const check = (label: string, good: boolean) => {
	console.log(`${good ? '✔' : '✖'} ${label}`)
	ok &&= good
}

const bytes = generateCsv(ROWS, '07')
console.log(`\n${ROWS.toLocaleString('en')} rows, ${(bytes.byteLength / 1024 / 1024).toFixed(2)} MB CSV\n`)
const [, parseMs] = await timed(() => checkRows(parseResidentsCsv(bytes).rows))
const [job, previewMs] = await timed(() => previewImport({ scope, staffId, communeCode: COMMUNE, fileName: 'bench.csv', bytes }))
const [, confirmMs] = await timed(() => confirmImport({ scope, staffId, jobId: job!.id, consent: { noticeGiven: true, ethnicity: true } }))
const done = await prisma.importJob.findUniqueOrThrow({ where: { id: job!.id } })
const total = previewMs + confirmMs

const bytesAgain = generateCsv(ROWS, '07')
const [again, previewAgainMs] = await timed(() => previewImport({ scope, staffId, communeCode: COMMUNE, fileName: 'bench.csv', bytes: bytesAgain }))
const [, confirmAgainMs] = await timed(() => confirmImport({ scope, staffId, jobId: again!.id, consent: { noticeGiven: true, ethnicity: true } }))
const doneAgain = await prisma.importJob.findUniqueOrThrow({ where: { id: again!.id } })

console.log('| step | time |')
console.log('|---|---|')
console.log(`| parse + check (part of the preview) | ${seconds(parseMs)} |`)
console.log(`| preview (parse, check, classify, store the job) | ${seconds(previewMs)} |`)
console.log(`| confirm (one transaction) | ${seconds(confirmMs)} |`)
console.log(`| **preview + confirm** | **${seconds(total)}** |`)
console.log(`| same file again: preview + confirm | ${seconds(previewAgainMs + confirmAgainMs)} |`)
console.log('')

const imported = await prisma.user.count({ where: { communeCode: COMMUNE, registeredVia: 'IMPORT' } })
const rollup = await registeredRollup()
const users = await prisma.user.count({ where: { communeCode: COMMUNE } })
check(`job DONE with ${done.imported} of ${ROWS} imported`, done.status === 'DONE' && done.imported === ROWS && done.newRows === ROWS)
check(`${imported} residents registered via IMPORT`, imported === ROWS)
check(
	`rollups equal the users table (cells ${rollup.cells}, month ${rollup.month}, year ${rollup.year}, users ${users})`,
	rollup.cells === users && rollup.month === users && rollup.year === users,
)
check(`same file again: ${doneAgain.presentRows} present, ${doneAgain.imported} imported`, doneAgain.presentRows === ROWS && doneAgain.imported === 0)
check(`preview + confirm under ${TARGET_SECONDS} s`, total < TARGET_SECONDS * 1000)

if (PER_ROW) {
	// Comparison only: the same rows through registerResident one at a time, in one transaction.
	const rows = checkRows(parseResidentsCsv(generateCsv(ROWS, '03')).rows)
	const [, perRowMs] = await timed(() =>
		prisma.$transaction(
			async (tx) => {
				for (const r of rows) {
					if (r.status !== 'new') continue
					const { line: _l, status: _s, phone, village, ...profile } = r
					await registerResident({
						phone,
						profile: { ...profile, village: village ?? undefined, provinceCode: '14', communeCode: COMMUNE },
						via: 'IMPORT',
						registeredById: staffId,
						tx,
					})
				}
			},
			{ timeout: 30 * 60_000 },
		),
	)
	console.log(`\nFor comparison, ${ROWS.toLocaleString('en')} × registerResident() in one transaction: ${seconds(perRowMs)}`)
}

await closeDb()
await cleanup()
process.exit(ok ? 0 : 1)
