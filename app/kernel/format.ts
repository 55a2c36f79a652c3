/**
 * How numbers and dates are written for people, and how numbers they type are read (issue #17 item 6,
 * issue #20). Vietnamese writes `18.500` (dot between thousands), `0,5%` (comma before decimals) and
 * dates day first, `15/12/2026`; English keeps English: `18,500`, `0.5%`, `15 Dec 2026`.
 * Every page formats through here (directly, through `useFormat`, or through i18next, whose
 * interpolation calls `formatValue` for every number it puts into a sentence). Machine outputs
 * (CSV, JSON, DHIS2, the API) keep plain numbers and ISO dates. Pure: safe in the browser.
 */
import { VIETNAM_TIME_ZONE } from './calendar.ts'

const locale = (lng: string) => (lng === 'en' ? 'en-GB' : 'vi-VN')

const numberFormats = new Map<string, Intl.NumberFormat>()
function numberFormat(lng: string, maximumFractionDigits: number) {
	const key = `${locale(lng)}|${maximumFractionDigits}`
	let format = numberFormats.get(key)
	if (!format) {
		// useGrouping 'always': Vietnamese (CLDR) would otherwise write 4-digit numbers without the dot (1500, not 1.500).
		format = new Intl.NumberFormat(locale(lng), { maximumFractionDigits, useGrouping: 'always' } as Intl.NumberFormatOptions)
		numberFormats.set(key, format)
	}
	return format
}

/** A count or a figure: `18.500` / `18,500`; at most `decimals` decimals (`12,5` / `12.5`). */
export function formatNumber(value: number, lng: string, decimals = 1) {
	return numberFormat(lng, decimals).format(value)
}

/** The smallest share written as a number; anything above 0 and below it reads "< 0,1%" (never "0%" once someone has reached it). */
export const SMALLEST_PERCENT = 0.1

/**
 * A percentage given in % (12.5 → `12,5%` / `12.5%`), one decimal. A value above 0 but below 0.1 %
 * is written `< 0,1%`, so a province with 27 people out of 900 000 does not read as "0%".
 */
export function formatPercent(value: number, lng: string) {
	if (value > 0 && value < SMALLEST_PERCENT) return `< ${formatNumber(SMALLEST_PERCENT, lng)}%`
	return `${formatNumber(Math.round(value * 10) / 10, lng)}%`
}

const dateFormats = new Map<string, Intl.DateTimeFormat>()
function dateFormat(lng: string, style: DateStyle) {
	const key = `${locale(lng)}|${style}`
	let format = dateFormats.get(key)
	if (!format) {
		const options: Intl.DateTimeFormatOptions =
			lng === 'en'
				? { day: 'numeric', month: 'short', year: 'numeric' }
				: style === 'long'
					? { day: 'numeric', month: 'numeric', year: 'numeric' }
					: { day: '2-digit', month: '2-digit', year: 'numeric' }
		format = new Intl.DateTimeFormat(locale(lng), { timeZone: VIETNAM_TIME_ZONE, ...options })
		dateFormats.set(key, format)
	}
	return format
}

/**
 * `numeric`: the date people read everywhere, in Vietnam time: `15/12/2026` / `15 Dec 2026`.
 * `long`: the date of an administrative document's place-and-date line (Decree 30/2020/NĐ-CP),
 * `ngày 05 tháng 3 năm 2026`, `ngày 15 tháng 02 năm 2026` / `15 Dec 2026`.
 */
export type DateStyle = 'numeric' | 'long'

