import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { IndicatorTrend } from '#app/components/indicator-trend.tsx'
import { Definitions } from '#app/components/indicator-definitions.tsx'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useFormat } from '#app/components/use-format.ts'
import { dashboardData } from '#app/modules/reporting/dashboard.server.ts'
import { requireProvinceLevel } from '#app/utils/auth.server.ts'
import { cleanSearchText } from '#app/utils/input.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'province:report.title')

/** What the officer may write on the document before printing (GET parameters, never stored). */
const DOC_FIELDS = { parent: 120, body: 120, number: 40, signerTitle: 120, signerName: 80, recipients: 600 } as const
type DocField = keyof typeof DOC_FIELDS

/**
 * A printable report (A4) laid out as a Vietnamese administrative document (Decree 30/2020/NĐ-CP):
 * issuing body and number at the top left, national title and motto at the top right with the place
 * and date, the document type and summary, the body, "Nơi nhận" and the signature block. The same
 * figures as the dashboard and the exports; the document is in Vietnamese whatever the page language.
 */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireProvinceLevel(request)
	const params = new URL(request.url).searchParams
	const doc = Object.fromEntries(
		(Object.keys(DOC_FIELDS) as DocField[]).map((k) => [
			k,
			k === 'recipients'
				? (params.get(k) ?? '')
						.split(/\r?\n/)
						.map((line) => cleanSearchText(line.replace(/^[-–•]\s*/, '').replace(/[;.]\s*$/, ''), 120))
						.filter(Boolean)
						.slice(0, 10)
				: cleanSearchText(params.get(k), DOC_FIELDS[k]),
		]),
	) as Record<Exclude<DocField, 'recipients'>, string> & { recipients: string[] }
	return { ...(await dashboardData(request, user.scope, { lng: 'vi' })), generatedAt: new Date().toISOString(), doc }
}

