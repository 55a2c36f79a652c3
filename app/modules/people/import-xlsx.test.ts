import { crc32, deflateRawSync } from 'node:zlib'
import ExcelJS from 'exceljs'
import { describe, expect, test } from 'vitest'
import { type TFunction } from 'i18next'
import { getFixedT } from '#app/utils/i18n.server.ts'
import { checkRows, ImportFileError, MAX_IMPORT_BYTES, parseResidentsCsv, parseResidentsFile } from './import.server.ts'
import { MAX_INFLATED, MAX_SHEETS } from './import-xlsx.server.ts'
import { importTemplateCsv, importTemplateXlsx } from './residents-export.server.ts'

// Import takes Excel workbooks (.xlsx) as well as CSV (issue #20): same rows, same checks, and a
// workbook is read by its content and only after its zip has been checked (ADR 031).

async function workbook(build: (book: ExcelJS.Workbook) => void) {
	const book = new ExcelJS.Workbook()
	build(book)
	return new Uint8Array(await book.xlsx.writeBuffer())
}

async function fileError(fn: () => Promise<unknown>): Promise<ImportFileError> {
	try {
		await fn()
	} catch (error) {
		if (error instanceof ImportFileError) return error
		throw error
	}
	throw new Error('expected an ImportFileError')
}

/** A zip of these files (stored deflated); `declare` overrides the uncompressed size written in it. */
function zip(files: { name: string; data: Uint8Array; declare?: number }[]) {
	const locals: Buffer[] = []
	const centrals: Buffer[] = []
	let offset = 0
	for (const f of files) {
		const name = Buffer.from(f.name)
		const packed = deflateRawSync(f.data)
		const sum = crc32(f.data)
		const size = f.declare ?? f.data.byteLength
		const local = Buffer.alloc(30)
		local.writeUInt32LE(0x04034b50, 0)
		local.writeUInt16LE(20, 4)
		local.writeUInt16LE(8, 8)
		local.writeUInt32LE(sum, 14)
		local.writeUInt32LE(packed.byteLength, 18)
		local.writeUInt32LE(size, 22)
		local.writeUInt16LE(name.byteLength, 26)
		const central = Buffer.alloc(46)
		central.writeUInt32LE(0x02014b50, 0)
		central.writeUInt16LE(20, 4)
		central.writeUInt16LE(20, 6)
		central.writeUInt16LE(8, 10)
		central.writeUInt32LE(sum, 16)
		central.writeUInt32LE(packed.byteLength, 20)
		central.writeUInt32LE(size, 24)
		central.writeUInt16LE(name.byteLength, 28)
		central.writeUInt32LE(offset, 42)
		locals.push(local, name, packed)
		centrals.push(central, name)
		offset += 30 + name.byteLength + packed.byteLength
	}
	const directory = Buffer.concat(centrals)
	const end = Buffer.alloc(22)
	end.writeUInt32LE(0x06054b50, 0)
	end.writeUInt16LE(files.length, 8)
	end.writeUInt16LE(files.length, 10)
	end.writeUInt32LE(directory.byteLength, 12)
	end.writeUInt32LE(offset, 16)
	return new Uint8Array(Buffer.concat([...locals, directory, end]))
}

