import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getCatalogue, ensureFreshContent } from '#app/modules/course/course.server.ts'
import { getMyLearning } from '#app/modules/progress/progress.server.ts'
import { getUser } from '#app/utils/auth.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'course:catalogue.title')

export async function loader({ request, context }: LoaderFunctionArgs) {
	await ensureFreshContent()
	const lng = await getLng(request)
	const user = await getUser(request, context)
	// A page the learner cache renders for a new variant (ADR 043): the enrolments that named it.
	const mine = user ? (context.myLearning ?? (await getMyLearning(user.id))) : []
	const progress = Object.fromEntries(mine.map((m) => [m.courseId, { done: m.completedCount, total: m.lessonCount, completed: Boolean(m.completedAt) }]))
	return { courses: getCatalogue(lng), progress }
}

export default function Catalogue() {
	const { t } = useTranslation()
	const { courses, progress } = useLoaderData<typeof loader>()
	// The courses of "basic digital skills" first, under their own heading; the others after them.
	const core = courses.filter((c) => c.core)
	const groups = [
		{ key: 'core', heading: t('course:catalogue.coreHeading'), lead: t('course:catalogue.coreLead', { count: core.length }), list: core },
		{ key: 'more', heading: t('course:catalogue.moreHeading'), lead: t('course:catalogue.moreLead'), list: courses.filter((c) => !c.core) },
	].filter((g) => g.list.length)
	return (
		<div>
			<h1>{t('course:catalogue.title')}</h1>
			<p className="lead">{t('course:catalogue.lead')}</p>
			{groups.map((g) => (
				<section key={g.key} aria-labelledby={`courses-${g.key}`}>
					<h2 id={`courses-${g.key}`}>{g.heading}</h2>
					<p className="hint">{g.lead}</p>
					<ol className="course-list">
						{g.list.map((c) => {
							const p = progress[c.id]
							return (
								<li key={c.id} className="course-card">
									<h3>
										<Link to={`/courses/${c.slug}`}>{c.title}</Link>
									</h3>
									<p>{c.summary}</p>
									<p className="hint">{t('course:catalogue.meta', { lessons: c.lessonCount, minutes: c.minutes })}</p>
									{p ? (
										<p className="progress-line">
											{p.completed ? `✔ ${t('course:progress.courseDone')}` : t('course:progress.count', { done: p.done, total: p.total })}
										</p>
									) : null}
								</li>
							)
						})}
					</ol>
				</section>
			))}
		</div>
	)
}