export default function PrintableReport() {
	const { t: ui } = useTranslation()
	// The document itself is Vietnamese (an administrative document); the controls around it follow the page.
	const { t } = useTranslation(undefined, { lng: 'vi' })
	const format = useFormat('vi')
	const data = useLoaderData<typeof loader>()
	const location = useLocation()
	const search = new URLSearchParams(location.search)
	const total = data.totals.at(-1)!
	const place = data.province.replace(/^(Tỉnh|Thành phố)\s+/u, '')
	const where = data.singleCommune ?? data.province
	const blank = '……………'
	const rag = (row: (typeof data.latest)[number]) => row.targets.find((x) => x.indicator === 'coverage')
	const counts = { green: 0, amber: 0, red: 0, none: 0 }
	for (const r of data.latest) counts[rag(r)?.rag ?? 'none']++
	const recipients = data.doc.recipients.length ? data.doc.recipients : [t('province:report.defaultRecipient')]
	const lastPeriod = format.period(data.last)
	return (
		<div className="report printable">
			<div className="no-print">
				<p>
					<Link to={`/province${location.search}`}>{ui('province:dashboard.back')}</Link> ·&nbsp;
					<button type="button" className="secondary" data-print>
						{ui('province:report.print')}
					</button>
				</p>
				<p className="hint">{ui('province:report.layoutNote')}</p>
				<details className="doc-fields">
					<summary>{ui('province:report.docFields')}</summary>
					<Form method="get">
						{['province', 'from', 'to', 'granularity', 'commune'].map((k) =>
							search.get(k) ? <input key={k} type="hidden" name={k} value={search.get(k)!} /> : null,
						)}
						{(['parent', 'body', 'number', 'signerTitle', 'signerName'] as const).map((k) => (
							<div className="field" key={k}>
								<label htmlFor={`doc-${k}`}>{ui(`province:report.fields.${k}`)}</label>
								<input id={`doc-${k}`} name={k} defaultValue={data.doc[k]} maxLength={DOC_FIELDS[k]} />
							</div>
						))}
						<div className="field">
							<label htmlFor="doc-recipients">{ui('province:report.fields.recipients')}</label>
							<textarea id="doc-recipients" name="recipients" rows={4} defaultValue={data.doc.recipients.join('\n')} maxLength={DOC_FIELDS.recipients} />
						</div>
						<button type="submit">{ui('province:report.apply')}</button>
					</Form>
				</details>
			</div>

			<article className="official-doc" lang="vi" data-testid="official-doc">
				<header className="doc-head">
					<div className="doc-issuer">
						<p className="doc-parent">{data.doc.parent || t('province:report.parentBody', { province: data.province.toLocaleUpperCase('vi') })}</p>
						<p className="doc-body">{data.doc.body ? data.doc.body.toLocaleUpperCase('vi') : blank}</p>
						<p className="doc-number">{t('province:report.number', { number: data.doc.number || `${blank}/BC-${blank}` })}</p>
					</div>
					<div className="doc-nation">
						<p className="doc-national">{t('province:report.nationalTitle')}</p>
						<p className="doc-motto">{t('province:report.motto')}</p>
						<p className="doc-place-date">{t('province:report.placeDate', { place, date: format.date(data.generatedAt, 'long') })}</p>
					</div>
				</header>

				<h1 className="doc-title">
					{t('province:report.docType')}
					<span className="doc-summary">{t('province:report.summary', { where, from: format.period(data.range.from), to: format.period(data.range.to) })}</span>
				</h1>

				<section className="doc-content">
					<h2>{t('province:report.sectionResults')}</h2>
					<p data-testid="report-results">
						{t(total.coverage === null ? 'province:report.resultsNoPopulation' : 'province:report.results', {
							period: lastPeriod,
							where,
							registered: total.cumulative.registered,
							basicSkills: total.cumulative.basicSkills,
							coverage: total.coverage === null ? '' : format.pct(total.coverage),
							certificates: total.cumulative.certificates,
							revoked: data.revoked,
						})}
					</p>
					{data.singleCommune ? null : <p>{t('province:report.statusText', { period: lastPeriod, ...counts })}</p>}
					<p>{t('province:report.source', { time: format.dateTime(data.generatedAt) })}</p>

					<h2>{t('province:report.sectionTrend')}</h2>
					<IndicatorTrend periods={data.periods} totals={data.totals} lng="vi" />

					<h2 id="commune-table">{t('province:report.sectionCommunes')}</h2>
					<TableScroll labelledBy="commune-table">
						<table aria-labelledby="commune-table" className="doc-table">
							<thead>
								<tr>
									<th scope="col">{t('province:report.columns.order')}</th>
									<th scope="col">{t('province:columns.commune_name')}</th>
									<th scope="col">{t('province:indicators.registered')}</th>
									<th scope="col">{t('province:indicators.basicSkills')}</th>
									<th scope="col">{t('province:indicators.adults')}</th>
									<th scope="col">{t('province:indicators.coverage')}</th>
									<th scope="col">{t('province:report.columns.status')}</th>
									<th scope="col">{t('province:report.columns.certificates')}</th>
								</tr>
							</thead>
							<tbody>
								{data.latest.map((r, i) => {
									const status = rag(r)
									return (
										<tr key={r.communeCode} data-commune={r.communeCode}>
											<td>{i + 1}</td>
											<th scope="row">{r.name}</th>
											<td>{format.n(r.cumulative.registered)}</td>
											<td>{format.n(r.cumulative.basicSkills)}</td>
											<td>{r.population ? format.n(r.population.adults) : t('province:dashboard.missing')}</td>
											<td>{r.coverage === null ? t('province:dashboard.missing') : format.pct(r.coverage)}</td>
											<td className="doc-text">
												{status
													? t('province:dashboard.status', {
															status: status.rag ? t(`province:rag.${status.rag}`) : t('province:dashboard.missing'),
															expected: format.pct(status.expected),
															target: format.pct(status.target),
														})
													: t('province:dashboard.noTarget')}
											</td>
											<td>
												{format.n(r.cumulative.certificates)}
												{r.revoked ? ` (${t('province:dashboard.revoked', { count: r.revoked })})` : ''}
											</td>
										</tr>
									)
								})}
							</tbody>
						</table>
					</TableScroll>

					<Definitions lng="vi" heading={t('province:report.sectionDefinitions')} />
				</section>

				<footer className="doc-foot">
					<div className="doc-recipients">
						<p className="doc-recipients-title">{t('province:report.recipients')}</p>
						<ul>
							{recipients.map((r, i) => (
								<li key={`${r}-${i}`}>
									- {r}
									{i === recipients.length - 1 ? '.' : ';'}
								</li>
							))}
						</ul>
					</div>
					<div className="doc-signature">
						<p className="doc-signer-title">{data.doc.signerTitle ? data.doc.signerTitle.toLocaleUpperCase('vi') : blank}</p>
						<p className="doc-signer-name">{data.doc.signerName || blank}</p>
					</div>
				</footer>
			</article>
			<script src="/print.js" defer />
		</div>
	)
}
