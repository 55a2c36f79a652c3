import { lessonPageState, lessonsRequiredBefore } from '#app/kernel/progression.ts'
import { isDomainError } from '#app/kernel/errors.ts'
import { randomUUID } from 'node:crypto'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { LessonContext, mdxComponents, type QuizFeedback, useLessonComponent } from '#app/components/mdx.tsx'
import { getLessonBySlugs, getLessonCode, publicQuiz, ensureFreshContent } from '#app/modules/course/course.server.ts'
import { ClientIdSchema, readAnswers } from '#app/modules/progress/progress.schema.ts'
import { getCourseProgress, recordLessonCompletion, recordLessonOpened } from '#app/modules/progress/progress.server.ts'
import { answeredQuiz, answeredQuizLocation, submitQuiz } from '#app/modules/progress/quiz-submission.server.ts'
import { OFFLINE_SAVE_HEADER } from '#app/kernel/offline-constants.ts'
import { LessonVoices } from '#app/components/lesson-voices.tsx'
import { lessonVoices } from '#app/modules/voice/voice.server.ts'
import { getUser, notFound, requireNoticeAccepted, requireUser } from '#app/utils/auth.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { titled } from '#app/utils/title.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: titled(data?.lesson.title) }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
	await ensureFreshContent()
	const found = getLessonBySlugs(params.course ?? '', params.lesson ?? '')
	if (!found) throw notFound()
	const { course, lesson, prev, next } = found
	const lng = await getLng(request)
	const user = await getUser(request, context)
	// The root loader sends a person who has not agreed to the current notice there, but loaders run
	// side by side: without this, this one would record the opening anyway (ADR 028).
	if (user) requireNoticeAccepted(request, user)
	// After a quiz submission on this page, the action already knows the progress it wrote.
	const fromAction = context.courseProgress?.courseId === course.id ? context.courseProgress.progress : null
	const progress = user ? (fromAction ?? (await getCourseProgress(user.id, course.id))) : null
	const lessonIds = course.lessons.map((l) => l.id)
	const { locked, done, enrolled, firstOpenId } = lessonPageState({ lessonIds, lessonId: lesson.id, progress })
	// After a full-page quiz post (the action's 303): the answer it recorded.
	const answered = await answeredQuiz({ found, request, userId: user?.id ?? null, lng })
	// Saving a course for offline reading (app/browser/save-offline.ts) is not opening its lessons.
	const saving = request.headers.get(OFFLINE_SAVE_HEADER) === '1'
	if (progress?.enrolled && !locked && !saving && !progress.opened.includes(lesson.id)) await recordLessonOpened({ userId: user!.id, lessonId: lesson.id })
	// A locked lesson still carries its (public) content, hidden: saved on the phone, it opens
	// offline once the lessons before it are done there (app/browser/lesson.ts).
	const { code, hash } = await getLessonCode(lesson, lng)
	const firstOpen = firstOpenId ? course.lessons.find((l) => l.id === firstOpenId) : undefined
	return {
		lng,
		course: { slug: course.slug, title: course.title[lng]!, lessonCount: course.lessons.length },
		lesson: { id: lesson.id, title: lesson.title[lng]!, minutes: lesson.minutes, position: lesson.position, hasQuiz: Boolean(lesson.quiz.vi?.length) },
		prev: prev ? { slug: prev.slug, title: prev.title[lng]! } : null,
		next: next ? { slug: next.slug, title: next.title[lng]! } : null,
		code,
		hash,
		quiz: publicQuiz(lesson, lng),
		answered,
		// Recordings in the languages residents speak (issue #23): a separate part of the page.
		voices: await lessonVoices(lesson, lng),
		// A fresh one per page; a visitor's page cached by server.js gets a fresh one per copy.
		clientId: context.renderTokens?.clientId ?? randomUUID(),
		signedIn: Boolean(user),
		enrolled,
		done,
		locked,
		firstOpen: firstOpen ? { slug: firstOpen.slug, title: firstOpen.title[lng]! } : null,
		certificateCode: progress?.certificateCode ?? null,
		offline:
			user && progress?.enrolled
				? {
						userId: user.id,
						requires: lessonsRequiredBefore({ lessonIds, lessonId: lesson.id, sequential: course.sequential }),
						completed: progress.completed,
					}
				: null,
	}
}

export async function action({ request, params, context }: ActionFunctionArgs) {
	const found = getLessonBySlugs(params.course ?? '', params.lesson ?? '')
	if (!found) throw notFound()
	const { course, lesson, next } = found
	const form = await readFormData(request)
	const intent = form.get('intent')
	// Recording progress never changes the user: the loaders after this action reuse the lookup.
	const user = await getUser(request, context)
	// Nothing is recorded for a person before they agree to the current notice (ADR 028): to the
	// notice, and back to the lesson (the loaders would send them there after the action otherwise).
	if (user) requireNoticeAccepted(request, user)
	if (intent === 'submit-quiz') {
		const submitted = await submitQuiz({
			found,
			clientId: form.get('clientId'),
			answers: readAnswers(form),
			userId: user?.id ?? null,
			lng: await getLng(request),
		})
		if (!submitted.ok) return data({ feedback: null, error: submitted.error }, { status: submitted.status })
		// Recorded: 303 to the lesson showing the stored answer, no page rendered here (ADR 033).
		if (submitted.feedback.recorded) return redirect(answeredQuizLocation(request.url, String(form.get('clientId'))), 303)
		return data({ feedback: submitted.feedback, error: null })
	}
	const clientId = ClientIdSchema.safeParse(form.get('clientId'))
	if (!clientId.success) return data({ feedback: null, error: 'learning:errors.badClientId' }, { status: 400 })
	try {
		if (intent === 'complete') {
			const signedIn = await requireUser(request)
			const result = await recordLessonCompletion({ userId: signedIn.id, lessonId: lesson.id, clientEventId: clientId.data })
			if (result.certificateCode) return redirect(`/certificates/${result.certificateCode}?new=1`)
			return redirect(next ? `/courses/${course.slug}/${next.slug}` : `/courses/${course.slug}`)
		}
	} catch (error) {
		if (isDomainError(error)) return data({ feedback: null, error: error.key }, { status: error.status })
		throw error
	}
	return data({ feedback: null, error: 'common:errors.badInput' }, { status: 400 })
}

