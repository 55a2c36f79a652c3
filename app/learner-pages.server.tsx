import { renderToString } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { LessonContext, Quiz } from '#app/components/mdx.tsx'
import { lessonPageState } from '#app/kernel/progression.ts'
import { scopeFromRoles } from '#app/kernel/scope.ts'
import { getLessonBySlugs, type PublicQuestion, publicQuiz } from '#app/modules/course/course.server.ts'
import { type CourseProgress, sessionCourseProgress } from '#app/modules/progress/progress.server.ts'
import { type SessionUser } from '#app/utils/auth.server.ts'
import { i18nFor } from '#app/utils/i18n-instance.server.ts'
import { lngCookie } from '#app/utils/i18n.server.ts'
import { fallbackLng, isLng, type Lng } from '#app/utils/i18n.ts'
import { hashToken, sessionIsSteady, sessionTokenOf } from '#app/utils/session.server.ts'

/**
 * The signed-in resident's lesson page without a React render per request (ADR 026-fast). The HTTP
 * server's learner cache (server/learner-cache.ts) keeps the page rendered by Remix once per build,
 * lesson, language and *variant* — what the page shows of a learner: enrolled or not, this lesson
 * done, locked, and which lesson "continue" points to — with slots for what differs between two
 * learners of one variant: the CSP nonce, the form's client id, the user id of the offline outbox,
 * the completed lessons the phone unlocks with, and the quiz (options in an order of their own per
 * client id). This file decides, with one statement, whether a request may take that path and
 * what goes in the slots; anything it cannot answer for certain goes to Remix (null).
 */

const LESSON_PATH = /^\/courses\/([a-z0-9-]{1,80})\/([a-z0-9-]{1,80})$/

export interface LessonView {
	/** The variant: requests with equal keys (and build) get the same page but for the slots. */
	key: string
	lng: Lng
	userId: string
	/** `data-completed` of the lesson (the phone's offline unlocking), null when not enrolled (no attribute). */
	completed: string | null
	enrolled: boolean
	/** The lesson's quiz in the page's language (empty: none). */
	quiz: readonly PublicQuestion[]
	/** What the lesson and root loaders take instead of reading the database again (a render of a new variant). */
	context: { sharedUser: Promise<SessionUser | null>; courseProgress: { courseId: string; progress: CourseProgress } }
}

/**
 * The learner's view of a lesson, or null when Remix must answer: not a lesson path, no or an
 * unknown session (signed out, "sign out everywhere", a PIN reset: the next request is a
 * visitor's), a session due to slide or expired (Remix's `keepAlive` writes it), a person holding a
 * role, a lesson the learner opens for the first time (Remix records the opening), a language
 * cookie this file does not read the way Remix does.
 */
export async function lessonView({
	pathname,
	cookie,
	offlineSave,
}: {
	pathname: string
	cookie: string | undefined
	offlineSave?: string | undefined
}): Promise<LessonView | null> {
	const slugs = LESSON_PATH.exec(pathname)
	if (!slugs || !cookie) return null
	const found = getLessonBySlugs(slugs[1]!, slugs[2]!)
	if (!found) return null
	const token = await sessionTokenOf(cookie)
	if (!token) return null
	let lng: Lng = fallbackLng
	if (/(?:^|;\s*)lng=/.test(cookie)) {
		const value = await lngCookie.parse(cookie)
		if (!isLng(value)) return null
		lng = value
	}
	const { course, lesson } = found
	const read = await sessionCourseProgress(hashToken(token), course.id)
	if (!read || read.privileged || !sessionIsSteady(read.session.expiresAt, read.privileged)) return null
	const { progress, user } = read
	const lessonIds = course.lessons.map((l) => l.id)
	const state = lessonPageState({ lessonIds, lessonId: lesson.id, progress })
	if (state.enrolled && !state.locked && !progress.opened.includes(lesson.id) && offlineSave !== '1') return null
	const sessionUser: SessionUser = { ...user, credentialKind: user.credentialKind as SessionUser['credentialKind'], roles: [], scope: scopeFromRoles([]) }
	return {
		key: `${lng}\n${pathname}\n${Number(state.enrolled)}${Number(state.done)}${Number(state.locked)}\n${state.firstOpenId ?? ''}`,
		lng,
		userId: user.id,
		completed: state.enrolled ? progress.completed.join(' ') : null,
		enrolled: state.enrolled,
		quiz: publicQuiz(lesson, lng),
		context: { sharedUser: Promise.resolve(sessionUser), courseProgress: { courseId: course.id, progress } },
	}
}

/** The lesson's quiz section as the page renders it for this learner and client id (the same component, `Quiz`). */
export async function quizHtml(view: LessonView, clientId: string): Promise<string> {
	const i18n = await i18nFor(view.lng)
	return renderToString(
		<I18nextProvider i18n={i18n}>
			<LessonContext.Provider value={{ quiz: view.quiz, clientId, feedback: null, canRecord: view.enrolled }}>
				<Quiz />
			</LessonContext.Provider>
		</I18nextProvider>,
	)
}
