import { beforeAll, describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { type Scope } from '#app/kernel/scope.ts'
import { ageBand } from '#app/kernel/demographics.ts'
import { periodsOf } from '#app/kernel/calendar.ts'
import {
	checkRows,
	confirmImport,
	getImportJob,
	ImportFileError,
	MAX_IMPORT_BYTES,
	parseResidentsCsv,
	previewImport,
	startImport,
	type CheckedRow,
} from './import.server.ts'
import { resident } from '#tests/utils/factories.ts'
import { delta, importOutcomes } from '#tests/utils/metrics.ts'
import { registerResident } from './people.server.ts'

const COMMUNE = '03721' // Xã Thuận Châu, Sơn La
const OTHER = '03646' // Phường Tô Hiệu, Sơn La
const staffScope: Scope = { admin: false, provinceCodes: [], communeCodes: [COMMUNE] }
const otherScope: Scope = { admin: false, provinceCodes: [], communeCodes: [OTHER] }
/** The staff member confirmed the notice and the ethnicity consent for everyone listed. */
const CONSENT = { noticeGiven: true, ethnicity: true } as const
const utf8 = (text: string) => new TextEncoder().encode(text)
const withBom = (text: string) => utf8(`\uFEFF${text}`)

/** Unique phone numbers for this file's run (the worker's database is shared with other files). */
let serial = 0
const base = 30_000_000 + (Date.now() % 1_000_000) * 50
const phone = () => `07${String(base + serial++).padStart(8, '0')}`

let staffId: string
beforeAll(async () => {
	staffId = await resident({ ...profile(), via: 'SEED' })
})

function profile(communeCode = COMMUNE) {
	return {
		fullName: 'Cầm Văn Nhập',
		birthYear: 1970,
		sex: 'MALE' as const,
		ethnicGroup: '03',
		learnerGroup: 'RESIDENT' as const,
		provinceCode: '14',
		communeCode,
	}
}

function fileError(fn: () => unknown): ImportFileError {
	try {
		fn()
	} catch (error) {
		if (error instanceof ImportFileError) return error
		throw error
	}
	throw new Error('expected an ImportFileError')
}

describe('parseResidentsCsv', () => {
	test('UTF-8 with a BOM, commas, Vietnamese headers', () => {
		const { rows, delimiter } = parseResidentsCsv(
			withBom('Họ và tên,Số điện thoại,Năm sinh,Giới tính,Dân tộc,Thôn/bản,Nhóm\r\nLò Thị Hoa,0912345678,1965,Nữ,Thái,Bản Nà Sản,Người dân\r\n'),
		)
		expect(delimiter).toBe(',')
		expect(rows).toEqual([
			{
				line: 2,
				values: {
					fullName: 'Lò Thị Hoa',
					phone: '0912345678',
					birthYear: '1965',
					sex: 'Nữ',
					ethnicGroup: 'Thái',
					village: 'Bản Nà Sản',
					learnerGroup: 'Người dân',
				},
			},
		])
	})

	test('no BOM, semicolons as Excel writes in a Vietnamese locale, quoted fields with separators and line breaks', () => {
		const csv =
			'Họ và tên;Số điện thoại;Năm sinh;Giới tính;Dân tộc;Thôn/bản\r\n"Quàng Văn ""Ún""";0912 345 678;1950;Nam;Thái;"Bản Co Mạ; tổ 2"\r\nLường Thị Xuân;0388111222;1980;Nữ;Mông;"Bản\r\nPá Lông"\r\n\r\nCà Văn Dũng;0977000111;1990;Nam;Kinh;\r\n'
		const { rows, delimiter } = parseResidentsCsv(utf8(csv))
		expect(delimiter).toBe(';')
		expect(rows.map((r) => [r.line, r.values.fullName, r.values.village])).toEqual([
			[2, 'Quàng Văn "Ún"', 'Bản Co Mạ; tổ 2'],
			[3, 'Lường Thị Xuân', 'Bản\r\nPá Lông'],
			[5, 'Cà Văn Dũng', ''],
		])
	})

	test('English headers, an Excel sep= line, columns in any order, unknown columns ignored, NFD text made NFC', () => {
		const csv = `sep=;\nPhone;Notes;Full name;Birth year;Sex;Ethnic group\n0912345678;x;${'Lò Thị Hoa'.normalize('NFD')};1965;F;Thai\n`
		const parsed = parseResidentsCsv(utf8(csv))
		expect(parsed.ignoredColumns).toEqual(['Notes'])
		expect(parsed.rows[0]).toEqual({ line: 3, values: { phone: '0912345678', fullName: 'Lò Thị Hoa', birthYear: '1965', sex: 'F', ethnicGroup: 'Thai' } })
	})

	test("UTF-16 with a BOM (Excel's Unicode text, tab separated)", () => {
		const text = 'Họ và tên\tSố điện thoại\nLò Thị Hoa\t0912345678\n'
		const bytes = new Uint8Array(2 + text.length * 2)
		bytes.set([0xff, 0xfe])
		for (let i = 0; i < text.length; i++) new DataView(bytes.buffer).setUint16(2 + i * 2, text.charCodeAt(i), true)
		expect(parseResidentsCsv(bytes).rows[0]!.values).toEqual({ fullName: 'Lò Thị Hoa', phone: '0912345678' })
	})

	test.each([
		['a PNG image', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), 'staff:import.errors.notCsv'],
		['an Excel workbook', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0x06, 0]), 'staff:import.errors.notCsv'],
		// "Hà Văn Sơn" in Windows-1258: à = 0xE0, ơ = 0xF5 — not UTF-8.
		[
			'Windows-1258 text',
			new Uint8Array([...utf8('Họ và tên,Số điện thoại\nH'), 0xe0, ...utf8(' V'), 0xe3, ...utf8('n S'), 0xf5, ...utf8('n,0912345678\n')]),
			'staff:import.errors.notUtf8',
		],
		['an empty file', utf8(''), 'staff:import.errors.empty'],
		['only a BOM and blank lines', withBom('\r\n\r\n'), 'staff:import.errors.empty'],
		['a header and no rows', withBom('Họ và tên,Số điện thoại\r\n'), 'staff:import.errors.noRows'],
		['no phone column', withBom('Họ và tên,Năm sinh\r\nLò Thị Hoa,1965\r\n'), 'staff:import.errors.missingColumns'],
		['an unclosed quote', utf8('Họ và tên,Số điện thoại\n"Lò Thị Hoa,0912345678\n'), 'staff:import.errors.malformed'],
	])('refuses %s with a message', (_name, bytes, key) => {
		expect(fileError(() => parseResidentsCsv(bytes)).key).toBe(key)
	})

	test('refuses a file over the size limit with 413, and too many rows', () => {
		const huge = new Uint8Array(MAX_IMPORT_BYTES + 1).fill(0x41)
		expect(fileError(() => parseResidentsCsv(huge))).toMatchObject({ key: 'staff:import.errors.tooLarge', status: 413 })
		const many = `Họ và tên,Số điện thoại\n${'Lò Thị Hoa,0912345678\n'.repeat(20_001)}`
		expect(fileError(() => parseResidentsCsv(utf8(many)))).toMatchObject({ key: 'staff:import.errors.tooManyRows' })
	})
})

