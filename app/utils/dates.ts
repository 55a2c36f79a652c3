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
