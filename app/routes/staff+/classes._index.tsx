import { domainErrorResponse } from '#app/utils/errors.server.ts'
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getCourseById } from '#app/modules/course/course.server.ts'
import { listClassSessions } from '#app/features/workspace/classes.server.ts'
import { communesForStaff } from '#app/features/workspace/workspace.server.ts'
import { requireStaff } from '#app/utils/auth.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { useFormat } from '#app/components/use-format.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'workspace:classes.title')

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireStaff(request)
	const lng = await getLng(request)
	const commune = new URL(request.url).searchParams.get('commune') || (await communesForStaff(user.scope))[0]?.code || ''
	try {
		const sessions = await listClassSessions(user.scope, commune)
		return {
			commune,
			sessions: sessions.map((s) => ({
				id: s.id,
				heldOn: s.heldOn.toISOString().slice(0, 10),
				place: s.place,
				course: getCourseById(s.courseId)?.title[lng] ?? s.courseId,
				lessons: s.lessonIds.length,
				attendees: s._count.attendees,
			})),
		}
	} catch (error) {
		throw domainErrorResponse(error)
	}
}

export default function ClassList() {
	const { t } = useTranslation()
	const format = useFormat()
	const { commune, sessions } = useLoaderData<typeof loader>()
	return (
		<div>
			<h1>{t('workspace:classes.title')}</h1>
			<p>
				<Link className="button" to={`/staff/classes/new?commune=${commune}`}>
					{t('workspace:classes.new')}
				</Link>
			</p>
			<h2>{t('workspace:classes.list')}</h2>
			{sessions.length ? (
				<ul>
					{sessions.map((s) => (
						<li key={s.id}>
							<Link to={`/staff/classes/${s.id}`}>
								{format.date(s.heldOn)} ·&nbsp;{s.course}
							</Link>{' '}
							<span className="hint">
								{s.place} ·&nbsp;{t('workspace:classes.countAttendees', { count: s.attendees })}
							</span>
						</li>
					))}
				</ul>
			) : (
				<p>{t('workspace:classes.none')}</p>
			)}
		</div>
	)
}