describe('checkRows', () => {
	const row = (line: number, values: Record<string, string>) => ({ line, values })
	const good = { fullName: 'Lò Thị Hoa', phone: '0912345678', birthYear: '1965', sex: 'Nữ', ethnicGroup: 'Thái' }

	test('accepts what spreadsheets do to values', () => {
		const rows = checkRows([
			row(2, { ...good, phone: '+84 912 345 678' }),
			row(3, { ...good, phone: '912345679', sex: 'nam', ethnicGroup: '3', learnerGroup: 'Học sinh' }), // Excel dropped the 0
			row(4, { ...good, phone: '="0912345680"', birthYear: '12/03/1965', ethnicGroup: 'H’Mông', learnerGroup: 'OFFICIAL', village: ' Bản Mới ' }),
			row(5, { ...good, phone: "'0912345681", sex: 'Female', ethnicGroup: 'Kho Mu' }),
		])
		expect(rows.map((r) => r.status)).toEqual(['new', 'new', 'new', 'new'])
		expect(rows[0]).toEqual({
			line: 2,
			status: 'new',
			fullName: 'Lò Thị Hoa',
			phone: '0912345678',
			birthYear: 1965,
			sex: 'FEMALE',
			ethnicGroup: '03',
			learnerGroup: 'RESIDENT',
			village: null,
		})
		expect(rows[1]).toMatchObject({ phone: '0912345679', sex: 'MALE', ethnicGroup: '03', learnerGroup: 'STUDENT' })
		expect(rows[2]).toMatchObject({ phone: '0912345680', birthYear: 1965, ethnicGroup: '08', learnerGroup: 'OFFICIAL', village: 'Bản Mới' })
		expect(rows[3]).toMatchObject({ phone: '0912345681', sex: 'FEMALE', ethnicGroup: '29' })
	})

	test('gives every bad row its reasons', () => {
		const rows = checkRows([
			row(2, good),
			row(3, { ...good, phone: '0212345678' }),
			row(4, { ...good }), // same phone as line 2
			row(5, { ...good, fullName: '', phone: '0912000555' }),
			row(6, { ...good, phone: '0912000556', birthYear: '19x5' }),
			row(7, { ...good, phone: '0912000557', ethnicGroup: 'Klingon' }),
			row(8, { ...good, phone: '0912000558', sex: 'không rõ', birthYear: '' }),
			row(9, { ...good, phone: '' }),
			row(10, { ...good, phone: '0912000559', birthYear: '2099' }),
		])
		const reasons = (line: number) => (rows.find((r) => r.line === line) as Extract<CheckedRow, { status: 'invalid' }>).reasons
		expect(rows.map((r) => r.status)).toEqual(['new', ...Array(8).fill('invalid')])
		expect(reasons(3)).toEqual([{ key: 'auth:errors.phoneInvalid' }])
		expect(reasons(4)).toEqual([{ key: 'staff:import.reasons.duplicateInFile', values: { line: 2 } }])
		expect(reasons(5)).toEqual([{ key: 'auth:errors.nameRequired' }])
		expect(reasons(6)).toEqual([{ key: 'auth:errors.birthYearInvalid' }])
		expect(reasons(7)).toEqual([{ key: 'staff:import.reasons.ethnicGroupUnknown', values: { value: 'Klingon' } }])
		expect(reasons(8)).toEqual([{ key: 'staff:import.reasons.sexUnknown', values: { value: 'không rõ' } }, { key: 'auth:errors.birthYearRequired' }])
		expect(reasons(9)).toEqual([{ key: 'auth:errors.phoneRequired' }])
		expect(reasons(10)).toEqual([{ key: 'auth:errors.birthYearInvalid' }])
		expect(rows[1]).toMatchObject({ fullName: 'Lò Thị Hoa', phone: '0212345678' })
	})
})

