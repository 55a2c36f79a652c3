import { orRefuse } from '#app/utils/errors.server.ts'
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getCatalogue, getCourseById } from '#app/modules/course/course.server.ts'
import { maskPhone } from '#app/modules/people/phone.ts'
import { communeName } from '#app/modules/units/units.server.ts'
import { RESIDENT_STATUSES, type ResidentStatus } from '#app/features/workspace/constants.ts'
import { recordResidentList } from '#app/features/workspace/access.server.ts'
import { PAGE_SIZE, requireCommune, searchResidents } from '#app/features/workspace/workspace.server.ts'
import { requirePersonalData, requireStaff } from '#app/utils/auth.server.ts'
import { isProvinceLevel, personalDataScope } from '#app/kernel/scope.ts'
import { badRequest } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'workspace:residents.title')

const GROUPS = ['RESIDENT', 'OFFICIAL', 'STUDENT', 'WORKER']

/** The resident list: search, filters and pages are query parameters, so it works without JS and links can be shared. */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireStaff(request)
	const lng = await getLng(request)
	const params = new URL(request.url).searchParams
	const communeCode = params.get('commune') || undefined
	const courseId = params.get('course') || undefined
	const status = (params.get('status') || undefined) as ResidentStatus | undefined
	const learnerGroup = params.get('group') || undefined
	const page = Number(params.get('page') || '1')
	if (courseId && !getCourseById(courseId)) throw badRequest('workspace:errors.course')
	if (status && !RESIDENT_STATUSES.includes(status)) throw badRequest('common:errors.badInput')
	if (learnerGroup && !GROUPS.includes(learnerGroup)) throw badRequest('common:errors.badInput')
	if (!Number.isInteger(page) || page < 1 || page > 10_000) throw badRequest('common:errors.badInput')
	// Names and phones: only where the caller may see residents' personal data (403 otherwise).
	if (communeCode) {
		requirePersonalData(user.scope, await orRefuse(() => requireCommune(user.scope, communeCode)))
	}
	const people = personalDataScope(user.scope)
	if (isProvinceLevel(user.scope) && !people.communeCodes.length && !people.provinceCodes.length) {
		throw Response.json({ message: 'staff:export.errors.personalData' }, { status: 403 })
	}
	const search = { communeCode, q: params.get('q') ?? undefined, courseId, status, village: params.get('village') ?? undefined, learnerGroup, page }
	const result = await searchResidents(people, search)
	// The access log (ADR 019): who saw which residents, with what filter; one statement.
	await recordResidentList({
		actorId: user.id,
		scope: user.scope,
		list: 'residents',
		communeCode,
		filter: { q: search.q, village: search.village, course: courseId, status, group: learnerGroup, commune: communeCode, page: result.page },
		residentIds: result.rows.map((r) => r.id),
		offset: (result.page - 1) * PAGE_SIZE,
	})
	const catalogue = getCatalogue(lng)
	const titles = new Map(catalogue.map((c) => [c.id, c.title]))
	return {
		total: result.total,
		page: result.page,
		pages: result.pages,
		courses: catalogue.map((c) => ({ id: c.id, title: c.title })),
		rows: await Promise.all(
			result.rows.map(async (r) => ({
				id: r.id,
				fullName: r.fullName,
				phone: r.phone ? maskPhone(r.phone) : '',
				village: r.village,
				commune: await communeName(r.communeCode, lng),
				activated: Boolean(r.credentialKind),
				courses: r.enrolments.map((e) => ({
					title: titles.get(e.courseId) ?? e.courseId,
					done: e._count.lessons,
					total: getCourseById(e.courseId)?.lessons.length ?? 0,
					completed: Boolean(e.completedAt),
				})),
			})),
		),
	}
}

export default function ResidentList() {
	const { t } = useTranslation()
	const { total, page, pages, rows, courses } = useLoaderData<typeof loader>()
	const location = useLocation()
	const params = new URLSearchParams(location.search)
	const pageLink = (p: number) => {
		const next = new URLSearchParams(params)
		next.set('page', String(p))
		return `?${next}`
	}
	return (
		<div className="report">
			<h1>{t('workspace:residents.title')}</h1>
			{params.get('erased') ? (
				<p className="notice" role="status">
					{t('erasure:staff.done')}
				</p>
			) : null}
			{params.get('moved') ? (
				<p className="notice" role="status">
					{t('staff:resident.moved')}
				</p>
			) : null}
			<Form method="get" className="report-filter">
				<fieldset>
					{params.get('commune') ? <input type="hidden" name="commune" value={params.get('commune')!} /> : null}
					<label>
						{t('workspace:residents.search')}
						<input type="search" name="q" defaultValue={params.get('q') ?? ''} maxLength={100} />
					</label>
					<label>
						{t('workspace:residents.course')}
						<select name="course" defaultValue={params.get('course') ?? ''}>
							<option value="">{t('workspace:residents.anyCourse')}</option>
							{courses.map((c) => (
								<option key={c.id} value={c.id}>
									{c.title}
								</option>
							))}
						</select>
					</label>
					<label>
						{t('workspace:residents.status')}
						<select name="status" defaultValue={params.get('status') ?? ''}>
							<option value="">{t('workspace:residents.anyStatus')}</option>
							{RESIDENT_STATUSES.map((s) => (
								<option key={s} value={s}>
									{t(`workspace:residents.statuses.${s}`)}
								</option>
							))}
						</select>
					</label>
					<label>
						{t('workspace:residents.village')}
						<input type="text" name="village" defaultValue={params.get('village') ?? ''} maxLength={100} />
					</label>
					<label>
						{t('workspace:residents.group')}
						<select name="group" defaultValue={params.get('group') ?? ''}>
							<option value="">{t('workspace:residents.anyGroup')}</option>
							{GROUPS.map((g) => (
								<option key={g} value={g}>
									{t(`auth:learnerGroups.${g}`)}
								</option>
							))}
						</select>
					</label>
					<button type="submit">{t('workspace:residents.filter')}</button>
				</fieldset>
			</Form>
			<p role="status">{t('workspace:residents.found', { count: total })}</p>
			{rows.length ? (
				<ul className="resident-list">
					{rows.map((r) => (
						<li key={r.id}>
							<Link to={`/staff/residents/${r.id}`}>{r.fullName}</Link>{' '}
							<span className="hint">
								{r.phone} ·&nbsp;{r.commune}
								{r.village ? ` ·\u00a0${r.village}` : ''}
								{r.activated ? '' : ` ·\u00a0${t('workspace:residents.statuses.not-activated')}`}
							</span>
							{r.courses.length ? (
								<span className="hint">
									<br />
									{r.courses
										.map((c) =>
											c.completed
												? t('workspace:residents.completedCourse', { course: c.title })
												: t('workspace:residents.progress', { course: c.title, done: c.done, total: c.total }),
										)
										.join(' ·\u00a0')}
								</span>
							) : null}
						</li>
					))}
				</ul>
			) : (
				<p>{t('workspace:residents.none')}</p>
			)}
			{pages > 1 ? (
				<nav className="pager" aria-label={t('workspace:residents.page', { page, pages })}>
					{page > 1 ? <Link to={pageLink(page - 1)}>← {t('workspace:residents.prev')}</Link> : null}
					<span>{t('workspace:residents.page', { page, pages })}</span>
					{page < pages ? <Link to={pageLink(page + 1)}>{t('workspace:residents.next')} →</Link> : null}
				</nav>
			) : null}
		</div>
	)
}
