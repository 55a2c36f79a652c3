import { randomUUID } from 'node:crypto'
import { renderToString } from 'react-dom/server'
import { z } from 'zod'
import { I18nextProvider } from 'react-i18next'
import { LessonContext, Quiz, type QuizFeedback } from '#app/components/mdx.tsx'
import { ANSWERED_QUERY, CATALOGUE_PATH, COURSE_PATH, HOME_PATH, LESSON_PATH } from '#app/kernel/learner-paths.ts'
import { lessonPageState } from '#app/kernel/progression.ts'
import { shuffled } from '#app/kernel/quiz.ts'
import { scopeFromRoles } from '#app/kernel/scope.ts'
import { AnswersSchema } from '#app/features/offline/sync.schema.ts'
import { getCourseBySlug, getLessonById, getLessonBySlugs, type PublicQuestion, publicQuiz } from '#app/modules/course/course.server.ts'
import {
	type CourseProgress,
	continueWith,
	type MyLearning,
	recordLessonOpened,
	sessionCourseProgress,
	sessionLearning,
} from '#app/modules/progress/progress.server.ts'
import { readAnswers } from '#app/modules/progress/progress.schema.ts'
import { answeredQuizLocation, type QuizSubmission, recordedFeedback, submitQuiz } from '#app/modules/progress/quiz-submission.server.ts'
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

export interface LessonView {
	/** The variant: requests with equal keys (and build) get the same page but for the slots. */
	key: string
	lng: Lng
	userId: string
	lessonId: string
	/** `data-completed` of the lesson (the phone's offline unlocking), null when not enrolled (no attribute). */
	completed: string | null
	enrolled: boolean
	/** The lesson's quiz in the page's language (empty: none). */
	quiz: readonly PublicQuestion[]
	/** `?quiz=` of the page (after a full-page quiz post): it also appears in the page's language link. */
	answeredId: string | null
	/** The stored attempt that `?quiz=` names, shown in the quiz section; null when it names none of this learner's. */
	answered: QuizFeedback | null
	/** The learner's certificate of the course, linked from the course page (a slot); null on lesson pages and when there is none. */
	certificateCode: string | null
	/** The learner's name, greeting them on the home page (a slot); null on every other page, which never shows it. */
	name: string | null
	/** What the lesson and root loaders take instead of reading the database again (a render of a new variant). */
	context: { sharedUser: Promise<SessionUser | null>; courseProgress?: { courseId: string; progress: CourseProgress }; myLearning?: MyLearning }
}

/**
 * The learner's view of a lesson, or null when Remix must answer: not a lesson path, no or an
 * unknown session (signed out, "sign out everywhere", a PIN reset: the next request is a
 * visitor's), a session due to slide or expired (Remix's `keepAlive` writes it), a person holding a
 * role, a person who has not agreed to the current notice, a language
 * cookie this file does not read the way Remix does.
 */
export async function lessonView({
	pathname,
	search = '',
	cookie,
	offlineSave,
}: {
	pathname: string
	/** The query string with its `?`: none, or exactly `?quiz=<client id>`. */
	search?: string
	cookie: string | undefined
	offlineSave?: string | undefined
}): Promise<LessonView | null> {
	const answeredId = search ? (ANSWERED_QUERY.exec(search)?.[1] ?? null) : null
	if (search && !answeredId) return null
	const learner = await signedInLearner({
		pathname,
		cookie,
		// With `?quiz=`, the attempt it names is read in the same statement (as the route's answeredQuiz reads it).
		attempt: answeredId,
	})
	if (!learner) return null
	const { found, lng, read } = learner
	const { course, lesson } = found
	const { user } = read
	let { progress } = read
	const lessonIds = course.lessons.map((l) => l.id)
	const state = lessonPageState({ lessonIds, lessonId: lesson.id, progress })
	if (state.enrolled && !state.locked && !progress.opened.includes(lesson.id) && offlineSave !== '1') {
		// The first opening, recorded as the lesson route's loader records it (the same function, which
		// checks again under the learner's lock); the page is the same before and after it. A resident
		// opens each lesson once or twice: this is much of their reading, and under other learners'
		// writes Remix took 10–20 times as long (ADR 036). A failure: Remix answers (and records).
		await recordLessonOpened({ userId: user.id, lessonId: lesson.id, unopened: true })
		progress = { ...progress, opened: [...progress.opened, lesson.id] }
	}
	const answered = read.attempt ? recordedFeedback(found, read.attempt, lng) : null
	const sessionUser = residentOf(user)
	return {
		// After a post the page differs in its language link (`?quiz=` in it, a slot) and, when the
		// attempt is found, in the quiz section (a slot) and the "next" link (a passed attempt).
		key: `${lng}\n${pathname}\n${Number(state.enrolled)}${Number(state.done)}${Number(state.locked)}\n${state.firstOpenId ?? ''}${answeredId ? `\nquiz:${answered ? Number(answered.passed) : '-'}` : ''}`,
		lng,
		userId: user.id,
		lessonId: lesson.id,
		completed: state.enrolled ? progress.completed.join(' ') : null,
		enrolled: state.enrolled,
		quiz: publicQuiz(lesson, lng),
		answeredId,
		answered,
		certificateCode: null,
		name: null,
		context: { sharedUser: Promise.resolve(sessionUser), courseProgress: { courseId: course.id, progress } },
	}
}