/** A CSV of `n` new residents with varied cells, plus the given extra lines. */
function residentsCsv(phones: string[], extra: string[] = []) {
	const sexes = ['Nam', 'Nữ']
	const groups = ['Thái', 'Mông', 'Kinh', 'Khơ-mú']
	const lines = phones.map((p, i) => `Lò Văn Số ${'ABCDEFGHIK'[i % 10]},${p},${1940 + (i % 60)},${sexes[i % 2]},${groups[i % 4]},Bản ${i % 7}`)
	return withBom(['Họ và tên,Số điện thoại,Năm sinh,Giới tính,Dân tộc,Thôn/bản', ...lines, ...extra].join('\r\n'))
}

async function registeredRollup(communeCode: string) {
	// The breakdown rollup (every cell of the year) and the indicator rollup (the year's row).
	const year = periodsOf(new Date())[2]
	const cells = await prisma.periodCellStat.aggregate({ where: { communeCode, period: year }, _sum: { registered: true } })
	const total = await prisma.periodStat.findFirst({ where: { communeCode, courseId: '', period: year }, select: { registered: true } })
	return { cells: cells._sum.registered ?? 0, year: total?.registered ?? 0 }
}

/** The commune's registered residents per demographic cell in one month (PeriodCellStat). */
async function registeredCells(month: string) {
	const cells = await prisma.periodCellStat.findMany({ where: { communeCode: COMMUNE, period: month, registered: { gt: 0 } } })
	const out = new Map<string, number>()
	for (const c of cells) {
		const key = [c.sex, c.ageBand, c.ethnicGroup, c.learnerGroup].join('|')
		out.set(key, (out.get(key) ?? 0) + c.registered)
	}
	return out
}

