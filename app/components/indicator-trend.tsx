import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { METRICS, metric, PERIOD_METRICS } from '#app/kernel/metrics.ts'
import { type Row } from '#app/modules/reporting/indicators.server.ts'
import { TrendChart } from './charts.tsx'
import { TableScroll } from './table-scroll.tsx'
import { useFormat } from './use-format.ts'

/** The trend of the province (or commune) totals: an SVG chart and the same numbers as a table. */
export function IndicatorTrend({ periods, totals, lng }: { periods: string[]; totals: Row[]; lng?: 'vi' | 'en' }) {
	const { t } = useTranslation(undefined, { lng })
	const format = useFormat(lng)
	const data = { periods, totals }
	const captionId = useId()
	return (
		<>
			<TrendChart
				label={t('province:dashboard.trendLabel')}
				n={format.n}
				periods={data.periods}
				series={METRICS.flatMap((m) =>
					m.perPeriod && m.chartColour ? [{ name: t(m.labels.indicator), colour: m.chartColour, values: data.totals.map((r) => r.figures[m.id]) }] : [],
				)}
			/>
			<TableScroll labelledBy={captionId}>
				<table>
					<caption id={captionId}>{t('province:dashboard.trend')}</caption>
					<thead>
						<tr>
							<th scope="col">{t('province:columns.period')}</th>
							{PERIOD_METRICS.map((m) => (
								<th key={m} scope="col">
									{t(metric(m).labels.indicator)}
								</th>
							))}
							<th scope="col">{t('province:indicators.coverage')}</th>
						</tr>
					</thead>
					<tbody>
						{data.totals.map((r) => (
							<tr key={r.period}>
								<th scope="row">{format.period(r.period)}</th>
								{PERIOD_METRICS.map((m) => (
									<td key={m}>{format.n(r.figures[m])}</td>
								))}
								<td>{r.coverage === null ? t('province:dashboard.missing') : format.pct(r.coverage)}</td>
							</tr>
						))}
					</tbody>
				</table>
			</TableScroll>
		</>
	)
}