/**
 * The learner's view of a course page (`/courses/<course>`, no query string), or null when Remix
 * must answer (as `lessonView`). The page shows of the learner whether they are enrolled, each
 * lesson done, locked or open (which also gives the count and where "continue" points) and whether
 * they hold the certificate: that is the variant; the certificate's code and the outbox's user id
 * are slots. Nothing is written here: opening a course page records nothing.
 */
export async function courseView({ pathname, cookie }: { pathname: string; cookie: string | undefined }): Promise<LessonView | null> {
	const slug = COURSE_PATH.exec(pathname)
	if (!slug || !cookie) return null
	const course = getCourseBySlug(slug[1]!)
	if (!course) return null
	const signed = await signedInSession(cookie)
	if (!signed) return null
	const { lng, sessionId } = signed
	const read = await sessionCourseProgress(sessionId, course.id)
	if (!read || !steadyLearner(read)) return null
	const { user, progress } = read
	const lessons = course.lessons
		.map((l) => (progress.completed.includes(l.id) ? 'd' : progress.enrolled && !progress.unlocked.includes(l.id) ? 'l' : 'o'))
		.join('')
	return pageView({
		key: `${lng}\n${pathname}\ncourse:${Number(progress.enrolled)}:${lessons}:${progress.certificateCode ? 'c' : '-'}`,
		lng,
		user,
		enrolled: progress.enrolled,
		certificateCode: progress.certificateCode,
		context: { courseProgress: { courseId: course.id, progress } },
	})
}

/**
 * The learner's view of the catalogue (`/courses`, no query string), or null when Remix must answer
 * (as `lessonView`). The page shows of the learner each course they are enrolled in as done or with
 * its count of lessons done: that is the variant (one statement reads it, `sessionLearning`); the
 * outbox's user id is the only slot.
 */
export async function catalogueView({ pathname, cookie }: { pathname: string; cookie: string | undefined }): Promise<LessonView | null> {
	const read = pathname === CATALOGUE_PATH && cookie ? await learnerWithLearning(cookie) : null
	if (!read) return null
	const { lng, user, learning } = read
	const courses = learning
		.map((c) => `${c.courseId}:${c.completedAt ? 'c' : c.completedCount}`)
		.sort()
		.join(' ')
	return pageView({ key: `${lng}\n${pathname}\ncatalogue:${courses}`, lng, user, enrolled: learning.length > 0, context: { myLearning: learning } })
}

/**
 * The learner's view of the home page (`/`, no query string), or null when Remix must answer (as
 * `lessonView`). The page greets the learner by name (a slot: stored only when the name is found
 * exactly once) and shows the course and lesson "Học tiếp" leads to, its count of lessons done, or
 * how many courses are done: that is the variant, read with `sessionLearning` and chosen as the
 * home loader chooses it (`continueWith`).
 */
export async function homeView({ pathname, cookie }: { pathname: string; cookie: string | undefined }): Promise<LessonView | null> {
	const read = pathname === HOME_PATH && cookie ? await learnerWithLearning(cookie) : null
	if (!read) return null
	const { lng, user, learning } = read
	const current = continueWith(learning)
	const finished = learning.filter((c) => c.completedAt).length
	return pageView({
		key: `${lng}\n${pathname}\nhome:${current?.next ? `${current.courseId}:${current.next.slug}:${current.completedCount}` : '-'}:${finished}`,
		lng,
		user,
		enrolled: learning.length > 0,
		name: user.fullName,
		context: { myLearning: learning },
	})
}

