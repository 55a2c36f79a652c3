import { domainErrorResponse } from '#app/utils/errors.server.ts'
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { getCatalogue } from '#app/modules/course/course.server.ts'
import { maskPhone } from '#app/modules/people/phone.ts'
import { listRecentResidents } from '#app/modules/people/residents.server.ts'
import { listCommunes } from '#app/modules/units/units.server.ts'
import { recordResidentList } from '#app/features/workspace/access.server.ts'
import { communeDashboard, communesForStaff, helpByPerson, requireCommune, residentsNeedingHelp } from '#app/features/workspace/workspace.server.ts'
import { canExportPersonalData, isCommuneStaffOf } from '#app/kernel/scope.ts'
import { METRICS } from '#app/kernel/metrics.ts'
import { requireStaff } from '#app/utils/auth.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { useFormat } from '#app/components/use-format.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'workspace:dashboard.title')

/** The commune dashboard: the same figures as the province's for this commune, and who needs help. */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireStaff(request)
	const lng = await getLng(request)
	const communes = await communesForStaff(user.scope)
	const wanted = new URL(request.url).searchParams.get('commune') || communes[0]?.code || ''
	let commune
	try {
		commune = await requireCommune(user.scope, wanted)
	} catch (error) {
		throw domainErrorResponse(error)
	}
	const allowed = new Set(communes.map((c) => c.code))
	const provinces = [...new Set(communes.map((c) => c.provinceCode))]
	const options = (await Promise.all(provinces.slice(0, 3).map((p) => listCommunes(p, lng, (code) => allowed.has(code))))).flat()
	// Who needs help and who registered lately are named: only where the caller may see residents' personal data.
	const people = canExportPersonalData(user.scope, commune)
	const [dashboard, help, recent] = await Promise.all([
		communeDashboard(commune),
		people ? residentsNeedingHelp(commune.code) : [],
		people ? listRecentResidents(user.scope, 10, commune.code) : [],
	])
	// Names on the dashboard are a list of residents shown to staff (ADR 019).
	const shown = [...new Set([...help.map((h) => h.userId), ...recent.map((r) => r.id)])]
	await recordResidentList({ actorId: user.id, scope: user.scope, list: 'home', communeCode: commune.code, residentIds: shown })
	const courses = getCatalogue(lng)
	const title = new Map(courses.map((c) => [c.id, c.title]))
	const caller = isCommuneStaffOf(user.scope, commune.code)
	return {
		commune: { code: commune.code, name: options.find((o) => o.value === commune.code)?.label ?? commune.code },
		// The residents list, the import and the named lists are offered only to whom they are open (issue #16).
		canExport: people,
		options,
		dashboard,
		courses: courses.map((c) => ({ id: c.id, title: c.title, core: c.core })),
		// One row per person. The commune's own staff call them: the full number, a tap to call; anyone
		// else allowed to see the list gets it masked.
		help: helpByPerson(help).map((p) => ({
			...p,
			phone: p.phone ? (caller ? p.phone : maskPhone(p.phone)) : null,
			callable: Boolean(p.phone) && caller,
			reasons: p.reasons.map((r) => ({ ...r, course: title.get(r.courseId) ?? r.courseId })),
		})),
		recent: recent.map((r) => ({
			id: r.id,
			fullName: r.fullName,
			phone: r.phone ? maskPhone(r.phone) : '',
			village: r.village,
			activated: Boolean(r.credentialKind),
		})),
	}
}

/** How many people who need help the dashboard lists before folding the rest. */
const HELP_SHOWN = 10

