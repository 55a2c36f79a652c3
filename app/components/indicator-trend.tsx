import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { type Row } from '#app/modules/reporting/indicators.server.ts'
import { TrendChart } from './charts.tsx'
import { TableScroll } from './table-scroll.tsx'

const METRICS = ['registered', 'enrolments', 'active', 'completions', 'basicSkills', 'certificates'] as const

/** The trend of the province (or commune) totals: an SVG chart and the same numbers as a table. */
export function IndicatorTrend({ periods, totals }: { periods: string[]; totals: Row[] }) {
	const { t } = useTranslation()
	const data = { periods, totals }
	const captionId = useId()
	return (
		<>
		<TrendChart
			label={t('province:dashboard.trendLabel')}
			periods={data.periods}
			series={[
				{ name: t('province:indicators.registered'), colour: '#1d4ed8', values: data.totals.map((r) => r.figures.registered) },
				{ name: t('province:indicators.active'), colour: '#b45309', values: data.totals.map((r) => r.figures.active) },
				{ name: t('province:indicators.basicSkills'), colour: '#15803d', values: data.totals.map((r) => r.figures.basicSkills) },
			]}
		/>
		<TableScroll labelledBy={captionId}>
			<table>
				<caption id={captionId}>{t('province:dashboard.trend')}</caption>
				<thead>
					<tr>
						<th scope="col">{t('province:columns.period')}</th>
						{METRICS.map((m) => (
							<th key={m} scope="col">
								{t(`province:indicators.${m}`)}
							</th>
						))}
						<th scope="col">{t('province:indicators.coverage')}</th>
					</tr>
				</thead>
				<tbody>
					{data.totals.map((r) => (
						<tr key={r.period}>
							<th scope="row">{r.period}</th>
							{METRICS.map((m) => (
								<td key={m}>{r.figures[m]}</td>
							))}
							<td>{r.coverage === null ? t('province:dashboard.missing') : `${r.coverage}%`}</td>
						</tr>
					))}
				</tbody>
			</table>
		</TableScroll>
		</>
	)
}