type Learner = NonNullable<Awaited<ReturnType<typeof sessionCourseProgress>>>['user']

/** A session Remix need not answer for: steady (not due to slide), of a resident with no role who agreed to the current notice. */
function steadyLearner(read: { privileged: boolean; noticeAccepted: boolean; session: { expiresAt: Date } }) {
	return !read.privileged && read.noticeAccepted && sessionIsSteady(read.session.expiresAt, read.privileged)
}

/** The signed-in learner of `cookie` with every enrolment (`sessionLearning`, one statement), or null when Remix must answer. */
async function learnerWithLearning(cookie: string) {
	const signed = await signedInSession(cookie)
	if (!signed) return null
	const read = await sessionLearning(signed.sessionId)
	return read && steadyLearner(read) ? { lng: signed.lng, user: read.user, learning: read.learning } : null
}

/** The view of a page without a quiz: its variant's key, its learner, and the slots it has (ADR 043). */
function pageView({
	key,
	lng,
	user,
	enrolled,
	certificateCode = null,
	name = null,
	context,
}: {
	key: string
	lng: Lng
	user: Learner
	enrolled: boolean
	certificateCode?: string | null
	name?: string | null
	context: Omit<LessonView['context'], 'sharedUser'>
}): LessonView {
	return {
		key,
		lng,
		userId: user.id,
		lessonId: '',
		completed: null,
		enrolled,
		quiz: [],
		answeredId: null,
		answered: null,
		certificateCode,
		name,
		context: { sharedUser: Promise.resolve(residentOf(user)), ...context },
	}
}

/** The resident a steady session without a role reads as, for the loaders of a new variant's render. */
function residentOf(user: Learner): SessionUser {
	return {
		...user,
		credentialKind: user.credentialKind as SessionUser['credentialKind'],
		roles: [],
		scope: scopeFromRoles([]),
		noticeAccepted: true,
	}
}

/**
 * What a request to the lesson at `pathname` says without the database: the lesson, the language
 * (a cookie this file reads the way Remix does, or none) and the session's id (its token's hash).
 * Null when Remix must answer: not a lesson, no session cookie, a language cookie it cannot read.
 */
async function signedInRequest({ pathname, cookie }: { pathname: string; cookie: string | undefined }) {
	const slugs = LESSON_PATH.exec(pathname)
	if (!slugs || !cookie) return null
	const found = getLessonBySlugs(slugs[1]!, slugs[2]!)
	if (!found) return null
	const signed = await signedInSession(cookie)
	return signed ? { found, ...signed } : null
}

/** The language (a cookie read the way Remix does, or none) and the session's id (its token's hash); null when Remix must answer. */
async function signedInSession(cookie: string) {
	const token = await sessionTokenOf(cookie)
	if (!token) return null
	let lng: Lng = fallbackLng
	if (/(?:^|;\s*)lng=/.test(cookie)) {
		const value = await lngCookie.parse(cookie)
		if (!isLng(value)) return null
		lng = value
	}
	return { lng, sessionId: hashToken(token) }
}

/**
 * The lesson at `pathname` and its signed-in learner, read with their progress in the course in one
 * statement (and the stored attempt `attempt` names), or null when Remix must answer: not a lesson,
 * no or an ended session, one due to slide or expired (Remix's `keepAlive` writes it), a person
 * holding a role, a person who has not agreed to the current notice (Remix sends them to it), a
 * language cookie this file does not read the way Remix does.
 */
async function signedInLearner({ pathname, cookie, attempt }: { pathname: string; cookie: string | undefined; attempt?: string | null }) {
	const signed = await signedInRequest({ pathname, cookie })
	if (!signed) return null
	const { found, lng, sessionId } = signed
	const { course, lesson } = found
	const read = await sessionCourseProgress(
		sessionId,
		course.id,
		attempt && lesson.quiz.vi?.length ? { lessonId: lesson.id, clientEventId: attempt } : undefined,
	)
	if (!read || !steadyLearner(read)) return null
	return { found, lng, read }
}

