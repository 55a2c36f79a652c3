import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { IndicatorTrend } from '#app/components/indicator-trend.tsx'
import { Definitions } from '#app/components/indicator-definitions.tsx'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { dashboardData } from '#app/modules/reporting/dashboard.server.ts'
import { requireProvinceLevel } from '#app/utils/auth.server.ts'
import { formatDate } from '#app/kernel/format.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'province:report.title')

/** A printable report (A4): the same figures as the dashboard and the exports. */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireProvinceLevel(request)
	return { ...(await dashboardData(request, user.scope)), generatedAt: new Date().toISOString() }
}

export default function PrintableReport() {
	const { t, i18n } = useTranslation()
	const data = useLoaderData<typeof loader>()
	const location = useLocation()
	return (
		<div className="report printable">
			<p className="no-print">
				<Link to={`/province${location.search}`}>{t('province:dashboard.back')}</Link> ·{' '}
				<button type="button" className="secondary" data-print>
					{t('province:report.print')}
				</button>
			</p>
			<h1>
				{t('province:report.title')} — {data.singleCommune ?? data.province}
			</h1>
			<p>
				{t('province:report.range', {
					from: data.range.from,
					to: data.range.to,
					granularity: t(`province:granularities.${data.query.granularity}`).toLowerCase(),
				})}
				<br />
				{t('province:report.generated', { date: formatDate(data.generatedAt, i18n.language === 'en' ? 'en' : 'vi') })}
			</p>
			<IndicatorTrend periods={data.periods} totals={data.totals} />
			<h2 id="commune-table">{t('province:dashboard.table')}</h2>
			<TableScroll labelledBy="commune-table">
				<table aria-labelledby="commune-table">
					<thead>
						<tr>
							<th scope="col">{t('province:columns.commune_code')}</th>
							<th scope="col">{t('province:columns.commune_name')}</th>
							<th scope="col">{t('province:indicators.registered')}</th>
							<th scope="col">{t('province:indicators.completions')}</th>
							<th scope="col">{t('province:indicators.basicSkills')}</th>
							<th scope="col">{t('province:indicators.adults')}</th>
							<th scope="col">{t('province:indicators.coverage')}</th>
							<th scope="col">{t('province:report.target')}</th>
						</tr>
					</thead>
					<tbody>
						{data.latest.map((r) => {
							const target = r.targets.find((x) => x.indicator === 'coverage')
							return (
								<tr key={r.communeCode}>
									<td>{r.communeCode}</td>
									<th scope="row">{r.name}</th>
									<td>{r.cumulative.registered}</td>
									<td>{r.cumulative.completions}</td>
									<td>{r.cumulative.basicSkills}</td>
									<td>{r.population?.adults ?? t('province:dashboard.missing')}</td>
									<td>{r.coverage === null ? t('province:dashboard.missing') : `${r.coverage}%`}</td>
									<td>
										{target
											? `${target.target}% — ${target.rag ? t(`province:rag.${target.rag}`) : t('province:dashboard.missing')}`
											: t('province:dashboard.noTarget')}
									</td>
								</tr>
							)
						})}
					</tbody>
				</table>
			</TableScroll>
			<Definitions />
			<script src="/print.js" defer />
		</div>
	)
}
