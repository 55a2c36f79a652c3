/**
 * Vietnam time (UTC+7, no daylight saving): the calendar every figure is counted in and every date is
 * shown in, whatever the server's own time zone. Pure: safe in the browser.
 */

/** Dates people see are Vietnamese calendar dates (UTC+7), whatever the server's own time zone (written by app/kernel/format.ts). */
export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh'

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