/**
 * A lesson's quiz form posted without JavaScript by a signed-in learner, answered here when the
 * attempt is recorded, without Remix: the same write as the lesson route's action (submitQuiz) and
 * the same 303 to the page that shows it (ADR 033, 035). The session is checked under the learner's
 * lock, in the statement sent with BEGIN: a steady session of a resident who agreed to the current
 * notice (recordQuizAttempt's `sessionId`). Null: Remix answers, as before — another intent, a
 * session it must check itself, a refusal, an attempt not recorded (not enrolled), a failure.
 * Attempts are keyed by the form's client id, so Remix doing again what failed here records nothing
 * twice (a replay answers as the first).
 */
export async function lessonPost({
	pathname,
	search = '',
	cookie,
	form,
}: {
	pathname: string
	search?: string
	cookie: string | undefined
	form: Iterable<[string, string]>
}): Promise<{ location: string } | null> {
	const fields = [...form]
	// Remix's readFormData refuses a NUL anywhere (a 400): left to it.
	if (fields.some(([key, value]) => key.includes('\u0000') || value.includes('\u0000'))) return null
	const field = (name: string) => fields.find(([key]) => key === name)?.[1] ?? null
	if (field('intent') !== 'submit-quiz') return null
	const signed = await signedInRequest({ pathname, cookie })
	if (!signed) return null
	const { found, lng, sessionId } = signed
	const clientId = field('clientId')
	try {
		// The session is checked under the learner's lock, in the statement sent with BEGIN (ADR 035).
		const submitted = await submitQuiz({ found, clientId, answers: readAnswers(fields), userId: null, sessionId, lng })
		return submitted.ok && submitted.feedback.recorded ? { location: answeredQuizLocation(`http://localhost${pathname}${search}`, String(clientId)) } : null
	} catch {
		return null
	}
}

// Answers as the outbox sends them, except that none at all is allowed here: submitQuiz answers
// "answer every question", as the page does.
// (Answers first: a union tries its members in order, and the usual body matches the first.)
export const QuizBody = z
	.object({ lessonId: z.string().min(1).max(80), clientId: z.string().max(40), answers: z.union([AnswersSchema, z.object({}).strict()]) })
	.strict()
/** The largest body /api/quiz reads (a quiz of a few questions). */
export const QUIZ_BODY_BYTES = 16 * 1024

/** /api/quiz's answer to an attempt graded (and recorded, for an enrolled learner): the quiz section re-rendered with its feedback. */
export async function inPlaceAnswer({
	found,
	lng,
	submitted,
}: {
	found: NonNullable<ReturnType<typeof getLessonById>>
	lng: Lng
	submitted: Extract<QuizSubmission, { ok: true }>
}) {
	const { feedback } = submitted
	return {
		ok: true as const,
		html: await gradedQuizHtml({
			lng,
			lessonId: found.lesson.id,
			quiz: publicQuiz(found.lesson, lng),
			canRecord: feedback.recorded,
			feedback,
			clientId: randomUUID(),
		}),
		passed: feedback.passed,
		recorded: feedback.recorded,
		lessonCompleted: submitted.lessonCompleted,
		courseCompleted: submitted.courseCompleted,
		certificateCode: submitted.certificateCode,
	}
}

/**
 * A quiz answered in place (/api/quiz) by a signed-in learner, answered here when the attempt is
 * recorded, without Remix (ADR 035): the JSON the route answers, from the same functions, the
 * session checked under the learner's lock as for `lessonPost`. Null: Remix answers, as before — a
 * body it would refuse (not UTF-8 JSON, a NUL, not the route's shape, an unknown lesson), a session
 * it must check itself, a refusal, an attempt not recorded, a failure (attempts are keyed by client
 * id: nothing is recorded twice).
 */
