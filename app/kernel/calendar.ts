/**
 * Vietnam time (UTC+7, no daylight saving): the calendar every figure is counted in and every date is
 * shown in, whatever the server's own time zone. Pure: safe in the browser.
 */

/** Dates people see are Vietnamese calendar dates (UTC+7), whatever the server's own time zone. */
export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh'

/**
 * A date in Vietnam time, for display in `lng`: `long` spells the month out ("5 tháng 3, 2025" /
 * "5 March 2025"), `numeric` is the short form ("5/3/2025" / "05/03/2025").
 */
export function formatVietnamDate(date: Date | string, lng: string, style: 'long' | 'numeric' = 'long') {
	const options: Intl.DateTimeFormatOptions = style === 'long' ? { day: 'numeric', month: 'long', year: 'numeric' } : {}
	return new Date(date).toLocaleDateString(lng === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: VIETNAM_TIME_ZONE, ...options })
}

/** A moment in Vietnam time, hour and date ("14:05 5/3/2025" / "05/03/2025, 14:05"): when someone looked at a record. */
export function formatVietnamDateTime(date: Date | string, lng: string) {
	return new Date(date).toLocaleString(lng === 'vi' ? 'vi-VN' : 'en-GB', {
		timeZone: VIETNAM_TIME_ZONE,
		day: 'numeric',
		month: 'numeric',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		hour12: false,
	})
}

/** The Vietnamese calendar day of an instant, 'YYYY-MM-DD'. */
export function vietnamDay(at: Date): string {
	return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10)
}

/** The month, quarter and year an event falls in (Vietnamese calendar): '2026-03', '2026-Q1', '2026'. */
export function periodsOf(at: Date): [string, string, string] {
	const day = vietnamDay(at)
	const year = day.slice(0, 4)
	const month = Number(day.slice(5, 7))
	return [day.slice(0, 7), `${year}-Q${Math.ceil(month / 3)}`, year]
}

/** The month before 'YYYY-MM'. */
export function previousMonth(month: string) {
	const [y, m] = month.split('-').map(Number) as [number, number]
	return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}

/** Reporting periods: a month, a quarter or a year. */
export type Granularity = 'month' | 'quarter' | 'year'
export const GRANULARITIES: Granularity[] = ['month', 'quarter', 'year']
