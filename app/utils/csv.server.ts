import { stringify } from 'csv-stringify/sync'

/**
 * Every CSV the product writes goes through `toCsv`, so that no cell can become a formula when a
 * file is opened in Excel, LibreOffice or Google Sheets (CSV injection, issue #16). A text cell
 * that begins with = + - @, a tab or a carriage return (or their full-width forms, which some
 * spreadsheet locales read as the same operators) gets a leading apostrophe, the OWASP rule.
 * csv-stringify quotes cells holding the delimiter, quotes or line breaks, so a formula cannot
 * start in the middle of a cell either.
 *
 * Numbers stay numbers: a negative count is written as -3, which every spreadsheet reads as the
 * number it is; only JavaScript numbers get this, never text that looks like one.
 */
export type CsvCell = string | number | null | undefined

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/

/** The cell as it may be written: text that would start a formula is prefixed with '. */
export function safeCsvCell(value: CsvCell): string | number {
	if (typeof value === 'number') return Number.isFinite(value) ? value : ''
	if (value === null || value === undefined) return ''
	return FORMULA_START.test(value) ? `'${value}` : value
}

/** UTF-8 with a byte order mark (or Excel shows Vietnamese as garbage), every cell made safe. */
export function toCsv(rows: CsvCell[][]): string {
	return `\uFEFF${stringify(rows.map((row) => row.map(safeCsvCell)))}`
}