/** Refuses bytes that are not UTF-8 (the route's readJsonBody does too); one decoder for every answer. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true })

export async function quizInPlace({ cookie, body }: { cookie: string | undefined; body: Uint8Array }): Promise<string | null> {
	let parsed: unknown
	try {
		parsed = JSON.parse(STRICT_UTF8.decode(body), (key, value) => {
			if (key.includes('\u0000') || (typeof value === 'string' && value.includes('\u0000'))) throw new Error('NUL')
			return value
		})
	} catch {
		return null
	}
	const input = QuizBody.safeParse(parsed)
	if (!input.success) return null
	const found = getLessonById(input.data.lessonId)
	if (!found?.lesson.quiz.vi?.length) return null
	const signed = await signedInRequest({ pathname: `/courses/${found.course.slug}/${found.lesson.slug}`, cookie })
	if (!signed) return null
	const { lng, sessionId } = signed
	try {
		const submitted = await submitQuiz({ found, clientId: input.data.clientId, answers: input.data.answers, userId: null, sessionId, lng })
		if (!submitted.ok || !submitted.feedback.recorded) return null
		return JSON.stringify(await inPlaceAnswer({ found, lng, submitted }))
	} catch {
		return null
	}
}

/** The lesson's quiz section as `Quiz` renders it for this learner and client id (from its template when there is one). */
export async function quizHtml(view: LessonView, clientId: string): Promise<string> {
	if (view.answered)
		return gradedQuizHtml({ lng: view.lng, lessonId: view.lessonId, quiz: view.quiz, canRecord: view.enrolled, feedback: view.answered, clientId })
	const key = `${view.key.split('\n', 2).join('\n')}\n${Number(view.enrolled)}`
	let template = quizTemplates.get(key)
	if (template === undefined) {
		template = await makeQuizTemplate(view)
		quizTemplates.set(key, template)
	}
	return template ? fillQuizTemplate(template, view.quiz, clientId) : renderQuiz(view, clientId)
}

export async function renderQuiz(view: Pick<LessonView, 'lng' | 'quiz' | 'enrolled'>, clientId: string, feedback: QuizFeedback | null = null) {
	const i18n = await i18nFor(view.lng)
	return renderToString(
		<I18nextProvider i18n={i18n}>
			<LessonContext.Provider value={{ quiz: view.quiz, clientId, feedback, canRecord: view.enrolled }}>
				<Quiz />
			</LessonContext.Provider>
		</I18nextProvider>,
	)
}

/**
 * The quiz section showing a graded attempt (a stored one on the page after a full-page post, a new
 * one answered in place by /api/quiz). A passed attempt shows the review, which names no client id
 * and orders nothing by it: equal feedback (the same answers, score and certificate) on the same
 * quiz gives the same section, kept here — most learners pass with the same answers. A failed one
 * shows the form again (a fresh client id, options in its order): rendered each time.
 */
export async function gradedQuizHtml({
	lng,
	lessonId,
	quiz,
	canRecord,
	feedback,
	clientId,
}: {
	lng: Lng
	lessonId: string
	quiz: readonly PublicQuestion[]
	canRecord: boolean
	feedback: QuizFeedback
	clientId: string
}) {
	const render = () => renderQuiz({ lng, quiz, enrolled: canRecord }, clientId, feedback)
	if (!feedback.passed || feedback.error) return render()
	// The attempt that completes a course names its new certificate (a link): kept with a mark in its
	// place, filled per answer — otherwise every course completion rendered its section anew.
	const code = feedback.certificateCode
	if (code && !CERTIFICATE_CODE.test(code)) return render()
	const kept = code ? { ...feedback, certificateCode: CERTIFICATE_MARK } : feedback
	const key = `${lng}\n${lessonId}\n${Number(canRecord)}\n${JSON.stringify(kept)}`
	let html = passedSections.get(key)
	if (html === undefined) {
		html = await renderQuiz({ lng, quiz, enrolled: canRecord }, clientId, kept)
		// The mark must appear as the code would, and only where the code goes.
		if (code && !html.includes(CERTIFICATE_MARK)) return render()
		passedSections.set(key, html)
		while (passedSections.size > 500) passedSections.delete(passedSections.keys().next().value!)
	}
	return code ? html.replaceAll(CERTIFICATE_MARK, code) : html
}
const passedSections = new Map<string, string>()
/** A certificate's public code (certificate.server.ts): ten of A–Z and 2–9, never escaped in HTML. */
const CERTIFICATE_CODE = /^[A-Z2-9]{10}$/
/** Shaped like a code but never one (0 and 1 are not in the alphabet), nor anywhere else in a page. */
const CERTIFICATE_MARK = 'CERT0MARK1'

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
