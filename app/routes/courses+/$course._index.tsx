import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getCourseBySlug, ensureFreshContent } from '#app/modules/course/course.server.ts'
import { createHash } from 'node:crypto'
import { formatBytes, getCourseDownload } from '#app/features/offline/offline.server.ts'
import { courseVoices } from '#app/modules/voice/voice.server.ts'
import { enrolResident, getCourseProgress } from '#app/modules/progress/progress.server.ts'
import { getUser, notFound, requireUser } from '#app/utils/auth.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { titled } from '#app/utils/title.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: titled(data?.course.title) }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
	await ensureFreshContent()
	const course = getCourseBySlug(params.course ?? '')
	if (!course) throw notFound()
	const lng = await getLng(request)
	const user = await getUser(request, context)
	// A page the learner cache renders for a new variant (server/learner-cache.ts): the progress that
	// named the variant, so that the page stored for it is the one it names.
	const known = context.courseProgress?.courseId === course.id ? context.courseProgress.progress : null
	const progress = user ? (known ?? (await getCourseProgress(user.id, course.id))) : null
	const download = await getCourseDownload(course, lng)
	// The lessons' recordings in local languages are saved with them (issue #23): counted in the size.
	const voices = await courseVoices(course)
	return {
		signedIn: Boolean(user),
		offline: {
			size: formatBytes(download.bytes + voices.bytes, lng),
			voices: voices.count ? { count: voices.count, size: formatBytes(voices.bytes, lng) } : null,
			version: voices.count ? `${download.version}-${createHash('sha256').update(voices.key).digest('hex').slice(0, 8)}` : download.version,
			urls: download.urls,
		},
		course: {
			slug: course.slug,
			title: course.title[lng],
			summary: course.summary[lng],
			minutes: course.minutes,
			sequential: course.sequential,
			passMark: course.passMark,
			core: course.core,
		},
		lessons: course.lessons.map((l) => ({
			slug: l.slug,
			title: l.title[lng]!,
			minutes: l.minutes,
			hasQuiz: Boolean(l.quiz.vi?.length),
			done: progress?.completed.includes(l.id) ?? false,
			locked: progress?.enrolled ? !progress.unlocked.includes(l.id) : false,
		})),
		progress,
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireUser(request)
	const course = getCourseBySlug(params.course ?? '')
	if (!course) throw notFound()
	const form = await readFormData(request)
	if (form.get('intent') !== 'enrol') return data({ message: 'common:errors.badInput' }, { status: 400 })
	await enrolResident({ userId: user.id, courseId: course.id })
	return redirect(`/courses/${course.slug}/${course.lessons[0]!.slug}`)
}

export default function CoursePage() {
	const { t } = useTranslation()
	const { course, lessons, progress, signedIn, offline } = useLoaderData<typeof loader>()
	const next = lessons.find((l) => !l.done && !l.locked)
	return (
		<div>
			<p>
				<Link to="/courses">← {t('course:catalogue.title')}</Link>
			</p>
			<h1>{course.title}</h1>
			<p className="lead">{course.summary}</p>
			<p className="hint">
				{t('course:catalogue.meta', { lessons: lessons.length, minutes: course.minutes })} ·&nbsp;{t('course:course.passMark', { passMark: course.passMark })}
				{course.sequential ? ` ·\u00a0${t('course:course.inOrder')}` : ''}
			</p>
			{progress?.certificateCode ? (
				<p className="notice">
					✔ {t('course:progress.courseDone')} <Link to={`/certificates/${progress.certificateCode}`}>{t('learning:certificate.view')}</Link>
				</p>
			) : null}
			{progress?.enrolled ? (
				<p className="progress-line">{t('course:progress.count', { done: progress.completed.length, total: lessons.length })}</p>
			) : signedIn ? (
				<Form method="post">
					<input type="hidden" name="intent" value="enrol" />
					<button type="submit">{t('course:course.enrol')}</button>
				</Form>
			) : (
				<p className="notice">
					<Link to="/register">{t('course:course.registerToEnrol')}</Link> ·&nbsp;
					<Link to={`/login?redirectTo=/courses/${course.slug}`}>{t('auth:nav.login')}</Link>
				</p>
			)}
			<h2>{t('course:course.outline')}</h2>
			<ol className="lesson-list">
				{lessons.map((l) => (
					<li key={l.slug} className={l.done ? 'done' : l.locked ? 'locked' : undefined} data-lesson-url={`/courses/${course.slug}/${l.slug}`}>
						{l.locked ? (
							<span>
								🔒 {l.title} <span className="hint">({t('course:course.locked')})</span>
							</span>
						) : (
							<Link to={`/courses/${course.slug}/${l.slug}`}>
								{l.done ? '✔ ' : ''}
								{l.title}
							</Link>
						)}{' '}
						<span className="hint">·&nbsp;{t('course:course.minutes', { minutes: l.minutes })}</span>
					</li>
				))}
			</ol>
			{progress?.enrolled && next ? (
				<p>
					<Link className="button" to={`/courses/${course.slug}/${next.slug}`}>
						{t('course:course.continue', { title: next.title })}
					</Link>
				</p>
			) : null}
			<SaveForOffline course={{ slug: course.slug, title: course.title ?? '' }} lessons={lessons.length} enrolled={Boolean(progress?.enrolled)} {...offline} />
		</div>
	)
}

/**
 * "Save to learn offline": the download size (from the server) and what is saved (from the phone).
 * Shown by app/browser/save-offline.ts only where a service worker can work; without JavaScript there
 * is nothing to save with, and the page works as before.
 */
function SaveForOffline({
	course,
	lessons,
	enrolled,
	size,
	voices,
	version,
	urls,
}: {
	course: { slug: string; title: string }
	lessons: number
	enrolled: boolean
	size: string
	voices: { count: number; size: string } | null
	version: string
	urls: string[]
}) {
	const { t } = useTranslation()
	const msg = (key: string) => t(`offline:save.${key}`)
	return (
		<section
			className="offline-save"
			aria-labelledby="offline-save-title"
			hidden
			data-offline-save=""
			data-course={course.slug}
			data-title={course.title}
			data-version={version}
			data-urls={urls.join(' ')}
			data-enrolled={enrolled ? '' : undefined}
			data-msg-saving={msg('saving')}
			data-msg-saved={msg('saved')}
			data-msg-partial={msg('partial')}
			data-msg-none={msg('none')}
			data-msg-failed={msg('failed')}
			data-msg-removed={msg('removed')}
			data-msg-downloaded={msg('downloaded')}
			data-msg-lessonsaved={msg('lessonSaved')}
			data-msg-update={msg('update')}
		>
			<h2 id="offline-save-title">📥 {msg('title')}</h2>
			<p>{t('offline:save.size', { lessons, size })}</p>
			{voices ? <p className="hint">{t('voice:offline.included', { count: voices.count, size: voices.size })}</p> : null}
			{enrolled ? <p className="hint">{msg('auto')}</p> : null}
			<p role="status" data-status="">
				{msg('none')}
			</p>
			<p className="offline-save-actions">
				<button type="button" data-save="">
					{msg('button')}
				</button>{' '}
				<button type="button" className="secondary" data-remove="" hidden>
					{msg('remove')}
				</button>
			</p>
			<script src="/save-offline.js" defer />
		</section>
	)
}
