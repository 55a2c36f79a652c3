import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { homeFor } from '#app/kernel/scope.ts'
import { getCatalogue } from '#app/modules/course/course.server.ts'
import { continueWith, getMyLearning } from '#app/modules/progress/progress.server.ts'
import { getUser } from '#app/utils/auth.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageText } from '#app/utils/meta.ts'
import { titled } from '#app/utils/title.ts'

export const meta: MetaFunction = ({ matches }) => [{ title: titled() }, { name: 'description', content: pageText(matches, 'home.lead') ?? '' }]

/**
 * The front door. A visitor sees what they can learn and how to start; a signed-in resident sees
 * "Học tiếp" with the next lesson of the course they are in the middle of; staff and officers a way
 * to their workspace.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
	const user = await getUser(request, context)
	const lng = await getLng(request)
	// What there is to learn: every course of the catalogue, in its order (not a list kept by hand).
	if (!user) return { signedIn: false as const, topics: getCatalogue(lng).map((c) => ({ id: c.id, title: c.title })) }
	// A page the learner cache renders for a new variant (ADR 043): the enrolments that named it.
	const learning = context.myLearning ?? (await getMyLearning(user.id))
	const current = continueWith(learning)
	return {
		signedIn: true as const,
		name: user.fullName,
		workspace: homeFor(user.scope) === '/me' ? null : homeFor(user.scope),
		next: current?.next
			? {
					href: `/courses/${current.slug}/${current.next.slug}`,
					course: current.title[lng],
					lesson: current.next.title[lng],
					done: current.completedCount,
					total: current.lessonCount,
				}
			: null,
		finished: learning.filter((c) => c.completedAt).length,
	}
}

export default function Index() {
	const { t } = useTranslation()
	const d = useLoaderData<typeof loader>()
	if (d.signedIn) {
		return (
			<div className="home">
				<h1>{t('home.hello', { name: d.name })}</h1>
				{d.next ? (
					<div className="notice">
						<p>{t('home.continueLead', { course: d.next.course, done: d.next.done, total: d.next.total })}</p>
						<p>
							<Link className="button" to={d.next.href}>
								{t('home.continue', { lesson: d.next.lesson })}
							</Link>
						</p>
					</div>
				) : (
					<p>{d.finished ? t('home.allDone', { count: d.finished }) : t('home.pickCourse')}</p>
				)}
				{d.workspace ? (
					<p>
						<Link className="button secondary" to={d.workspace}>
							{d.workspace === '/staff' ? t('home.toStaff') : t('home.toProvince')}
						</Link>
					</p>
				) : null}
				<p>
					<Link to="/courses">{t('home.browseCourses')}</Link>
				</p>
				<p>
					<Link to="/me">{t('home.myLearning')}</Link>
				</p>
			</div>
		)
	}
	return (
		<div className="home">
			<h1>{t('home.title')}</h1>
			<p className="lead">{t('home.lead')}</p>
			<ul className="home-topics">
				{d.topics.map((c) => (
					<li key={c.id}>{c.title}</li>
				))}
			</ul>
			<p>
				<Link className="button" to="/courses">
					{t('home.browseCourses')}
				</Link>
			</p>
			<p>
				<Link className="button secondary" to="/register">
					{t('home.register')}
				</Link>
			</p>
			<p>
				<Link to="/login">{t('home.login')}</Link>
			</p>
		</div>
	)
}