export default function LessonPage() {
	const { t } = useTranslation()
	const d = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const feedback = actionData?.feedback ?? d.answered ?? null
	const justCompleted = feedback?.passed && feedback.recorded
	return (
		<article
			className="lesson"
			lang={d.lng}
			data-lesson-id={d.lesson.id}
			data-enrolled={d.offline ? '' : undefined}
			data-requires={d.offline?.requires.join(' ')}
			data-completed={d.offline?.completed.join(' ')}
		>
			<p className="breadcrumb">
				<a href={`/courses/${d.course.slug}`}>{d.course.title}</a> ·&nbsp;{t('course:lesson.position', { n: d.lesson.position, total: d.course.lessonCount })}
			</p>
			<h1>{d.lesson.title}</h1>
			<p className="hint">
				{t('course:course.minutes', { minutes: d.lesson.minutes })}
				{d.done ? ` ·\u00a0✔ ${t('course:lesson.done')}` : ''}
			</p>
			<LessonVoices voices={d.voices} />
			<div className="no-print listen-slot">
				<p className="listen-controls">
					<button
						type="button"
						className="secondary listen"
						hidden
						data-listen={t('course:lesson.listen')}
						data-pause={t('course:lesson.pause')}
						data-resume={t('course:lesson.resume')}
						data-lang={d.lng === 'vi' ? 'vi-VN' : 'en-US'}
					>
						🔊 {t('course:lesson.listen')}
					</button>
					<button type="button" className="secondary listen-slower" hidden aria-pressed="false">
						🐢 {t('course:lesson.slower')}
					</button>
				</p>
				<p className="hint" hidden data-no-voice="">
					{t('course:lesson.noVoice')}
				</p>
			</div>
			{actionData?.error ? (
				<div className="form-error" role="alert">
					{t(actionData.error)}
				</div>
			) : null}
			{d.offline ? (
				<p
					className="notice"
					role="status"
					hidden
					data-offline-notice=""
					data-msg-queued-complete={`✔ ${t('offline:lesson.queuedComplete')}`}
					data-msg-queued-quiz={t('offline:lesson.queuedQuiz')}
					data-msg-unlocked={t('offline:lesson.unlocked')}
					data-msg-waiting={t('offline:lesson.waiting')}
				/>
			) : null}
			{d.locked ? (
				<div className="notice" data-lock-notice="">
					<p>🔒 {t('course:lesson.locked')}</p>
					{d.firstOpen ? (
						<p>
							<Link to={`/courses/${d.course.slug}/${d.firstOpen.slug}`}>{t('course:course.continue', { title: d.firstOpen.title })}</Link>
						</p>
					) : null}
				</div>
			) : null}
			<div hidden={d.locked} data-locked-body={d.locked ? '' : undefined}>
				<LessonBody code={d.code} hash={d.hash} quiz={d.quiz} clientId={d.clientId} feedback={feedback} canRecord={d.enrolled} />
				{d.enrolled && !d.lesson.hasQuiz && !d.done ? (
					<form method="post" className="complete-form">
						<input type="hidden" name="intent" value="complete" />
						<input type="hidden" name="clientId" value={d.clientId} />
						<button type="submit" data-offline-form="complete">
							✔ {t('course:lesson.complete')}
						</button>
					</form>
				) : null}
			</div>
			{!d.signedIn ? (
				<p className="notice">{t('course:lesson.signInToSave')}</p>
			) : d.enrolled ? null : (
				<p className="notice">{t('course:lesson.enrolToSave')}</p>
			)}
			<nav className="lesson-nav" aria-label={t('course:lesson.nav')}>
				{d.prev ? (
					<a href={`/courses/${d.course.slug}/${d.prev.slug}`} rel="prev">
						← {d.prev.title}
					</a>
				) : (
					<span />
				)}
				{d.next ? (
					<a href={`/courses/${d.course.slug}/${d.next.slug}`} rel="next" className={justCompleted || d.done ? 'button' : undefined}>
						{d.next.title} →
					</a>
				) : (
					<a href={`/courses/${d.course.slug}`}>{t('course:lesson.backToCourse')} →</a>
				)}
			</nav>
			<script src="/lesson.js" defer />
		</article>
	)
}

function LessonBody({
	code,
	hash,
	quiz,
	clientId,
	feedback,
	canRecord,
}: {
	code: string
	hash: string
	quiz: readonly { id: string; question: string; options: { id: string; text: string }[] }[]
	clientId: string
	feedback: QuizFeedback | null
	canRecord: boolean
}) {
	const Component = useLessonComponent(code, hash)
	return (
		<LessonContext.Provider value={{ quiz, clientId, feedback, canRecord }}>
			<div className="lesson-body">
				<Component components={mdxComponents} />
			</div>
		</LessonContext.Provider>
	)
}
