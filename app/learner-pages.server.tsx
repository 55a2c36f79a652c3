import { randomUUID } from 'node:crypto'
import { renderToString } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { LessonContext, Quiz } from '#app/components/mdx.tsx'
import { lessonPageState } from '#app/kernel/progression.ts'
import { shuffled } from '#app/kernel/quiz.ts'
import { scopeFromRoles } from '#app/kernel/scope.ts'
import { getLessonBySlugs, type PublicQuestion, publicQuiz } from '#app/modules/course/course.server.ts'
import { type CourseProgress, sessionCourseProgress } from '#app/modules/progress/progress.server.ts'
import { type SessionUser } from '#app/utils/auth.server.ts'
import { i18nFor } from '#app/utils/i18n-instance.server.ts'
import { lngCookie } from '#app/utils/i18n.server.ts'
import { fallbackLng, isLng, type Lng } from '#app/utils/i18n.ts'
import { hashToken, sessionIsSteady, sessionTokenOf } from '#app/utils/session.server.ts'

/**
 * The signed-in resident's lesson page without a React render per request (ADR 032). The HTTP
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
 * role, a person who has not agreed to the current notice, a lesson the learner opens for the first time (Remix records the opening), a language
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
	// Not yet agreed to the current notice: Remix sends them to it (requireNoticeAccepted).
	if (!read || read.privileged || !read.noticeAccepted || !sessionIsSteady(read.session.expiresAt, read.privileged)) return null
	const { progress, user } = read
	const lessonIds = course.lessons.map((l) => l.id)
	const state = lessonPageState({ lessonIds, lessonId: lesson.id, progress })
	if (state.enrolled && !state.locked && !progress.opened.includes(lesson.id) && offlineSave !== '1') return null
	const sessionUser: SessionUser = {
		...user,
		credentialKind: user.credentialKind as SessionUser['credentialKind'],
		roles: [],
		scope: scopeFromRoles([]),
		noticeAccepted: true,
	}
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

/** The lesson's quiz section as `Quiz` renders it for this learner and client id (from its template when there is one). */
export async function quizHtml(view: LessonView, clientId: string): Promise<string> {
	const key = `${view.key.split('\n', 2).join('\n')}\n${Number(view.enrolled)}`
	let template = quizTemplates.get(key)
	if (template === undefined) {
		template = await makeQuizTemplate(view)
		quizTemplates.set(key, template)
	}
	return template ? fillQuizTemplate(template, view.quiz, clientId) : renderQuiz(view, clientId)
}

export async function renderQuiz(view: Pick<LessonView, 'lng' | 'quiz' | 'enrolled'>, clientId: string) {
	const i18n = await i18nFor(view.lng)
	return renderToString(
		<I18nextProvider i18n={i18n}>
			<LessonContext.Provider value={{ quiz: view.quiz, clientId, feedback: null, canRecord: view.enrolled }}>
				<Quiz />
			</LessonContext.Provider>
		</I18nextProvider>,
	)
}

/**
 * The quiz as a template: what `Quiz` renders with no feedback differs between two client ids only in
 * the client id and in the order of each question's options (`shuffled`, seeded by client id and
 * question). The template is one render taken apart at those places; it is kept only if filling it
 * gives exactly what `Quiz` renders, for the client id it was made with and for two others; if not
 * (someone changed the component so that this no longer holds), the quiz is rendered per view.
 */
/** Parts: text, a question's options (its index), or the client id (-1). */
type QuizTemplate = { parts: (string | number)[]; labels: Map<string, string>[] }
// Per language, lesson and enrolled: at most two per lesson and language.
const quizTemplates = new Map<string, QuizTemplate | null>()
const LABEL = /<label>(?:(?!<\/label>)[\s\S])*?value="([^"]+)"(?:(?!<\/label>)[\s\S])*?<\/label>/g

export async function makeQuizTemplate(view: Pick<LessonView, 'lng' | 'quiz' | 'enrolled'>): Promise<QuizTemplate | null> {
	const seedId = randomUUID()
	const html = await renderQuiz(view, seedId)
	const parts: QuizTemplate['parts'] = []
	const labels: QuizTemplate['labels'] = view.quiz.map(() => new Map())
	let rest = html
	for (const [i, q] of view.quiz.entries()) {
		const start = rest.indexOf('<fieldset class="quiz-question">')
		const end = rest.indexOf('</fieldset>', start)
		if (start < 0 || end < 0) return null
		const fieldset = rest.slice(start, end)
		const found = [...fieldset.matchAll(LABEL)]
		if (found.length !== q.options.length) return null
		const first = found[0]!.index!
		const last = found.at(-1)!
		const afterLast = last.index! + last[0].length
		for (const f of found) labels[i]!.set(f[1]!, f[0])
		if (fieldset.slice(first, afterLast) !== found.map((f) => f[0]).join('')) return null
		parts.push(...split(rest.slice(0, start) + fieldset.slice(0, first), seedId), i)
		rest = fieldset.slice(afterLast) + rest.slice(end)
	}
	parts.push(...split(rest, seedId))
	const template = { parts, labels }
	for (const id of [seedId, randomUUID(), randomUUID()]) if (fillQuizTemplate(template, view.quiz, id) !== (await renderQuiz(view, id))) return null
	return template
}

function split(text: string, clientId: string): QuizTemplate['parts'] {
	return text.split(clientId).flatMap((piece, i) => (i === 0 ? [piece] : [-1, piece]))
}

export function fillQuizTemplate(template: QuizTemplate, quiz: readonly PublicQuestion[], clientId: string) {
	let out = ''
	for (const part of template.parts) {
		if (typeof part === 'string') out += part
		else if (part === -1) out += clientId
		else {
			const q = quiz[part]!
			const labels = template.labels[part]!
			for (const o of shuffled(q.options, `${clientId}:${q.id}`)) out += labels.get(o.id)
		}
	}
	return out
}
