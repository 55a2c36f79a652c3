import { type ActionFunctionArgs } from '@remix-run/node'
import { inPlaceAnswer, QUIZ_BODY_BYTES, QuizBody } from '#app/learner-pages.server.tsx'
import { getLessonById } from '#app/modules/course/course.server.ts'
import { quizRefusal, submitQuiz } from '#app/modules/progress/quiz-submission.server.ts'
import { getUser } from '#app/utils/auth.server.ts'
import { readJsonBody } from '#app/utils/forms.server.ts'
import { i18nFor } from '#app/utils/i18n-instance.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { type Lng } from '#app/utils/i18n.ts'

/**
 * A lesson's quiz answered in place (app/browser/lesson.ts, docs/decisions/011-quiz-in-place.md): the
 * same grading and recording as the lesson page's form (submitQuiz), answered with the quiz section
 * re-rendered with its feedback instead of the whole page. POST JSON
 * `{ lessonId, clientId, answers: { questionId: optionId } }` →
 * `{ ok: true, html, passed, recorded, lessonCompleted, courseCompleted, certificateCode }`, or a
 * 4xx or 503 `{ ok: false, error, message }` with the message in the learner's language; a refusal
 * writes nothing. Visitors may try quizzes here as on the page (nothing recorded).
 * CSRF: server.js refuses cross-origin POSTs, and only application/json is taken, which no
 * cross-site HTML form can send.
 */
export async function action({ request }: ActionFunctionArgs) {
	const lng = await getLng(request)
	const i18n = await i18nFor(lng)
	const refuse = (error: string, status: number) =>
		Response.json({ ok: false, error, message: i18n.t(error) }, { status, headers: { 'Cache-Control': 'no-store' } })
	try {
		return await answer(request, lng, i18n, refuse)
	} catch (thrown) {
		// readJsonBody's refusals (not JSON, too large, malformed) and the 503 of a lost database
		// connection: the same shape as every other answer, in the learner's language.
		if (!(thrown instanceof Response)) throw thrown
		return quizRefusal(thrown, (key) => i18n.t(key))
	}
}

async function answer(request: Request, lng: Lng, i18n: Awaited<ReturnType<typeof i18nFor>>, refuse: (error: string, status: number) => Response) {
	const body = QuizBody.safeParse(await readJsonBody(request, { maxBytes: QUIZ_BODY_BYTES }))
	if (!body.success) return refuse('learning:errors.badAnswers', 400)
	const found = getLessonById(body.data.lessonId)
	if (!found || !found.lesson.quiz.vi?.length) return refuse('learning:errors.unknownLesson', 404)
	const user = await getUser(request)
	// Nothing is recorded for a person before they agree to the current notice (ADR 028): a page
	// opened before the notice changed gets this answer; the page itself now sends them to the notice.
	if (user && !user.noticeAccepted) return refuse('learning:errors.noticeNeeded', 403)
	// Too few answers (none included) is "answer every question", as on the page.
	const submitted = await submitQuiz({ found, clientId: body.data.clientId, answers: body.data.answers, userId: user?.id ?? null, lng })
	if (!submitted.ok) return refuse(submitted.error, submitted.status)
	return Response.json(await inPlaceAnswer({ found, lng, submitted }), { headers: { 'Cache-Control': 'no-store' } })
}