describe('reading an Excel workbook', () => {
	test('gives the same checked rows as the same list in CSV: numbers, dates, formulas by their shown value, row numbers as Excel shows', async () => {
		const bytes = await workbook((book) => {
			const sheet = book.addWorksheet('Danh sách')
			sheet.addRow(['Họ và tên', 'Số điện thoại', 'Ngày sinh', 'Giới tính', 'Dân tộc', 'Thôn/bản'])
			sheet.addRow([])
			// Excel keeps a phone typed as a number without its leading 0; a date of birth as a date.
			sheet.addRow(['Lò Thị Hoa', 912345678, new Date(Date.UTC(1968, 2, 12)), 'Nữ', 'Thái', 'Bản Hụm'])
			// A formula: its saved result is read, the formula itself never is.
			sheet.addRow([
				{ formula: 'PROPER("cầm văn nam")', result: 'Cầm Văn Nam' },
				'0987 654 321',
				1975,
				'Nam',
				'',
				{ richText: [{ text: 'Bản ' }, { text: 'Ngọa' }] },
			])
			// A formula without a saved result gives nothing: the row is refused for its missing name.
			sheet.addRow([{ formula: 'A1&"x"' }, '0977000111', 1980, 'Nam'])
			book.addWorksheet('Ghi chú').addRow(['Trang này không được đọc'])
		})
		const fromXlsx = await parseResidentsFile(bytes)
		expect(fromXlsx.rows.map((r) => r.line)).toEqual([3, 4, 5])
		const fromCsv = parseResidentsCsv(
			new TextEncoder().encode(
				'Họ và tên,Số điện thoại,Ngày sinh,Giới tính,Dân tộc,Thôn/bản\n\nLò Thị Hoa,912345678,12/03/1968,Nữ,Thái,Bản Hụm\nCầm Văn Nam,0987 654 321,1975,Nam,,Bản Ngọa\n,0977000111,1980,Nam\n',
			),
		)
		expect(checkRows(fromXlsx.rows)).toEqual(checkRows(fromCsv.rows))
		const checked = checkRows(fromXlsx.rows)
		expect(checked[0]).toMatchObject({ status: 'new', fullName: 'Lò Thị Hoa', phone: '0912345678', birthYear: 1968, sex: 'FEMALE', village: 'Bản Hụm' })
		expect(checked[1]).toMatchObject({ status: 'new', fullName: 'Cầm Văn Nam', phone: '0987654321', village: 'Bản Ngọa' })
		expect(checked[2]).toMatchObject({ status: 'invalid' })
		expect(JSON.stringify(checked)).not.toContain('PROPER')
	})

	test('a CSV named .xlsx, or a workbook named .csv, is read by what it is', async () => {
		const csv = new TextEncoder().encode('Họ và tên,Số điện thoại\nLò Thị Hoa,0912345678\n')
		expect((await parseResidentsFile(csv)).rows).toHaveLength(1)
	})

	test.each([
		['an old Excel 97–2003 file (.xls)', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'staff:import.errors.oldExcel'],
		['a zip that is no workbook', zip([{ name: 'readme.txt', data: new TextEncoder().encode('xin chào') }]), 'staff:import.errors.notSpreadsheet'],
		['a cut-off zip', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0x06, 0]), 'staff:import.errors.notSpreadsheet'],
		['a PNG image', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), 'staff:import.errors.notCsv'],
	])('refuses %s with a clear message', async (_name, bytes, key) => {
		expect((await fileError(() => parseResidentsFile(bytes))).key).toBe(key)
	})

	test('refuses a zip bomb before the spreadsheet library opens it, whatever size it declares', async () => {
		const bomb = zip([{ name: 'xl/worksheets/sheet1.xml', data: new Uint8Array(MAX_INFLATED + 1024 * 1024), declare: 1000 }])
		expect(bomb.byteLength).toBeLessThan(MAX_IMPORT_BYTES)
		expect(await fileError(() => parseResidentsFile(bomb))).toMatchObject({ key: 'staff:import.errors.unpackedTooLarge', status: 413 })
	})

	test('refuses a workbook with too many sheets, and one over the upload limit', async () => {
		const many = await workbook((book) => {
			for (let i = 0; i <= MAX_SHEETS; i++) book.addWorksheet(`Trang ${i + 1}`).addRow(['Họ và tên', 'Số điện thoại'])
		})
		expect(await fileError(() => parseResidentsFile(many))).toMatchObject({ key: 'staff:import.errors.tooManySheets', values: { max: MAX_SHEETS } })
		const huge = new Uint8Array(MAX_IMPORT_BYTES + 1)
		huge.set([0x50, 0x4b, 0x03, 0x04])
		expect(await fileError(() => parseResidentsFile(huge))).toMatchObject({ key: 'staff:import.errors.tooLarge', status: 413 })
	})

	test('refuses a sheet with more rows than allowed', async () => {
		const bytes = await workbook((book) => {
			const sheet = book.addWorksheet('Danh sách')
			sheet.addRow(['Họ và tên', 'Số điện thoại'])
			for (let i = 0; i < 20_001; i++) sheet.addRow(['Lò Thị Hoa', '0912345678'])
		})
		expect((await fileError(() => parseResidentsFile(bytes))).key).toBe('staff:import.errors.tooManyRows')
	})
})

describe('the import template', () => {
	test.each(['vi', 'en'] as const)('(%s) has one example row, which the importer refuses with its own reason, in CSV and in XLSX', async (lng) => {
		const t = (await getFixedT(lng)) as TFunction
		for (const bytes of [new TextEncoder().encode(importTemplateCsv(t)), new Uint8Array(await importTemplateXlsx(t))]) {
			const parsed = await parseResidentsFile(bytes)
			expect(parsed.ignoredColumns).toEqual([])
			const rows = checkRows(parsed.rows)
			expect(rows).toEqual([
				{
					line: 2,
					status: 'invalid',
					fullName: expect.stringMatching(/^Ví dụ/),
					phone: expect.any(String),
					reasons: [{ key: 'staff:import.reasons.exampleRow' }],
				},
			])
		}
	})
})
