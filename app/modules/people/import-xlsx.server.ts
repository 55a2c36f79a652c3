import { inflateRawSync } from 'node:zlib'
import ExcelJS from 'exceljs'
import { ImportFileError } from './import-error.ts'

/**
 * Reading a residents list saved by Excel (.xlsx) into the same rows the CSV reader gives
 * (app/modules/people/import.server.ts checks both the same way). An .xlsx is a zip of XML files, so
 * before the spreadsheet library sees it the zip is checked on its own terms (ADR 031):
 * at most MAX_ENTRIES files and MAX_SHEETS sheets, and every file actually inflated here with a
 * ceiling on the total (a zip bomb stops at MAX_INFLATED bytes, whatever sizes it declares). Only
 * the first sheet is read. A formula is never evaluated: its cell gives the value Excel saved with
 * it (what the staff member saw), or nothing.
 */
export const MAX_INFLATED = 40 * 1024 * 1024
export const MAX_ENTRIES = 200
export const MAX_SHEETS = 10

/** True for a zip (an .xlsx, or any other zip: the reader then says it is no spreadsheet). */
export function looksLikeZip(bytes: Uint8Array) {
	return bytes.byteLength >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
}

/** An Excel 97–2003 workbook (.xls, an OLE compound file). */
export function looksLikeOldExcel(bytes: Uint8Array) {
	return bytes.byteLength >= 8 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0
}

/**
 * The first sheet's rows as text cells, each with the row number Excel shows (1-based). Throws
 * with `staff:import.errors.*` keys for what is not a readable workbook.
 */
export async function readFirstSheet(bytes: Uint8Array, { maxRows }: { maxRows: number }): Promise<{ number: number; cells: string[] }[]> {
	checkZip(bytes)
	const book = new ExcelJS.Workbook()
	try {
		await book.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer)
	} catch {
		throw new ImportFileError('staff:import.errors.notSpreadsheet')
	}
	const sheet = book.worksheets[0]
	// A workbook always has a sheet: a zip without one is some other file.
	if (!sheet) throw new ImportFileError('staff:import.errors.notSpreadsheet')
	if (sheet.actualRowCount > maxRows + 100) throw new ImportFileError('staff:import.errors.tooManyRows', { max: maxRows })
	const rows: { number: number; cells: string[] }[] = []
	sheet.eachRow({ includeEmpty: false }, (row) => {
		const cells: string[] = []
		// Columns past the 50th hold no field of ours.
		for (let c = 1; c <= Math.min(row.cellCount, 50); c++) cells.push(cellText(row.getCell(c).value).trim().slice(0, 200))
		rows.push({ number: row.number, cells })
	})
	return rows
}

/** What a cell shows, as text: formulas by their saved result, dates as dd/mm/yyyy, numbers without grouping. */
function cellText(value: ExcelJS.CellValue): string {
	if (value === null || value === undefined) return ''
	if (typeof value === 'string') return value
	if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value)
	if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
	if (value instanceof Date) {
		const d = value
		return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`
	}
	if (typeof value === 'object') {
		if ('formula' in value || 'sharedFormula' in value) {
			const result = (value as ExcelJS.CellFormulaValue).result
			return result === undefined || (typeof result === 'object' && result !== null && 'error' in result) ? '' : cellText(result as ExcelJS.CellValue)
		}
		if ('richText' in value) return value.richText.map((r) => r.text).join('')
		if ('text' in value) return cellText((value as ExcelJS.CellHyperlinkValue).text)
		if ('error' in value) return ''
	}
	return ''
}

/**
 * Walks the zip's central directory and inflates every entry with a ceiling on the total, so the
 * spreadsheet library never sees a file that would grow beyond MAX_INFLATED bytes in memory.
 */
function checkZip(bytes: Uint8Array) {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
	const u32 = (at: number) => view.getUint32(at, true)
	const u16 = (at: number) => view.getUint16(at, true)
	let end = -1
	for (let i = bytes.byteLength - 22; i >= Math.max(0, bytes.byteLength - 22 - 0xffff); i--) {
		if (u32(i) === 0x06054b50) {
			end = i
			break
		}
	}
	if (end < 0) throw new ImportFileError('staff:import.errors.notSpreadsheet')
	const entries = u16(end + 10)
	const directory = u32(end + 16)
	if (entries > MAX_ENTRIES) throw new ImportFileError('staff:import.errors.tooManySheets', { max: MAX_SHEETS })
	let at = directory
	let budget = MAX_INFLATED
	let sheets = 0
	for (let n = 0; n < entries; n++) {
		if (at + 46 > bytes.byteLength || u32(at) !== 0x02014b50) throw new ImportFileError('staff:import.errors.notSpreadsheet')
		const method = u16(at + 10)
		const compressed = u32(at + 20)
		const declared = u32(at + 24)
		const nameLength = u16(at + 28)
		const local = u32(at + 42)
		const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength))
		at += 46 + nameLength + u16(at + 30) + u16(at + 32)
		if (/^xl\/worksheets\/[^/]+\.xml$/.test(name) && ++sheets > MAX_SHEETS) throw new ImportFileError('staff:import.errors.tooManySheets', { max: MAX_SHEETS })
		// Zip64 (sizes that do not fit 32 bits) is never needed for a list within the upload limit.
		if (compressed === 0xffffffff || declared === 0xffffffff || local + 30 > bytes.byteLength || u32(local) !== 0x04034b50) {
			throw new ImportFileError('staff:import.errors.notSpreadsheet')
		}
		const start = local + 30 + u16(local + 26) + u16(local + 28)
		const data = bytes.subarray(start, start + compressed)
		let size: number
		if (method === 0) size = data.byteLength
		else if (method === 8) {
			try {
				size = inflateRawSync(data, { maxOutputLength: budget + 1 }).byteLength
			} catch (error) {
				if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
					throw new ImportFileError('staff:import.errors.unpackedTooLarge', { mb: MAX_INFLATED / 1024 / 1024 }, 413)
				}
				throw new ImportFileError('staff:import.errors.notSpreadsheet')
			}
		} else throw new ImportFileError('staff:import.errors.notSpreadsheet')
		budget -= size
		if (budget < 0) throw new ImportFileError('staff:import.errors.unpackedTooLarge', { mb: MAX_INFLATED / 1024 / 1024 }, 413)
	}
}