export default function StaffHome() {
	const { t } = useTranslation()
	const format = useFormat()
	const { commune, canExport, options, dashboard, courses, help, recent } = useLoaderData<typeof loader>()
	// A busy officer sees the first ten; the rest fold away (no JavaScript needed).
	const helpRow = (h: (typeof help)[number]) => (
		<li key={h.userId}>
			<Link to={`/staff/residents/${h.userId}`}>{h.fullName}</Link>
			{h.village ? <span className="hint"> ·&nbsp;{h.village}</span> : null}
			{h.phone ? (
				<>
					{' '}
					{/* The dot goes with the phone: a line never ends in it (the link itself never wraps). */}
					<span className="nowrap">
						·&nbsp;
						{h.callable ? (
							<a href={`tel:${h.phone}`} className="tel" aria-label={t('workspace:dashboard.call', { name: h.fullName, phone: h.phone })}>
								📞 {h.phone}
							</a>
						) : (
							<span className="hint">{h.phone}</span>
						)}
					</span>
				</>
			) : null}
			<ul className="help-reasons">
				{h.reasons.map((r) => (
					<li key={`${r.reason}-${r.lessonId ?? r.courseId}`} className="hint">
						{r.reason === 'stalled'
							? t('workspace:dashboard.stalled', { course: r.course, since: format.date(r.since) })
							: t('workspace:dashboard.failedQuiz', { course: r.course, count: r.count, since: format.date(r.since) })}
					</li>
				))}
			</ul>
		</li>
	)
	const { thisMonth, lastMonth } = dashboard
	const q = `?commune=${commune.code}`
	const columns = {
		thisMonth: t('workspace:dashboard.thisMonth', { month: format.period(thisMonth.period) }),
		lastMonth: t('workspace:dashboard.lastMonth', { month: format.period(lastMonth.period) }),
		total: t('workspace:dashboard.total'),
	}
	return (
		<div className="report">
			<h1>
				{t('workspace:dashboard.title')} — {commune.name}
			</h1>
			{options.length > 1 ? (
				<Form method="get" className="report-filter">
					<fieldset>
						<label>
							{t('workspace:dashboard.chooseCommune')}
							<select name="commune" defaultValue={commune.code}>
								{options.map((o) => (
									<option key={o.value} value={o.value}>
										{o.label}
									</option>
								))}
							</select>
						</label>
						<button type="submit">{t('workspace:dashboard.show')}</button>
					</fieldset>
				</Form>
			) : null}

			<nav aria-label={t('workspace:dashboard.actions')}>
				<ul className="action-links">
					<li>
						<Link className="button" to="/staff/residents/new">
							{t('workspace:dashboard.register')}
						</Link>
					</li>
					{canExport && help.length ? (
						<li>
							{/* The people to call first, below the figures: one tap down to them. */}
							<a href="#needs-help">
								{t('workspace:dashboard.needsHelpCount', { count: help.length })} <span aria-hidden="true">↓</span>
							</a>
						</li>
					) : null}
					{canExport ? (
						<li>
							<Link to={`/staff/residents${q}`}>{t('workspace:dashboard.residents')}</Link>
						</li>
					) : null}
					<li>
						<Link to={`/staff/classes${q}`}>{t('workspace:dashboard.classes')}</Link>
					</li>
					{canExport ? (
						<li>
							<Link to={`/staff/import${q}`}>{t('workspace:dashboard.import')}</Link>
						</li>
					) : null}
					{canExport ? (
						<li>
							<Link to={`/staff/export${q}&format=csv`} reloadDocument>
								{t('workspace:dashboard.export')} (CSV)
							</Link>{' '}
							·&nbsp;
							<Link to={`/staff/export${q}&format=xlsx`} reloadDocument>
								XLSX
							</Link>
						</li>
					) : null}
				</ul>
			</nav>

			<h2 id="commune-figures">{t('workspace:dashboard.figures')}</h2>
			<TableScroll labelledBy="commune-figures">
				{/* On a phone each figure is a card: this month, last month and the total under its name (no sideways scroll). */}
				<table className="commune-figures stack-on-phone" aria-labelledby="commune-figures">
					<thead>
						<tr>
							<td />
							<th scope="col">{columns.thisMonth}</th>
							<th scope="col">{columns.lastMonth}</th>
							<th scope="col">{columns.total}</th>
						</tr>
					</thead>
					<tbody>
						{METRICS.filter((m) => m.perPeriod).map((m) => (
							<tr key={m.id} data-metric={m.id}>
								<th scope="row">{t(m.labels.workspace)}</th>
								<td data-label={columns.thisMonth}>{format.n(thisMonth.figures[m.id])}</td>
								<td data-label={columns.lastMonth}>{format.n(lastMonth.figures[m.id])}</td>
								<td data-label={columns.total}>{m.cumulative ? format.n(thisMonth.cumulative[m.id]) : ''}</td>
							</tr>
						))}
					</tbody>
				</table>
			</TableScroll>
			<p className="hint">{t('workspace:dashboard.agree')}</p>

			<h2 id="per-course">{t('workspace:dashboard.perCourse')}</h2>
			<table aria-labelledby="per-course">
				<tbody>
					{courses.map((c) => (
						<tr key={c.id}>
							<th scope="row">{c.title}</th>
							<td>{format.n(thisMonth.cumulative.completionsByCourse[c.id] ?? 0)}</td>
						</tr>
					))}
				</tbody>
			</table>

			{canExport ? (
				<>
					<h2 id="needs-help">{t('workspace:dashboard.needsHelpCount', { count: help.length })}</h2>
					{help.length ? (
						<>
							<ul className="help-list">{help.slice(0, HELP_SHOWN).map(helpRow)}</ul>
							{help.length > HELP_SHOWN ? (
								<details className="help-more">
									<summary>{t('workspace:dashboard.helpMore', { count: help.length - HELP_SHOWN })}</summary>
									<ul className="help-list">{help.slice(HELP_SHOWN).map(helpRow)}</ul>
								</details>
							) : null}
						</>
					) : (
						<p>{t('workspace:dashboard.needsHelpNone')}</p>
					)}

					<h2>{t('staff:home.recent')}</h2>
					<ul className="resident-list">
						{recent.map((r) => (
							<li key={r.id}>
								<Link to={`/staff/residents/${r.id}`}>{r.fullName}</Link>{' '}
								<span className="hint">
									{r.phone}
									{r.village ? ` ·\u00a0${r.village}` : ''}
									{r.activated ? '' : ` ·\u00a0${t('staff:home.notActivated')}`}
								</span>
							</li>
						))}
					</ul>
					<p>
						<Link to={`/staff/residents${q}`}>{t('workspace:dashboard.residents')} →</Link>
					</p>
				</>
			) : (
				// Officers without the administrator's permission, administrators: figures only (issue #16).
				<p className="hint">{t('staff:export.errors.personalData')}</p>
			)}
		</div>
	)
}
