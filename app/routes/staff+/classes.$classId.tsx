import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getCourseById } from '#app/modules/course/course.server.ts'
import { getClassSession } from '#app/features/workspace/classes.server.ts'
import { notFound, requireStaff } from '#app/utils/auth.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'workspace:classes.title')

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireStaff(request)
	const session = await getClassSession(user.scope, params.classId ?? '')
	if (!session) throw notFound()
	const lng = await getLng(request)
	const course = getCourseById(session.courseId)
	return {
		saved: new URL(request.url).searchParams.has('saved'),
		heldOn: session.heldOn.toISOString().slice(0, 10),
		place: session.place,
		communeCode: session.communeCode,
		course: course?.title[lng] ?? session.courseId,
		lessons: session.lessonIds.map((id) => course?.lessons.find((l) => l.id === id)?.title[lng] ?? id),
		people: session.people.map((p) => ({ id: p.id, fullName: p.fullName, village: p.village })),
		// Attendees who had their data erased since (ADR 020): counted, never named.
		erased: session.attendees.length - session.people.length,
	}
}

export default function ClassDetail() {
	const { t } = useTranslation()
	const c = useLoaderData<typeof loader>()
	return (
		<div>
			<h1>{t('workspace:classes.detail', { date: c.heldOn })}</h1>
			{c.saved ? (
				<p className="notice" role="status">
					{t('workspace:classes.saved', { attendees: c.people.length, lessons: c.lessons.length })}
				</p>
			) : null}
			<p>
				{c.course}
				{c.place ? ` · ${c.place}` : ''}
			</p>
			<h2>{t('workspace:classes.lessons')}</h2>
			<ul>
				{c.lessons.map((l) => (
					<li key={l}>{l}</li>
				))}
			</ul>
			<h2>{t('workspace:classes.people')}</h2>
			<p className="hint">{t('workspace:classes.recordedBy')}</p>
			<ul>
				{c.people.map((p) => (
					<li key={p.id}>
						<Link to={`/staff/residents/${p.id}`}>{p.fullName}</Link>
						{p.village ? <span className="hint"> · {p.village}</span> : null}
					</li>
				))}
				{c.erased > 0 ? <li className="hint">{t('erasure:classErased', { count: c.erased })}</li> : null}
			</ul>
			<p>
				<Link to={`/staff/classes?commune=${c.communeCode}`}>{t('workspace:classes.list')}</Link>
			</p>
		</div>
	)
}
