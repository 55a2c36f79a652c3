import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { RankingChart } from '#app/components/charts.tsx'
import { IndicatorTrend } from '#app/components/indicator-trend.tsx'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { Definitions } from '#app/components/indicator-definitions.tsx'
import { dashboardData } from '#app/modules/reporting/dashboard.server.ts'
import { EXPORT_FORMATS } from '#app/modules/reporting/constants.ts'
import { GRANULARITIES } from '#app/kernel/calendar.ts'
import { BREAKDOWNS } from '#app/kernel/demographics.ts'
import { metric, METRICS, PERIOD_METRICS } from '#app/kernel/metrics.ts'
import { type Row } from '#app/modules/reporting/indicators.server.ts'
import { requireProvinceLevel } from '#app/utils/auth.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'province:dashboard.title')

/** The province dashboard (issue #6): totals, trend, ranking, per-commune table, drill-down, exports. */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireProvinceLevel(request)
	return dashboardData(request, user.scope)
}

export default function ProvinceDashboard() {
	const { t } = useTranslation()
	const data = useLoaderData<typeof loader>()
	const location = useLocation()
	const search = new URLSearchParams(location.search)
	const total = data.totals.at(-1)!
	const withParams = (path: string, extra: Record<string, string> = {}) => {
		const params = new URLSearchParams(search)
		for (const [k, v] of Object.entries(extra)) params.set(k, v)
		return `${path}?${params}`
	}
	const ranking = [...data.latest].sort((a, b) => (b.coverage ?? -1) - (a.coverage ?? -1) || a.name.localeCompare(b.name, 'vi'))
	const rag = (row: Row) => row.targets.find((x) => x.indicator === 'coverage')
	return (
		<div className="report">
			<h1>{data.singleCommune ?? t('province:dashboard.title')}</h1>
			<p className="lead">{t('province:dashboard.lead', { province: data.province })}</p>
			{data.singleCommune ? (
				<p>
					<Link to={withParams('/province', { commune: '' })}>{t('province:dashboard.back')}</Link>
				</p>
			) : null}

			<Form method="get" className="report-filter no-print">
				<fieldset>
					<legend>{t('province:dashboard.filter')}</legend>
					{data.provinces.length > 1 ? (
						<label>
							{t('auth:fields.province')}
							<select name="province" defaultValue={data.query.provinceCode}>
								{data.provinces.map((p) => (
									<option key={p.value} value={p.value}>
										{p.label}
									</option>
								))}
							</select>
						</label>
					) : null}
					<label>
						{t('province:dashboard.from')}
						<input type="month" name="from" defaultValue={data.query.from} required />
					</label>
					<label>
						{t('province:dashboard.to')}
						<input type="month" name="to" defaultValue={data.query.to} required />
					</label>
					<label>
						{t('province:dashboard.granularity')}
						<select name="granularity" defaultValue={data.query.granularity}>
							{GRANULARITIES.map((g) => (
								<option key={g} value={g}>
									{t(`province:granularities.${g}`)}
								</option>
							))}
						</select>
					</label>
					<label>
						{t('province:dashboard.commune')}
						<select name="commune" defaultValue={data.query.communeCodes?.length === 1 ? data.query.communeCodes[0] : ''}>
							<option value="">{t('province:dashboard.allCommunes')}</option>
							{data.communes.map((c) => (
								<option key={c.value} value={c.value}>
									{c.label}
								</option>
							))}
						</select>
					</label>
					<label>
						{t('province:dashboard.breakdown')}
						<select name="breakdown" defaultValue={data.query.breakdown ?? ''}>
							<option value="">{t('province:dashboard.noBreakdown')}</option>
							{BREAKDOWNS.map((b) => (
								<option key={b} value={b}>
									{t(`province:breakdowns.${b}`)}
								</option>
							))}
						</select>
					</label>
					<button type="submit">{t('province:dashboard.show')}</button>
				</fieldset>
			</Form>

			<h2>
				{data.singleCommune
					? t('province:dashboard.summaryCommune', { commune: data.singleCommune, period: data.last })
					: t('province:dashboard.summary', { period: data.last })}
			</h2>
			<dl className="stat-cards">
				<div>
					<dt>{t('province:indicators.registered')}</dt>
					<dd data-testid="total-registered">{total.cumulative.registered}</dd>
				</div>
				<div>
					<dt>{t('province:indicators.basicSkills')}</dt>
					<dd data-testid="total-basic-skills">{total.cumulative.basicSkills}</dd>
				</div>
				<div>
					<dt>{t('province:indicators.coverage')}</dt>
					<dd>{total.coverage === null ? t('province:dashboard.missing') : `${total.coverage}%`}</dd>
				</div>
				<div>
					<dt>{t('province:indicators.certificates')}</dt>
					<dd>{total.cumulative.certificates}</dd>
				</div>
				<div>
					<dt>
						{t('province:indicators.active')} ({data.last})
					</dt>
					<dd>{total.figures.active}</dd>
				</div>
			</dl>

			<h2>{t('province:dashboard.trend')}</h2>
			<IndicatorTrend periods={data.periods} totals={data.totals} />

			{data.singleCommune ? null : (
				<>
					<h2>{t('province:dashboard.ranking')}</h2>
					<RankingChart
						label={t('province:dashboard.rankingLabel')}
						items={ranking.map((r) => ({
							label: r.name,
							value: r.coverage,
							rag: rag(r)?.rag ?? null,
							status: rag(r)?.rag ? t(`province:rag.${rag(r)!.rag}`) : undefined,
							note: t('province:dashboard.missing'),
						}))}
					/>
				</>
			)}

			<h2 id="commune-table">{t('province:dashboard.table')}</h2>
			<TableScroll labelledBy="commune-table">
				<table className="commune-table" aria-labelledby="commune-table">
					<thead>
						<tr>
							<th scope="col">{t('province:columns.commune_name')}</th>
							{/* Cumulative figures, and those that are not (active learners) for the last period. */}
							{METRICS.map((m) =>
								m.cumulative ? (
									<th key={m.id} scope="col">
										{t(m.labels.indicator)}
									</th>
								) : (
									<th key={m.id} scope="col">
										{t(m.labels.indicator)} ({data.last})
									</th>
								),
							)}
							<th scope="col">{t('province:indicators.adults')}</th>
							<th scope="col">{t('province:indicators.coverage')}</th>
						</tr>
					</thead>
					<tbody>
						{data.latest.map((r) => {
							const status = rag(r)
							return (
								<tr key={r.communeCode} data-commune={r.communeCode}>
									<th scope="row">
										<Link to={withParams('/province', { commune: r.communeCode })}>{r.name}</Link>
									</th>
									{METRICS.map((m) => (
										<td key={m.id}>{m.cumulative ? r.cumulative[m.id] : r.figures[m.id]}</td>
									))}
									<td>{r.population ? r.population.adults : <span className="hint">{t('province:dashboard.missing')}</span>}</td>
									<td>
										{r.coverage === null ? <span className="hint">{t('province:dashboard.missing')}</span> : `${r.coverage}%`}{' '}
										{status ? (
											<span className={`rag rag-${status.rag ?? 'none'}`}>
												{status.rag ? t(`province:rag.${status.rag}`) : ''} ({status.expected}% / {status.target}%)
											</span>
										) : (
											<span className="hint">{t('province:dashboard.noTarget')}</span>
										)}
									</td>
								</tr>
							)
						})}
					</tbody>
				</table>
			</TableScroll>

			<h2 id="course-table">{t('province:dashboard.courses')}</h2>
			<table aria-labelledby="course-table">
				<thead>
					<tr>
						<th scope="col">{t('province:columns.course')}</th>
						<th scope="col">
							{t('province:dashboard.periodFigures')} ({data.last})
						</th>
						<th scope="col">{t('province:dashboard.cumulativeFigures')}</th>
					</tr>
				</thead>
				<tbody>
					{data.courses.map((c) => (
						<tr key={c.id}>
							<th scope="row">{c.title}</th>
							<td>{total.figures.completionsByCourse[c.id] ?? 0}</td>
							<td>{total.cumulative.completionsByCourse[c.id] ?? 0}</td>
						</tr>
					))}
				</tbody>
			</table>

			{data.breakdown ? (
				<>
					<h2 id="breakdown-table">
						{t('province:dashboard.breakdown')}: {t(`province:breakdowns.${data.breakdown.by}`)}
					</h2>
					<TableScroll labelledBy="breakdown-table">
						<table aria-labelledby="breakdown-table">
							<thead>
								<tr>
									<th scope="col">{t('province:columns.commune_name')}</th>
									<th scope="col">{t('province:columns.period')}</th>
									<th scope="col">{t(`province:breakdowns.${data.breakdown.by}`)}</th>
									{PERIOD_METRICS.map((m) => (
										<th key={m} scope="col">
											{t(metric(m).labels.indicator)}
										</th>
									))}
								</tr>
							</thead>
							<tbody>
								{data.breakdown.rows.map((b) => (
									<tr key={`${b.communeCode}-${b.period}-${b.value}`}>
										<th scope="row">{b.name}</th>
										<td>{b.period}</td>
										<td>
											{b.label
												? t(`province:breakdownValues.${b.label}`, { defaultValue: t(`auth:learnerGroups.${b.label}`, { defaultValue: b.label }) })
												: t('province:breakdownValues.unknown')}
										</td>
										{PERIOD_METRICS.map((m) => (
											<td key={m}>{b[m] ?? data.breakdown!.marker}</td>
										))}
									</tr>
								))}
							</tbody>
						</table>
					</TableScroll>
					{data.breakdown.anySuppressed ? (
						<p className="hint">{t('province:dashboard.suppressedNote', { marker: data.breakdown.marker, threshold: data.breakdown.threshold })}</p>
					) : null}
				</>
			) : null}

			<section className="no-print">
				<h2>{t('province:dashboard.exports')}</h2>
				<ul className="export-links">
					{EXPORT_FORMATS.map((f) => (
						<li key={f}>
							<a href={withParams('/province/export', { format: f, province: data.query.provinceCode })} download>
								{t(`province:formats.${f}`)}
							</a>
						</li>
					))}
					<li>
						<Link to={withParams('/province/report', { province: data.query.provinceCode })}>{t('province:dashboard.print')}</Link>
					</li>
				</ul>
				<h2>{t('province:dashboard.manage')}</h2>
				<ul className="link-list">
					<li>
						<Link to={`/province/population?province=${data.query.provinceCode}`}>{t('province:dashboard.populationLink')}</Link>
					</li>
					<li>
						<Link to="/province/api-tokens">{t('province:dashboard.tokensLink')}</Link>
					</li>
					<li>
						<Link to="/province/staff">{t('auth:staffAdmin.title')}</Link>
					</li>
					<li>
						<Link to="/province/audit">{t('audit:link')}</Link>
					</li>
				</ul>
			</section>

			<Definitions />
		</div>
	)
}