/** A date or instant (a Date, an ISO string, or a 'YYYY-MM-DD' calendar day) as people read it. */
export function formatDate(date: Date | string, lng: string, style: DateStyle = 'numeric') {
	const at = typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T12:00:00+07:00`) : new Date(date)
	if (Number.isNaN(at.getTime())) return String(date)
	if (style === 'long' && lng !== 'en') {
		const parts = Object.fromEntries(
			dateFormat(lng, 'long')
				.formatToParts(at)
				.map((p) => [p.type, p.value]),
		)
		// Decree 30/2020/NĐ-CP: a day below 10 and the months 1 and 2 take a leading zero (so none can be turned into another).
		const month = Number(parts.month) < 3 ? String(parts.month).padStart(2, '0') : parts.month
		return `ngày ${String(parts.day).padStart(2, '0')} tháng ${month} năm ${parts.year}`
	}
	return dateFormat(lng, style).format(at)
}

/** A date and time in Vietnam time: `15/12/2026 14:05` / `15 Dec 2026, 14:05`. */
export function formatDateTime(date: Date | string, lng: string) {
	const at = new Date(date)
	if (Number.isNaN(at.getTime())) return String(date)
	const time = new Intl.DateTimeFormat(locale(lng), { timeZone: VIETNAM_TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at)
	return lng === 'en' ? `${formatDate(at, lng)}, ${time}` : `${formatDate(at, lng)} ${time}`
}

const ROMAN = ['I', 'II', 'III', 'IV'] as const
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const

/**
 * A reporting period ('2026', '2026-Q2', '2026-05') as people write it: `2026`, `quý II/2026`,
 * `05/2026` / `2026`, `Q2 2026`, `May 2026`. Anything else is returned as it is.
 */
export function formatPeriod(period: string, lng: string) {
	if (/^\d{4}$/.test(period)) return period
	const quarter = /^(\d{4})-Q([1-4])$/.exec(period)
	if (quarter) return lng === 'en' ? `Q${quarter[2]} ${quarter[1]}` : `quý ${ROMAN[Number(quarter[2]) - 1]}/${quarter[1]}`
	const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period)
	if (month) return lng === 'en' ? `${MONTHS_EN[Number(month[2]) - 1]} ${month[1]}` : `${month[2]}/${month[1]}`
	return period
}

const ISO_DAY_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/

/** Interpolation keys whose numbers are names, not quantities: never grouped (năm 2026, not 2.026). */
const NOT_QUANTITIES = /^(year|code|phone|pin)$|(Year|Code|Phone)$/

/**
 * i18next's formatter (`interpolation.format` with `alwaysFormat`): every number put into a sentence
 * is written the language's way (`{{count}}` → 18.500), except years and codes, and every ISO day or
 * instant as a date (`2026-07-14` → 14/07/2026); `{{value, percent}}` and `{{month, period}}` name a
 * format. Other values pass through.
 */
export function formatValue(value: unknown, format: string | undefined, lng: string | undefined, options?: Record<string, unknown>): string {
	const language = lng ?? 'vi'
	if (format === 'percent' && typeof value === 'number') return formatPercent(value, language)
	if (format === 'date' && (value instanceof Date || typeof value === 'string')) return formatDate(value, language)
	if (format === 'period' && typeof value === 'string') return formatPeriod(value, language)
	if (typeof value === 'number' && Number.isFinite(value) && !NOT_QUANTITIES.test(String(options?.interpolationkey ?? ''))) return formatNumber(value, language)
	// A calendar day or an instant in a sentence is a date people read ('2026-07-14' → 14/07/2026).
	if (value instanceof Date || (typeof value === 'string' && ISO_DAY_OR_INSTANT.test(value))) return formatDate(value, language)
	// Anything else as given: i18next turns it into text, and treats undefined as a missing value.
	return value as string
}

// ── Reading numbers people type ──

/** Why typed text is not the number asked for: the translation key of the message is `common:numbers.<reason>`. */
export type NumberProblem = 'empty' | 'notANumber' | 'notWhole' | 'ambiguous'
export type Parsed = { ok: true; value: number } | { ok: false; problem: NumberProblem }

/** Spaces people and spreadsheets put between thousands: space, no-break space, narrow no-break space, thin space. */
const SPACES = /[ \u00A0\u202F\u2009]/g
const GROUPED_BY_DOTS = /^\d{1,3}(\.\d{3})+$/
const GROUPED_BY_SPACES = /^\d{1,3}( \d{3})+$/

/**
 * A count of people typed by a person: `18500`, `18.500` (Vietnamese thousands) or `18 500`. What
 * could be read two ways, or is not a whole number, is refused, never guessed: `18,5` (a decimal
 * comma: not a count of people), `1.23` and `18,500` (dots or commas not between thousands, or a
 * comma that Vietnamese reads as a decimal mark), `12.5`.
 */
export function parseCount(text: string | number | null | undefined): Parsed {
	if (typeof text === 'number') return Number.isSafeInteger(text) ? { ok: true, value: text } : { ok: false, problem: 'notWhole' }
	const raw = (text ?? '').replace(SPACES, ' ').trim()
	if (!raw) return { ok: false, problem: 'empty' }
	if (/^\d+$/.test(raw)) return whole(raw)
	if (GROUPED_BY_DOTS.test(raw)) return whole(raw.replace(/\./g, ''))
	if (GROUPED_BY_SPACES.test(raw)) return whole(raw.replace(/ /g, ''))
	// Digits with one kind of separator in a place thousands are not: `18,5`, `1.23`, `18,500` (18.5 in Vietnamese, 18500 in English).
	if (/^\d+([.,]\d+)+$/.test(raw)) return { ok: false, problem: /^\d+,\d{3}$/.test(raw) ? 'ambiguous' : raw.includes(',') ? 'notWhole' : 'ambiguous' }
	return { ok: false, problem: 'notANumber' }
}

/**
 * A number that may have decimals (a target in %): `40`, `40,5` (Vietnamese) or `40.5`, thousands as
 * in `parseCount`. Refused as ambiguous: a dot followed by exactly three digits (`1.500`: 1500 or 1.5?),
 * or both marks (`1.500,5` is read as Vietnamese; `1,500.5` is refused).
 */
export function parseDecimal(text: string | number | null | undefined): Parsed {
	if (typeof text === 'number') return Number.isFinite(text) ? { ok: true, value: text } : { ok: false, problem: 'notANumber' }
	const raw = (text ?? '').replace(SPACES, ' ').trim()
	if (!raw) return { ok: false, problem: 'empty' }
	const count = parseCount(raw)
	if (count.ok && !raw.includes('.')) return count
	if (/^\d+$|^\d{1,3}( \d{3})+$/.test(raw)) return count
	// Vietnamese: dots between thousands, one decimal comma.
	const vi = /^(\d{1,3}(?:\.\d{3})+|\d{1,3}(?: \d{3})+|\d+),(\d+)$/.exec(raw)
	if (vi) return { ok: true, value: Number(`${vi[1]!.replace(/[. ]/g, '')}.${vi[2]}`) }
	// One dot before three digits could be either mark (`1.500`); two or more can only be thousands.
	if (GROUPED_BY_DOTS.test(raw)) return raw.split('.').length > 2 ? count : { ok: false, problem: 'ambiguous' }
	const dotted = /^(\d+)\.(\d+)$/.exec(raw)
	if (dotted) return { ok: true, value: Number(raw) }
	if (/^[\d., ]+$/.test(raw)) return { ok: false, problem: 'ambiguous' }
	return { ok: false, problem: 'notANumber' }
}

function whole(digits: string): Parsed {
	const value = Number(digits)
	return Number.isSafeInteger(value) ? { ok: true, value } : { ok: false, problem: 'notANumber' }
}

/** A calendar day typed the Vietnamese way (`15/12/2026`, `5/3/2026`) or as ISO, as 'YYYY-MM-DD'; null when it is neither. */
export function isoDay(text: string): string | null {
	const raw = text.trim()
	if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return raw
	const vi = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(raw)
	if (!vi) return null
	return `${vi[3]}-${vi[2]!.padStart(2, '0')}-${vi[1]!.padStart(2, '0')}`
}
