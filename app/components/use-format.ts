import { useTranslation } from 'react-i18next'
import { formatDate, formatDateTime, formatNumber, formatPercent, formatPeriod, type DateStyle } from '#app/kernel/format.ts'

/**
 * The page's language bound into the formatters of app/kernel/format.ts: `n(18500)` → `18.500`,
 * `pct(0.5)` → `0,5%`, `date(d)` → `15/12/2026`, `period('2026-05')` → `tháng 5/2026` (English in English).
 */
export function useFormat(fixed?: 'vi' | 'en') {
	const { i18n } = useTranslation()
	// `fixed`: a document written in one language whatever the page's (the printable report is Vietnamese).
	const lng = fixed ?? (i18n.language === 'en' ? 'en' : 'vi')
	return {
		lng,
		n: (value: number, decimals?: number) => formatNumber(value, lng, decimals),
		pct: (value: number) => formatPercent(value, lng),
		date: (value: Date | string, style?: DateStyle) => formatDate(value, lng, style),
		dateTime: (value: Date | string) => formatDateTime(value, lng),
		period: (value: string) => formatPeriod(value, lng),
	}
}
