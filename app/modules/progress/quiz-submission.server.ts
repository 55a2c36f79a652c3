import { isDomainError } from '#app/kernel/errors.ts'
import { learnerFeedback, type QuizFeedback } from '#app/kernel/quiz.ts'
import { type getLessonById } from '#app/modules/course/course.server.ts'
import { gradeQuiz } from '#app/modules/course/quiz.server.ts'
import { type Lng } from '#app/utils/i18n.ts'
import { ClientIdSchema } from './progress.schema.ts'
import { type AttemptResult, type CourseProgress, ProgressError, recordQuizAttempt, storedQuizAttempt } from './progress.server.ts'

type Found = NonNullable<ReturnType<typeof getLessonById>>

export type QuizSubmission =
	| {
			ok: true
			feedback: QuizFeedback
			lessonCompleted: boolean
			courseCompleted: boolean
			certificateCode: string | null
			/** The learner's progress in the course after this attempt (a new, recorded attempt only). */
			progress?: CourseProgress
	  }
	| { ok: false; status: number; error: string }

/**
 * A quiz sent from a lesson page, as the full-page form (the lesson route's action) or answered in
 * place by the page's script (/api/quiz): graded, and for an enrolled learner recorded once per
 * client id (recordQuizAttempt). Visitors and learners not enrolled may try the quiz; nothing is
 * recorded and the feedback says so. Refusals carry a message key; nothing is written.
 */
export async function submitQuiz({
	found,
	clientId,
	answers,
	userId,
	sessionId,
	lng,
}: {
	found: Found
	clientId: unknown
	answers: Record<string, string> | null
	userId: string | null
	/** Instead of `userId`: the hash of a signed-in page's session, checked under the learner's lock (recordQuizAttempt). */
	sessionId?: string
	lng: Lng
}): Promise<QuizSubmission> {
	const { course, lesson } = found
	const id = ClientIdSchema.safeParse(clientId)
	if (!id.success) return { ok: false, status: 400, error: 'learning:errors.badClientId' }
	const quiz = lesson.quiz.vi
	if (!answers || !quiz?.length) return { ok: false, status: 400, error: 'learning:errors.badAnswers' }
	if (Object.keys(answers).length < quiz.length) return { ok: false, status: 400, error: 'learning:errors.answerAll' }
	const explain = (questionId: string) => lesson.quiz[lng]?.find((q) => q.id === questionId)?.explanation ?? ''
	try {
		// Enrolment is checked inside the write's transaction; a learner who is not enrolled is
		// answered like a visitor.
		const learner = sessionId ? { sessionId } : userId ? { userId } : null
		const recorded = learner ? await recordQuizAttempt({ ...learner, lessonId: lesson.id, clientEventId: id.data, answers }).catch(unlessNotEnrolled) : null
		if (recorded) {
			return {
				ok: true,
				feedback: recordedFeedback(found, recorded, lng),
				lessonCompleted: recorded.lessonCompleted,
				courseCompleted: recorded.courseCompleted,
				certificateCode: recorded.certificateCode,
				progress: recorded.progress,
			}
		}
		const result = gradeQuiz({ quiz, answers, passMark: course.passMark })
		return {
			ok: true,
			feedback: {
				...result,
				questions: learnerFeedback(
					result.questions.map((q) => ({ ...q, explanation: explain(q.questionId) })),
					result.passed,
				),
				passMark: course.passMark,
				recorded: false,
			},
			lessonCompleted: false,
			courseCompleted: false,
			certificateCode: null,
		}
	} catch (error) {
		if (isDomainError(error)) return { ok: false, status: error.status, error: error.key }
		throw error
	}
}

/** What the learner is shown for a recorded attempt (new, replayed or stored), questions explained in their language. */
export function recordedFeedback(found: Found, recorded: AttemptResult, lng: Lng): QuizFeedback {
	const explain = (questionId: string) => found.lesson.quiz[lng]?.find((q) => q.id === questionId)?.explanation ?? ''
	return {
		...recorded.quiz,
		questions: learnerFeedback(
			recorded.quiz.questions.map((q) => ({ ...q, explanation: explain(q.questionId) })),
			recorded.quiz.passed,
		),
		passMark: found.course.passMark,
		recorded: true,
		certificateCode: recorded.certificateCode,
	}
}

/**
 * Where a full-page quiz post (no JavaScript) whose attempt was recorded sends the learner: the
 * lesson again, naming the attempt (`?quiz=<client id>`), at the quiz. The post answers 303 without
 * rendering; the page then shows the stored answer (`answeredQuiz`), and reloading it sends nothing
 * again (ADR 033). The page's other query parameters (e.g. `lng`) are kept.
 */
export function answeredQuizLocation(requestUrl: string, clientId: string): string {
	const url = new URL(requestUrl)
	url.searchParams.set('quiz', clientId)
	return `${url.pathname}${url.search}#quiz`
}

/**
 * The feedback of the signed-in learner's recorded attempt named by the page's `?quiz=` (see
 * `answeredQuizLocation`), null when there is none: a visitor, an unreadable id, another learner's
 * attempt or another lesson's show the lesson as usual.
 */
export async function answeredQuiz({ found, request, userId, lng }: { found: Found; request: Request; userId: string | null; lng: Lng }) {
	if (!userId || !found.lesson.quiz.vi?.length) return null
	const id = ClientIdSchema.safeParse(new URL(request.url).searchParams.get('quiz'))
	if (!id.success) return null
	const stored = await storedQuizAttempt({ userId, lessonId: found.lesson.id, clientEventId: id.data })
	return stored ? recordedFeedback(found, stored, lng) : null
}

function unlessNotEnrolled(error: unknown): null {
	if (error instanceof ProgressError && error.reason === 'notEnrolled') return null
	throw error
}

/**
 * /api/quiz's answer to a Response thrown on the way (readJsonBody's refusals, the 503 of a lost
 * database connection): the route's own `{ ok: false, error, message }`, the message in the
 * learner's language, Retry-After kept.
 */
export async function quizRefusal(thrown: Response, t: (key: string) => string): Promise<Response> {
	const { message } = ((await thrown
		.clone()
		.json()
		.catch(() => null)) ?? {}) as { message?: string }
	const error = message ?? 'common:errors.status.400'
	const retryAfter = thrown.headers.get('Retry-After')
	return Response.json(
		{ ok: false, error, message: t(error) },
		{ status: thrown.status, headers: { 'Cache-Control': 'no-store', ...(retryAfter ? { 'Retry-After': retryAfter } : {}) } },
	)
}