describe('preview and confirm', () => {
	test('classifies rows as new, present (a resident of this commune) or invalid, and imports nothing yet', async () => {
		const [elsewhere, here] = [phone(), phone()]
		await registerResident({ phone: elsewhere, profile: profile(OTHER), via: 'SEED' })
		await registerResident({ phone: here, profile: profile(COMMUNE), via: 'SEED' })
		const fresh = [phone(), phone()]
		const users = await prisma.user.count()
		const job = await previewImport({
			scope: staffScope,
			staffId,
			communeCode: COMMUNE,
			fileName: 'danh-sach.csv',
			bytes: residentsCsv([...fresh, here, elsewhere], ['Không Số,abc,1970,Nam,Thái,']),
		})
		const stored = await getImportJob({ scope: staffScope, jobId: job!.id })
		// A number taken in another commune reads as new: the preview reveals nothing outside the scope.
		expect(stored).toMatchObject({
			status: 'PREVIEW',
			totalRows: 5,
			newRows: 3,
			presentRows: 1,
			invalidRows: 1,
			communeCode: COMMUNE,
			provinceCode: '14',
			fileName: 'danh-sach.csv',
		})
		expect(stored!.rows.map((r) => r.status)).toEqual(['new', 'new', 'present', 'new', 'invalid'])
		expect(await prisma.user.count()).toBe(users)
	})

	test('confirming imports every new row in one transaction, counted exactly in the rollups, and audit-logs it', async () => {
		const phones = Array.from({ length: 25 }, phone)
		const before = await registeredRollup(COMMUNE)
		const cellsBefore = await registeredCells(periodsOf(new Date())[0]!)
		const counted = await importOutcomes()
		const job = await previewImport({ scope: staffScope, staffId, communeCode: COMMUNE, fileName: 'x.csv', bytes: residentsCsv(phones) })
		expect(await confirmImport({ scope: staffScope, staffId, jobId: job!.id, consent: CONSENT })).toEqual({ status: 'started', jobId: job!.id })
		const done = await getImportJob({ scope: staffScope, jobId: job!.id })
		expect(done).toMatchObject({ status: 'DONE', imported: 25, error: null })
		// For operators (/metrics, ADR 024).
		expect(delta(counted, await importOutcomes())).toEqual({ done: 1, refused: 0, failed: 0, interrupted: 0, rows: 25 })
		expect(done!.finishedAt).toBeInstanceOf(Date)

		const users = await prisma.user.findMany({ where: { phone: { in: phones } } })
		expect(users).toHaveLength(25)
		for (const u of users) {
			expect(u).toMatchObject({
				communeCode: COMMUNE,
				provinceCode: '14',
				registeredVia: 'IMPORT',
				registeredById: staffId,
				passwordHash: null,
				credentialKind: null,
			})
		}
		expect(await registeredRollup(COMMUNE)).toEqual({ cells: before.cells + 25, year: before.year + 25 })
		// Each demographic cell gains exactly the imported residents in it, as one-by-one registration
		// would count them. (Compared as a change: other files of this worker share the database and
		// may have left residents of this commune whose figures are theirs to check.)
		const month = periodsOf(users[0]!.createdAt)[0]!
		const expected = new Map<string, number>()
		for (const u of users) {
			const key = [u.sex ?? '', ageBand(u.birthYear, u.createdAt), u.ethnicGroup ?? '', u.learnerGroup].join('|')
			expected.set(key, (expected.get(key) ?? 0) + 1)
		}
		const gained = new Map<string, number>()
		const after = await registeredCells(month)
		const then = month === periodsOf(new Date())[0] ? cellsBefore : new Map<string, number>()
		for (const [key, n] of after) if (n !== (then.get(key) ?? 0)) gained.set(key, n - (then.get(key) ?? 0))
		expect(Object.fromEntries(gained)).toEqual(Object.fromEntries(expected))

		const audit = await prisma.auditLog.findFirst({ where: { action: 'import.residents', actorId: staffId }, orderBy: { id: 'desc' } })
		expect(audit).toMatchObject({ communeCode: COMMUNE, provinceCode: '14', details: { jobId: job!.id, imported: 25, present: 0, invalid: 0 } })
	})

	test('a failure part-way imports nobody (one transaction) and the job can be retried', async () => {
		const phones = Array.from({ length: 1_005 }, phone)
		const before = await registeredRollup(COMMUNE)
		const job = await previewImport({ scope: staffScope, staffId, communeCode: COMMUNE, fileName: 'x.csv', bytes: residentsCsv(phones) })
		// Corrupt the stored preview after the first batch of 1,000 rows: the insert of the second fails.
		const stored = await prisma.importJob.findUniqueOrThrow({ where: { id: job!.id } })
		const rows = stored.rows as unknown as CheckedRow[]
		const broken = rows.map((r, i) => (i === 1_002 ? { ...r, birthYear: 'x' } : r))
		await prisma.importJob.update({ where: { id: job!.id }, data: { rows: broken as unknown as object } })
		const counted = await importOutcomes()
		const errors: string[] = []
		const log = console.error
		console.error = (message: string) => void errors.push(message)
		try {
			await confirmImport({ scope: staffScope, staffId, jobId: job!.id, consent: CONSENT })
		} finally {
			console.error = log
		}
		expect(delta(counted, await importOutcomes())).toEqual({ done: 0, refused: 0, failed: 1, interrupted: 0, rows: 0 })
		expect(await getImportJob({ scope: staffScope, jobId: job!.id })).toMatchObject({ status: 'FAILED', imported: 0, error: 'staff:import.errors.failed' })
		expect(await prisma.user.count({ where: { phone: { in: phones } } })).toBe(0)
		expect(await registeredRollup(COMMUNE)).toEqual(before)

		await prisma.importJob.update({ where: { id: job!.id }, data: { rows: stored.rows as object } })
		await confirmImport({ scope: staffScope, staffId, jobId: job!.id, consent: CONSENT })
		expect(await getImportJob({ scope: staffScope, jobId: job!.id })).toMatchObject({ status: 'DONE', imported: 1_005 })
		expect(await registeredRollup(COMMUNE)).toEqual({ cells: before.cells + 1_005, year: before.year + 1_005 })
	})

	test('confirming twice, or uploading the same file again, imports nothing more and never changes anyone', async () => {
		const present = phone()
		const { id: presentId } = await registerResident({ phone: present, profile: { ...profile(OTHER), fullName: 'Tòng Văn Cũ' }, via: 'SEED' })
		const before = await prisma.user.findUniqueOrThrow({ where: { id: presentId } })
		const phones = [phone(), phone(), phone()]
		const bytes = residentsCsv([...phones, present])
		const first = await previewImport({ scope: staffScope, staffId, communeCode: COMMUNE, fileName: 'x.csv', bytes })
		// A second preview of the same file, made before the first is confirmed.
		const early = await previewImport({ scope: staffScope, staffId, communeCode: COMMUNE, fileName: 'x.csv', bytes })
		await confirmImport({ scope: staffScope, staffId, jobId: first!.id, consent: CONSENT })
		const users = await prisma.user.count()
		const rollup = await registeredRollup(COMMUNE)

		expect(await confirmImport({ scope: staffScope, staffId, jobId: first!.id, consent: CONSENT })).toEqual({ status: 'already', jobId: first!.id })
		expect(await startImport({ scope: staffScope, staffId, jobId: first!.id, consent: CONSENT })).toEqual({ status: 'already', jobId: first!.id })
		await confirmImport({ scope: staffScope, staffId, jobId: early!.id, consent: CONSENT })
		// The number of another commune's resident was shown as new and is refused at each confirm.
		const earlyDone = await getImportJob({ scope: staffScope, jobId: early!.id })
		expect(earlyDone).toMatchObject({ status: 'DONE', newRows: 4, imported: 0 })
		expect(earlyDone!.rows.map((r) => r.status)).toEqual(['refused', 'refused', 'refused', 'refused'])
		expect((await getImportJob({ scope: staffScope, jobId: first!.id }))!.rows.map((r) => r.status)).toEqual(['new', 'new', 'new', 'refused'])
		const again = await previewImport({ scope: staffScope, staffId, communeCode: COMMUNE, fileName: 'x.csv', bytes })
		expect(await getImportJob({ scope: staffScope, jobId: again!.id })).toMatchObject({ newRows: 1, presentRows: 3, invalidRows: 0 })
		await confirmImport({ scope: staffScope, staffId, jobId: again!.id, consent: CONSENT })

		expect(await prisma.user.count()).toBe(users)
		expect(await registeredRollup(COMMUNE)).toEqual(rollup)
		expect(await prisma.user.findUniqueOrThrow({ where: { id: presentId } })).toEqual(before)
		expect((await getImportJob({ scope: staffScope, jobId: first!.id }))!.fileHash).toBe(
			(await getImportJob({ scope: staffScope, jobId: again!.id }))!.fileHash,
		)
	})

	test('two confirmations at once import each resident once', async () => {
		const phones = Array.from({ length: 40 }, phone)
		const bytes = residentsCsv(phones)
		const a = await previewImport({ scope: staffScope, staffId, communeCode: COMMUNE, fileName: 'a.csv', bytes })
		const b = await previewImport({ scope: staffScope, staffId, communeCode: COMMUNE, fileName: 'b.csv', bytes })
		const before = await registeredRollup(COMMUNE)
		await Promise.all([a, a, b].map((job) => confirmImport({ scope: staffScope, staffId, jobId: job!.id, consent: CONSENT })))
		const jobs = await Promise.all([a, b].map((job) => getImportJob({ scope: staffScope, jobId: job!.id })))
		expect(jobs.map((j) => j!.imported).sort()).toEqual([0, 40])
		expect(await prisma.user.count({ where: { phone: { in: phones } } })).toBe(40)
		expect(await registeredRollup(COMMUNE)).toEqual({ cells: before.cells + 40, year: before.year + 40 })
	})

	test('startImport runs in the background and reports progress until the database says DONE', async () => {
		const phones = Array.from({ length: 30 }, phone)
		const job = await previewImport({ scope: staffScope, staffId, communeCode: COMMUNE, fileName: 'x.csv', bytes: residentsCsv(phones) })
		expect(await startImport({ scope: staffScope, staffId, jobId: job!.id, consent: CONSENT })).toEqual({ status: 'started', jobId: job!.id })
		let status = (await getImportJob({ scope: staffScope, jobId: job!.id }))!.status
		for (let i = 0; i < 100 && status !== 'DONE'; i++) {
			await new Promise((r) => setTimeout(r, 50))
			status = (await getImportJob({ scope: staffScope, jobId: job!.id }))!.status
		}
		expect(await getImportJob({ scope: staffScope, jobId: job!.id })).toMatchObject({ status: 'DONE', imported: 30, progress: null })
	})

	test('an import cut off by a server stop (RUNNING long past the transaction timeout) can be confirmed again', async () => {
		const phones = [phone(), phone()]
		const job = await previewImport({ scope: staffScope, staffId, communeCode: COMMUNE, fileName: 'x.csv', bytes: residentsCsv(phones) })
		// What a crash leaves behind: claimed, transaction rolled back, nobody imported.
		const counted = await importOutcomes()
		await prisma.importJob.update({ where: { id: job!.id }, data: { status: 'RUNNING', startedAt: new Date(Date.now() - 60 * 60_000) } })
		expect(await getImportJob({ scope: staffScope, jobId: job!.id })).toMatchObject({ status: 'FAILED', error: 'staff:import.errors.interrupted' })
		// Counted once, however often the job is read again.
		await getImportJob({ scope: staffScope, jobId: job!.id })
		expect(delta(counted, await importOutcomes())).toEqual({ done: 0, refused: 0, failed: 0, interrupted: 1, rows: 0 })
		await confirmImport({ scope: staffScope, staffId, jobId: job!.id, consent: CONSENT })
		expect(await getImportJob({ scope: staffScope, jobId: job!.id })).toMatchObject({ status: 'DONE', imported: 2 })
		// A recent RUNNING job is left alone.
		const other = await previewImport({ scope: staffScope, staffId, communeCode: COMMUNE, fileName: 'x.csv', bytes: residentsCsv([phone()]) })
		await prisma.importJob.update({ where: { id: other!.id }, data: { status: 'RUNNING', startedAt: new Date() } })
		expect(await getImportJob({ scope: staffScope, jobId: other!.id })).toMatchObject({ status: 'RUNNING' })
	})

	test('staff of another commune can neither import into this commune nor see or confirm its imports', async () => {
		const phones = [phone(), phone()]
		const users = await prisma.user.count()
		expect(await previewImport({ scope: otherScope, staffId, communeCode: COMMUNE, fileName: 'x.csv', bytes: residentsCsv(phones) })).toBeNull()
		const province12: Scope = { admin: false, provinceCodes: ['12'], communeCodes: [] }
		expect(await previewImport({ scope: province12, staffId, communeCode: COMMUNE, fileName: 'x.csv', bytes: residentsCsv(phones) })).toBeNull()
		const job = await previewImport({ scope: staffScope, staffId, communeCode: COMMUNE, fileName: 'x.csv', bytes: residentsCsv(phones) })
		expect(await getImportJob({ scope: otherScope, jobId: job!.id })).toBeNull()
		expect(await confirmImport({ scope: otherScope, staffId, jobId: job!.id, consent: CONSENT })).toEqual({ status: 'not-found' })
		expect(await startImport({ scope: province12, staffId, jobId: job!.id, consent: CONSENT })).toEqual({ status: 'not-found' })
		expect(await getImportJob({ scope: staffScope, jobId: job!.id })).toMatchObject({ status: 'PREVIEW' })
		expect(await prisma.user.count()).toBe(users)
		// The province's officer may.
		expect(await getImportJob({ scope: { admin: false, provinceCodes: ['14'], communeCodes: [] }, jobId: job!.id })).not.toBeNull()
	})
})

