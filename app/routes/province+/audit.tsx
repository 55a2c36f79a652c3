import { formatDateTime } from '#app/kernel/format.ts'
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { vietnamDay } from '#app/kernel/calendar.ts'
import { isAdmin } from '#app/kernel/scope.ts'
import { ACCESS_ACTIONS, listAuditEntries } from '#app/modules/audit/access-log.server.ts'
import { AUDIT_ACTIONS } from '#app/modules/audit/audit.server.ts'
import { communeName, provinceName } from '#app/modules/units/units.server.ts'
import { requireProvinceLevel } from '#app/utils/auth.server.ts'
import { badRequest } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'audit:title')

const ID = /^[a-z0-9]{8,40}$/i
const DAY = /^\d{4}-\d{2}-\d{2}$/
/** The "views, searches and downloads only" choice of the action filter. */
const ACCESS = 'access'

/**
 * GET /province/audit — the audit viewer (issue #18 item 5, ADR 019): who viewed, searched for,
 * exported or changed residents' records. Province officers see their provinces' entries, the
 * administrator every entry. Filters are query parameters (works without JS, links can be shared).
 */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireProvinceLevel(request)
	const lng = await getLng(request)
	const params = new URL(request.url).searchParams
	const person = params.get('person')?.trim() || undefined
	const actor = params.get('actor')?.trim() || undefined
	const action = params.get('action') || undefined
	const from = params.get('from') || undefined
	const to = params.get('to') || undefined
	const page = Number(params.get('page') || '1')
	if ((person && !ID.test(person)) || (actor && !ID.test(actor))) throw badRequest('audit:errors.person')
	if (action && action !== ACCESS && !(AUDIT_ACTIONS as readonly string[]).includes(action)) throw badRequest('common:errors.badInput')
	const fromAt = from ? vietnamMidnight(from, 0) : undefined
	const toAt = to ? vietnamMidnight(to, 1) : undefined
	if (fromAt === null || toAt === null) throw badRequest('audit:errors.date')
	if (!Number.isInteger(page) || page < 1 || page > 10_000) throw badRequest('common:errors.badInput')
	const result = await listAuditEntries({
		provinceCodes: isAdmin(user.scope) ? undefined : user.scope.provinceCodes,
		personId: person,
		actorId: actor,
		actions: action === ACCESS ? [...ACCESS_ACTIONS] : action ? [action] : undefined,
		from: fromAt,
		to: toAt,
		page,
	})
	return {
		total: result.total,
		page: result.page,
		pages: result.pages,
		actions: AUDIT_ACTIONS,
		rows: await Promise.all(
			result.rows.map(async (r) => ({
				...r,
				at: formatDateTime(r.at, lng),
				unit: r.communeCode ? await communeName(r.communeCode, lng) : r.provinceCode ? await provinceName(r.provinceCode, lng) : '',
			})),
		),
	}
}

/** Midnight in Vietnam at the start of this day (+ days), or null when it is no date. */
function vietnamMidnight(day: string, plusDays: number) {
	if (!DAY.test(day)) return null
	const at = new Date(`${day}T00:00:00+07:00`)
	// V8 rolls 2026-02-31 over to March: such a day is no date.
	if (Number.isNaN(at.getTime()) || vietnamDay(at) !== day) return null
	return new Date(at.getTime() + plusDays * 86_400_000)
}

export default function AuditViewer() {
	const { t } = useTranslation()
	const { total, page, pages, rows, actions } = useLoaderData<typeof loader>()
	const location = useLocation()
	const params = new URLSearchParams(location.search)
	const link = (changes: Record<string, string>) => {
		const next = new URLSearchParams(params)
		for (const [key, value] of Object.entries(changes)) next.set(key, value)
		if (!('page' in changes)) next.delete('page')
		return `?${next}`
	}
	return (
		<div className="report">
			<h1>{t('audit:title')}</h1>
			<p>{t('audit:intro')}</p>
			<Form method="get" className="report-filter">
				<fieldset>
					<legend>{t('audit:filters')}</legend>
					<label>
						{t('audit:person')}
						<input type="text" name="person" defaultValue={params.get('person') ?? ''} maxLength={40} autoComplete="off" aria-describedby="person-hint" />
						<span className="hint" id="person-hint">
							{t('audit:personHint')}
						</span>
					</label>
					<label>
						{t('audit:actor')}
						<input type="text" name="actor" defaultValue={params.get('actor') ?? ''} maxLength={40} autoComplete="off" />
					</label>
					<label>
						{t('audit:action')}
						<select name="action" defaultValue={params.get('action') ?? ''}>
							<option value="">{t('audit:anyAction')}</option>
							<option value={ACCESS}>{t('audit:accessOnly')}</option>
							{actions.map((a) => (
								<option key={a} value={a}>
									{t(`audit:actions.${a}`)}
								</option>
							))}
						</select>
					</label>
					<label>
						{t('audit:from')}
						<input type="date" name="from" defaultValue={params.get('from') ?? ''} />
					</label>
					<label>
						{t('audit:to')}
						<input type="date" name="to" defaultValue={params.get('to') ?? ''} />
					</label>
					<button type="submit">{t('audit:submit')}</button>
				</fieldset>
			</Form>
			<p role="status">{t('audit:found', { count: total })}</p>
			{rows.length ? (
				<TableScroll labelledBy="audit-table">
					<table>
						<caption id="audit-table">{t('audit:title')}</caption>
						<thead>
							<tr>
								<th scope="col">{t('audit:when')}</th>
								<th scope="col">{t('audit:who')}</th>
								<th scope="col">{t('audit:what')}</th>
								<th scope="col">{t('audit:about')}</th>
							</tr>
						</thead>
						<tbody>
							{rows.map((r) => (
								<tr key={r.id}>
									<td>{r.at}</td>
									<td>{r.actorId ? <Link to={link({ actor: r.actorId })}>{r.actorName ?? t('audit:unknownActor')}</Link> : t('audit:system')}</td>
									<td>
										{t(`audit:actions.${r.action}`, { defaultValue: r.action })}
										{r.unit ? <span className="hint"> ·&nbsp;{r.unit}</span> : null}
										<FilterSummary details={r.details} />
									</td>
									<td>
										{r.targetUserId ? <Link to={link({ person: r.targetUserId })}>{r.targetName ?? r.targetUserId}</Link> : null}
										{r.subjects ? <span>{t('audit:subjects', { count: r.subjects })}</span> : null}
										{r.rank !== null ? <span className="hint"> ·&nbsp;{t('audit:place', { place: r.rank })}</span> : null}
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</TableScroll>
			) : (
				<p>{t('audit:none')}</p>
			)}
			{pages > 1 ? (
				<nav className="pager" aria-label={t('audit:page', { page, pages })}>
					{page > 1 ? <Link to={link({ page: String(page - 1) })}>← {t('audit:prev')}</Link> : null}
					<span>{t('audit:page', { page, pages })}</span>
					{page < pages ? <Link to={link({ page: String(page + 1) })}>{t('audit:next')} →</Link> : null}
				</nav>
			) : null}
		</div>
	)
}

function FilterSummary({ details }: { details: Record<string, unknown> | null }) {
	const { t } = useTranslation()
	if (!details || typeof details.list !== 'string') return null
	const parts = Object.entries(details)
		.filter(([key]) => ['q', 'village', 'course', 'status', 'group'].includes(key))
		.map(([key, value]) => t(`mydata:access.filter.${key}`, { value: String(value) }))
	return (
		<>
			<br />
			<span className="hint">{[t(`mydata:access.list.${details.list}`), ...parts].join(' ·\u00a0')}</span>
		</>
	)
}
