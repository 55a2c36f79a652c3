import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { RankingChart } from '#app/components/charts.tsx'
import { IndicatorTrend } from '#app/components/indicator-trend.tsx'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useFormat } from '#app/components/use-format.ts'
import { rankByExpected } from '#app/kernel/ranking.ts'
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
	const format = useFormat()
	const data = useLoaderData<typeof loader>()
	const location = useLocation()
	const search = new URLSearchParams(location.search)
	const total = data.totals.at(-1)!
	const withParams = (path: string, extra: Record<string, string> = {}) => {
		const params = new URLSearchParams(search)
		for (const [k, v] of Object.entries(extra)) params.set(k, v)
		return `${path}?${params}`
	}
	const rag = (row: Row) => row.targets.find((x) => x.indicator === 'coverage')
	const ranking = rankByExpected(data.latest.map((r) => ({ ...r, expected: rag(r)?.expected ?? null })))
	const counts = { green: 0, amber: 0, red: 0, none: 0 }
	for (const r of data.latest) counts[rag(r)?.rag ?? 'none']++
	const lastPeriod = format.period(data.last)
	const monthsDone = Number(data.range.to.slice(5, 7))
	// The example in the explanation uses a coverage target the province has set, else 100 %.
	const exampleTarget = data.latest.map((r) => rag(r)?.target).find((x) => x !== undefined) ?? 100
	return (
		<div className="report wide">
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
					? t('province:dashboard.summaryCommune', { commune: data.singleCommune, period: lastPeriod })
					: t('province:dashboard.summary', { period: lastPeriod })}
			</h2>
			<dl className="stat-cards">
				<div>
					<dt>{t('province:indicators.registered')}</dt>
					<dd data-testid="total-registered">{format.n(total.cumulative.registered)}</dd>
				</div>
				<div>
					<dt>{t('province:indicators.basicSkills')}</dt>
					<dd data-testid="total-basic-skills">{format.n(total.cumulative.basicSkills)}</dd>
				</div>
				<div>
					<dt>{t('province:indicators.coverage')}</dt>
					<dd data-testid="total-coverage">{total.coverage === null ? t('province:dashboard.missing') : format.pct(total.coverage)}</dd>
				</div>
				<div>
					<dt>{t('province:indicators.certificates')}</dt>
					<dd data-testid="total-certificates">
						{format.n(total.cumulative.certificates)}
						{data.revoked ? <span className="stat-note">{t('province:dashboard.revoked', { count: data.revoked })}</span> : null}
					</dd>
				</div>
				<div>
					<dt>
						{t('province:indicators.active')} ({lastPeriod})
					</dt>
					<dd>{format.n(total.figures.active)}</dd>
				</div>
			</dl>

			<h2>{t('province:dashboard.trend')}</h2>
			<IndicatorTrend periods={data.periods} totals={data.totals} />

			{data.singleCommune ? null : (
				<>
					<h2>{t('province:dashboard.ranking')}</h2>
					<p data-testid="ranking-lead">{t('province:dashboard.rankingLead', { period: lastPeriod, ...counts })}</p>
					<RankingChart
						label={t('province:dashboard.rankingLabel')}
						items={ranking.map((r) => {
							const status = rag(r)
							const coverage = r.coverage === null ? '' : format.pct(r.coverage)
							const gap =
								r.gap === null
									? ''
									: t(r.gap >= 0 ? 'province:dashboard.rankingAhead' : 'province:dashboard.rankingBehind', { points: format.n(Math.abs(r.gap)) })
							return {
								label: r.name,
								commune: r.communeCode,
								gap: r.gap,
								value: r.coverage,
								expected: r.expected,
								rag: status?.rag ?? null,
								text:
									r.coverage === null
										? t('province:dashboard.missing')
										: r.expected === null
											? t('province:dashboard.rankingNoTarget', { coverage })
											: `${t('province:dashboard.rankingItem', { coverage, expected: format.pct(r.expected) })} ·\u00a0${gap}${status?.rag ? ` ·\u00a0${t(`province:rag.${status.rag}`)}` : ''}`,
							}
						})}
					/>
				</>
			)}

			<h2 id="commune-table">{t('province:dashboard.table')}</h2>
			<section className="explain" aria-labelledby="explain-status" data-testid="target-explanation">
				<h3 id="explain-status">{t('province:dashboard.explainTitle')}</h3>
				<p>{t('province:dashboard.explainTarget')}</p>
				<p>{t('province:dashboard.explainExpected', { period: lastPeriod, months: monthsDone })}</p>
				<p>
					{t('province:dashboard.explainExample', {
						target: format.pct(exampleTarget),
						half: format.pct(exampleTarget / 2),
						period: lastPeriod,
						expected: format.pct(Math.round(((exampleTarget * monthsDone) / 12) * 10) / 10),
					})}
				</p>
				<p>{t('province:dashboard.explainRag')}</p>
			</section>
			<TableScroll labelledBy="commune-table">
				<table className="commune-table stack-on-phone" aria-labelledby="commune-table">
					<thead>
						<tr>
							<th scope="col">{t('province:columns.commune_name')}</th>
							{/* Cumulative figures, and those that are not (active learners) for the last period. */}
							{METRICS.map((m) => (
								<th key={m.id} scope="col">
									{m.cumulative ? t(m.labels.indicator) : `${t(m.labels.indicator)} (${lastPeriod})`}
								</th>
							))}
							<th scope="col">{t('province:indicators.adults')}</th>
							<th scope="col">{t('province:dashboard.coverageStatus')}</th>
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
										<td key={m.id} data-label={m.cumulative ? t(m.labels.indicator) : `${t(m.labels.indicator)} (${lastPeriod})`}>
											<span>
												{format.n(m.cumulative ? r.cumulative[m.id] : r.figures[m.id])}
												{m.id === 'certificates' && r.revoked ? (
													<span className="stat-note">{t('province:dashboard.revoked', { count: r.revoked })}</span>
												) : null}
											</span>
										</td>
									))}
									<td data-label={t('province:indicators.adults')}>
										{r.population ? format.n(r.population.adults) : <span className="hint">{t('province:dashboard.missing')}</span>}
									</td>
									<td data-label={t('province:dashboard.coverageStatus')}>
										<span>
											{r.coverage === null ? <span className="hint">{t('province:dashboard.missing')}</span> : format.pct(r.coverage)}{' '}
											{status ? (
												<span className={`rag rag-${status.rag ?? 'none'}`}>
													{t('province:dashboard.status', {
														status: status.rag ? t(`province:rag.${status.rag}`) : t('province:dashboard.missing'),
														expected: format.pct(status.expected),
														target: format.pct(status.target),
													})}
												</span>
											) : (
												<span className="hint">{t('province:dashboard.noTarget')}</span>
											)}
										</span>
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
							{t('province:dashboard.periodFigures')} ({lastPeriod})
						</th>
						<th scope="col">{t('province:dashboard.cumulativeFigures')}</th>
					</tr>
				</thead>
				<tbody>
					{data.courses.map((c) => (
						<tr key={c.id}>
							<th scope="row">{c.title}</th>
							<td>{format.n(total.figures.completionsByCourse[c.id] ?? 0)}</td>
							<td>{format.n(total.cumulative.completionsByCourse[c.id] ?? 0)}</td>
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
										<td>{format.period(b.period)}</td>
										<td>
											{b.label
												? t(`province:breakdownValues.${b.label}`, { defaultValue: t(`auth:learnerGroups.${b.label}`, { defaultValue: b.label }) })
												: t('province:breakdownValues.unknown')}
										</td>
										{PERIOD_METRICS.map((m) => (
											<td key={m}>{formatCell(b[m], data.breakdown!.marker, format.n)}</td>
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
					<li>
						<Link to="/province/voices">{t('voice:overview.title')}</Link>
					</li>
				</ul>
			</section>

			<Definitions />
		</div>
	)
}

/** A breakdown cell: its count, or the marker of a withheld cell. */
function formatCell(value: number | null | undefined, marker: string, n: (value: number) => string) {
	return typeof value === 'number' ? n(value) : marker
}