describe('numbers registered elsewhere are counted like /register (issue #16)', () => {
	test('over 100 an hour per staff member the import stops unchanged, and while the counter is full every import with new rows does', async () => {
		const counter = await resident({ ...profile(), via: 'SEED' })
		const elsewhere = Array.from({ length: 101 }, () => phone())
		await prisma.user.createMany({ data: elsewhere.map((p) => ({ phone: p, fullName: 'Lò Văn Nơi Khác', provinceCode: '14', communeCode: OTHER })) })
		const users = await prisma.user.count()
		const rollup = await registeredRollup(COMMUNE)

		// 3 numbers held elsewhere and 1 free: imported, the 3 refused (and counted).
		const small = await previewImport({
			scope: staffScope,
			staffId: counter,
			communeCode: COMMUNE,
			fileName: 'a.csv',
			bytes: residentsCsv([...elsewhere.slice(0, 3), phone()]),
		})
		await confirmImport({ scope: staffScope, staffId: counter, jobId: small!.id, consent: CONSENT })
		expect(await getImportJob({ scope: staffScope, jobId: small!.id })).toMatchObject({ status: 'DONE', imported: 1 })

		// 98 more fit (101 − 3 would not): 3 + 98 = 101 > 100, so this one stops, nothing imported.
		const big = await previewImport({
			scope: staffScope,
			staffId: counter,
			communeCode: COMMUNE,
			fileName: 'b.csv',
			bytes: residentsCsv([...elsewhere.slice(3), phone()]),
		})
		const counted = await importOutcomes()
		await confirmImport({ scope: staffScope, staffId: counter, jobId: big!.id, consent: CONSENT })
		expect(delta(counted, await importOutcomes())).toEqual({ done: 0, refused: 1, failed: 0, interrupted: 0, rows: 0 })
		expect(await getImportJob({ scope: staffScope, jobId: big!.id })).toMatchObject({
			status: 'FAILED',
			error: 'staff:import.errors.tooManyTaken',
			imported: 0,
		})
		expect(await prisma.user.count()).toBe(users + 1)
		expect(await registeredRollup(COMMUNE)).toEqual({ cells: rollup.cells + 1, year: rollup.year + 1 })

		// The counter is full: a file of free numbers alone stops the same way, so the outcome says nothing about them.
		const free = phone()
		const fresh = await previewImport({ scope: staffScope, staffId: counter, communeCode: COMMUNE, fileName: 'c.csv', bytes: residentsCsv([free]) })
		await confirmImport({ scope: staffScope, staffId: counter, jobId: fresh!.id, consent: CONSENT })
		expect(await getImportJob({ scope: staffScope, jobId: fresh!.id })).toMatchObject({ status: 'FAILED', error: 'staff:import.errors.tooManyTaken' })
		expect(await prisma.user.count({ where: { phone: free } })).toBe(0)
		// Another staff member is not held up by this one's counter.
		const other = await previewImport({ scope: staffScope, staffId, communeCode: COMMUNE, fileName: 'd.csv', bytes: residentsCsv([free]) })
		await confirmImport({ scope: staffScope, staffId, jobId: other!.id, consent: CONSENT })
		expect(await getImportJob({ scope: staffScope, jobId: other!.id })).toMatchObject({ status: 'DONE', imported: 1 })
	})
})
