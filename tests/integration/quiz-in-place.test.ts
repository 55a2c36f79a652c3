import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { getCourseById, publicQuiz } from '#app/modules/course/course.server.ts'
import { prisma, serviceUnavailable } from '#app/utils/db.server.ts'
import { quizRefusal } from '#app/modules/progress/quiz-submission.server.ts'
import { action } from '#app/routes/api+/quiz.tsx'
import { action as lessonAction, loader as lessonLoader } from '#app/routes/courses+/$course.$lesson.tsx'
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { LessonContext, Quiz, type QuizFeedback } from '#app/components/mdx.tsx'
import { i18nFor } from '#app/utils/i18n-instance.server.ts'
import { rightAnswers, signedInLearner } from '#tests/fixtures/learning.ts'
import { callRoute } from '#tests/utils/route.ts'

/** /api/quiz called the way app/browser/lesson.ts calls it: JSON, the session cookie, the page's client id. */
const learner = ({ enrol = true } = {}) => signedInLearner({ fullName: 'Quàng Văn Tại Chỗ', sex: 'MALE', enrol })

const lessons = () => getCourseById('smartphone')!.lessons
const wrong = (i: number) => Object.fromEntries(lessons()[i]!.quiz.vi!.map((q) => [q.id, q.options.find((o) => !o.correct)!.id]))
const right = (i: number) => rightAnswers(lessons()[i]!.quiz.vi)

async function post({ cookie, body, contentType = 'application/json', lng = 'vi' }: { cookie?: string; body: BodyInit; contentType?: string; lng?: string }) {
	const result = await callRoute({ action }, 'action', { url: `/api/quiz?lng=${lng}`, cookie, body, contentType })
	return { status: result.status, body: result.body as any }
}
const answer = (cookie: string | undefined, i: number, answers: Record<string, string>, clientId = randomUUID()) =>
	post({ cookie, body: JSON.stringify({ lessonId: lessons()[i]!.id, clientId, answers }) })

async function counts(userId: string) {
	const [attempts, done] = await Promise.all([
		prisma.quizAttempt.count({ where: { userId } }),
		prisma.lessonProgress.count({ where: { userId, completedAt: { not: null } } }),
	])
	return { attempts, done }
}

describe('POST /api/quiz (a quiz answered in place)', () => {
	test('records a passed quiz and answers with the quiz section and its feedback; sent again, nothing changes', async () => {
		const me = await learner()
		const clientId = randomUUID()
		const first = await answer(me.cookie, 0, right(0), clientId)
		expect(first.status).toBe(200)
		expect(first.body).toMatchObject({ ok: true, passed: true, recorded: true, lessonCompleted: true, courseCompleted: false, certificateCode: null })
		expect(first.body.html).toMatch(/^<section class="mdx-quiz"/)
		expect(first.body.html).toContain('Chúc mừng')
		// After a pass the answers are reviewed, no form to send again, only a quiet link to a fresh one.
		expect(first.body.html).toContain('quiz-review')
		expect(first.body.html).not.toContain('quiz-explain wrong')
		expect(first.body.html).not.toContain('method="post"')
		expect(first.body.html).toContain('Làm lại bài kiểm tra')
		expect(await counts(me.id)).toEqual({ attempts: 1, done: 1 })

		// The answer was lost on the way and the phone sends it again: same result, nothing new.
		const again = await answer(me.cookie, 0, right(0), clientId)
		expect(again.body).toMatchObject({ ok: true, passed: true, recorded: true })
		expect(await counts(me.id)).toEqual({ attempts: 1, done: 1 })
	})

	test('every lesson allows one slip: one wrong answer still passes, and the wrong one is explained', async () => {
		for (const [i, lesson] of lessons().entries()) {
			const me = await learner()
			// Earlier lessons first: the course is taken in order.
			for (let j = 0; j < i; j++) await answer(me.cookie, j, right(j))
			const q = lesson.quiz.vi!.at(-1)!
			const slip = await answer(me.cookie, i, { ...right(i), [q.id]: wrong(i)[q.id]! })
			expect(slip.body, lesson.id).toMatchObject({ ok: true, passed: true, recorded: true, lessonCompleted: true })
			expect(slip.body.html).toContain('quiz-explain wrong')
			expect(slip.body.html).toContain(q.explanation)
		}
	})

	test('a failed quiz says which answers were wrong and why, never which option is right, starts the form empty and completes nothing', async () => {
		const me = await learner()
		await answer(me.cookie, 0, right(0))
		const failed = await answer(me.cookie, 1, wrong(1))
		expect(failed.body).toMatchObject({ ok: true, passed: false, recorded: true, lessonCompleted: false })
		expect(failed.body.html).toContain('Chưa đạt')
		expect(failed.body.html).toContain('quiz-explain wrong')
		expect(failed.body.html).toContain(lessons()[1]!.quiz.vi![0]!.explanation)
		// No right option named or marked, nothing checked: a retry is not copying.
		expect(failed.body.html).not.toContain('Đáp án đúng')
		expect(failed.body.html).not.toMatch(/\bchecked\b/)
		for (const q of lessons()[1]!.quiz.vi!) {
			const right = q.options.find((o) => o.correct)!
			expect(failed.body.html).not.toContain(`«${right.text}»`)
		}
		expect(await counts(me.id)).toEqual({ attempts: 2, done: 1 })
	})

	test('answers with exactly the quiz section the full-page form shows, which stays for phones without JavaScript', async () => {
		// Two wrong answers (one slip still passes), the others right: marks, explanations and score all show.
		const [q1, q2] = lessons()[0]!.quiz.vi!
		const mixed = { ...right(0), [q1!.id]: wrong(0)[q1!.id]!, [q2!.id]: wrong(0)[q2!.id]! }
		const me = await learner()
		const viaApi = await answer(me.cookie, 0, mixed)
		const other = await learner()
		const form = new URLSearchParams({
			intent: 'submit-quiz',
			clientId: randomUUID(),
			...Object.fromEntries(Object.entries(mixed).map(([q, o]) => [`answer.${q}`, o])),
		})
		const params = { course: 'smartphone', lesson: lessons()[0]!.slug }
		const posted = await callRoute({ action: lessonAction }, 'action', {
			url: `/courses/smartphone/${lessons()[0]!.slug}`,
			params,
			cookie: other.cookie,
			body: form,
			contentType: 'application/x-www-form-urlencoded',
		})
		// Recorded: the post answers 303 to the lesson naming the attempt (ADR 033), whose page shows it.
		expect(posted.status).toBe(303)
		expect(posted.location).toBe(`/courses/smartphone/${lessons()[0]!.slug}?quiz=${form.get('clientId')}#quiz`)
		const page = await callRoute({ loader: lessonLoader }, 'loader', { url: posted.location!, params, cookie: other.cookie }).then((r) => ({
			data: { feedback: (r.body as { answered: QuizFeedback }).answered },
		}))
		// The page renders its feedback with the Quiz component inside the lesson; render it alone, with
		// the client id of the in-place answer (it also seeds the order of the options).
		const apiClientId = /name="clientId" value="([^"]*)"/.exec(viaApi.body.html)![1]!
		const i18n = await i18nFor('vi')
		const onPage = renderToString(
			createElement(
				I18nextProvider,
				{ i18n },
				createElement(
					LessonContext.Provider,
					{ value: { quiz: publicQuiz(lessons()[0]!, 'vi'), clientId: apiClientId, feedback: page.data.feedback, canRecord: true } },
					createElement(Quiz),
				),
			),
		)
		expect(page.data.feedback).toMatchObject({ passed: false, recorded: true, correct: Object.keys(mixed).length - 2 })
		expect(viaApi.body.html).toBe(onPage)
		expect(onPage).toContain('quiz-explain wrong')
		expect(await counts(other.id)).toEqual(await counts(me.id))
	})

	test('a signed-in resident not enrolled in the course is answered like a visitor: nothing recorded', async () => {
		const me = await learner({ enrol: false })
		const tried = await answer(me.cookie, 0, right(0))
		expect(tried.body).toMatchObject({ ok: true, passed: true, recorded: false, lessonCompleted: false })
		expect(tried.body.html).toContain('Kết quả này chưa được lưu vì bạn chưa ghi danh khoá học.')
		expect(await counts(me.id)).toEqual({ attempts: 0, done: 0 })
	})

	test('a visitor may try a quiz: graded, nothing recorded, and told so in their language', async () => {
		const attempts = await prisma.quizAttempt.count()
		const tried = await post({ body: JSON.stringify({ lessonId: lessons()[0]!.id, clientId: randomUUID(), answers: right(0) }), lng: 'en' })
		expect(tried.body).toMatchObject({ ok: true, passed: true, recorded: false, lessonCompleted: false })
		expect(tried.body.html).toContain('You passed')
		expect(tried.body.html).toContain('not saved')
		expect(await prisma.quizAttempt.count()).toBe(attempts)
	})

	test('refusals carry a message in the learner’s language and write nothing', async () => {
		const me = await learner()
		const locked = await answer(me.cookie, 2, right(2))
		expect(locked.status).toBe(403)
		expect(locked.body).toMatchObject({ ok: false, error: 'learning:errors.locked', message: 'Bài này chưa mở. Hãy học xong các bài trước.' })
		const none = await answer(me.cookie, 0, {})
		expect(none).toMatchObject({ status: 400, body: { ok: false, error: 'learning:errors.answerAll', message: 'Vui lòng trả lời tất cả các câu hỏi.' } })
		const partial = await answer(me.cookie, 0, Object.fromEntries(Object.entries(right(0)).slice(0, 1)))
		expect(partial).toMatchObject({ status: 400, body: { ok: false, error: 'learning:errors.answerAll' } })
		const form = await post({ cookie: me.cookie, body: 'lessonId=x', contentType: 'application/x-www-form-urlencoded' })
		expect(form.status).toBe(415)
		expect(form.body).toMatchObject({ ok: false, error: 'common:errors.badForm' })
		expect(form.body.message).toBe((await i18nFor('vi')).t('common:errors.badForm'))
		expect(form.body.message).not.toContain('common:')
		const unknown = await post({ cookie: me.cookie, body: JSON.stringify({ lessonId: 'no-such-lesson', clientId: randomUUID(), answers: { q1: 'a' } }) })
		expect(unknown.status).toBe(404)
		expect(await counts(me.id)).toEqual({ attempts: 0, done: 0 })
	})

	test('hostile JSON never causes a 5xx, always carries a message and records nothing', async () => {
		const me = await learner()
		const value = fc.oneof(
			fc.string({ maxLength: 60 }),
			fc.integer(),
			fc.constant(null),
			fc.constantFrom('<script>alert(1)</script>', "' OR 1=1 --", '\u0000', 'a'.repeat(20_000)),
		)
		// Near-valid bodies too: a real lesson with its real question ids, but hostile or missing option
		// ids, extra questions, a bad client id — none may be recorded.
		const quiz = lessons()[0]!.quiz.vi!
		const nearValid = fc
			.record({
				answers: fc.record(Object.fromEntries(quiz.map((q) => [q.id, fc.oneof(value, fc.constantFrom(...q.options.map((o) => o.id)))]))),
				extra: fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), { maxKeys: 2 }),
				clientId: fc.oneof(
					fc.uuid().map((u) => u.toUpperCase() + 'x'),
					value,
				),
			})
			.filter(
				({ answers, extra, clientId }) =>
					Object.values(answers).some((v) => !quiz.some((q) => q.options.some((o) => o.id === v))) ||
					Object.keys(extra).length > 0 ||
					typeof clientId !== 'string' ||
					!/^[0-9a-f-]{36}$/i.test(clientId),
			)
			.map(({ answers, extra, clientId }) => JSON.stringify({ lessonId: lessons()[0]!.id, clientId, answers: { ...answers, ...extra } }))
		const body = fc.oneof(
			nearValid,
			fc
				.record(
					{
						lessonId: fc.oneof(value, fc.constantFrom(...lessons().map((l) => l.id))),
						clientId: fc.oneof(value, fc.uuid()),
						answers: fc.oneof(value, fc.dictionary(fc.string({ maxLength: 45 }), value, { maxKeys: 60 })),
					},
					{ requiredKeys: [] },
				)
				.map((b) => JSON.stringify(b)),
			fc.string({ maxLength: 200 }),
			fc.jsonValue().map((v) => JSON.stringify(v)),
		)
		await fc.assert(
			fc.asyncProperty(body, fc.boolean(), async (raw, signedIn) => {
				const result = await post({ cookie: signedIn ? me.cookie : undefined, body: raw })
				expect(result.status).toBeLessThan(500)
				if (result.status >= 400) expect(result.body.message).toBeTruthy()
			}),
			{ numRuns: 150 },
		)
		expect(await counts(me.id)).toEqual({ attempts: 0, done: 0 })
	})

	test('a lost database connection is a retryable 503 in the same shape, in the learner’s language', async () => {
		const i18n = await i18nFor('vi')
		const refusal = await quizRefusal(serviceUnavailable(), (key) => i18n.t(key))
		expect(refusal.status).toBe(503)
		expect(refusal.headers.get('Retry-After')).toBe('5')
		expect(await refusal.json()).toEqual({ ok: false, error: 'common:errors.status.503', message: 'Hệ thống đang bận. Vui lòng thử lại sau ít phút.' })
	})
})

describe('the full-page quiz post (phones without JavaScript, ADR 033)', () => {
	const params = () => ({ course: 'smartphone', lesson: lessons()[0]!.slug })
	const pagePath = () => `/courses/smartphone/${lessons()[0]!.slug}`
	const formOf = (answers: Record<string, string>, clientId = randomUUID()) =>
		new URLSearchParams({ intent: 'submit-quiz', clientId, ...Object.fromEntries(Object.entries(answers).map(([q, o]) => [`answer.${q}`, o])) })
	const postPage = (cookie: string | undefined, form: URLSearchParams, url = pagePath()) =>
		callRoute({ action: lessonAction }, 'action', { url, params: params(), cookie, body: form, contentType: 'application/x-www-form-urlencoded' })
	const pageShows = async (cookie: string | undefined, url: string) =>
		(await callRoute({ loader: lessonLoader }, 'loader', { url, params: params(), cookie })).body as { answered: QuizFeedback | null; done: boolean }

	test('a recorded attempt answers 303 to the lesson showing it; reloading or re-sending records nothing more', async () => {
		const me = await learner()
		const form = formOf(right(0))
		const first = await postPage(me.cookie, form, `${pagePath()}?lng=en`)
		expect(first.status).toBe(303)
		// The language the page was read in stays.
		expect(first.location).toBe(`${pagePath()}?lng=en&quiz=${form.get('clientId')}#quiz`)
		const shown = await pageShows(me.cookie, first.location!)
		expect(shown.answered).toMatchObject({ passed: true, recorded: true, correct: lessons()[0]!.quiz.vi!.length })
		expect(shown.answered!.questions[0]!.explanation).toBe(lessons()[0]!.quiz.en![0]!.explanation)
		expect(shown.done).toBe(true)
		// Reloaded: the same answer, nothing sent. Sent again (a double tap): the same redirect, nothing new.
		expect((await pageShows(me.cookie, first.location!)).answered).toEqual(shown.answered)
		const again = await postPage(me.cookie, form, `${pagePath()}?lng=en`)
		expect({ status: again.status, location: again.location }).toEqual({ status: 303, location: first.location })
		expect(await counts(me.id)).toEqual({ attempts: 1, done: 1 })
	})

	test('the page shows only the signed-in learner’s own attempt of this lesson', async () => {
		const me = await learner()
		const other = await learner()
		const form = formOf(wrong(0))
		const posted = await postPage(me.cookie, form)
		expect(posted.status).toBe(303)
		expect((await pageShows(me.cookie, posted.location!)).answered).toMatchObject({ passed: false, recorded: true })
		// Another learner, a visitor, another lesson, a made-up or malformed id: the lesson as usual.
		expect((await pageShows(other.cookie, posted.location!)).answered).toBeNull()
		expect((await pageShows(undefined, posted.location!)).answered).toBeNull()
		const otherLesson = (
			await callRoute({ loader: lessonLoader }, 'loader', {
				url: `/courses/smartphone/${lessons()[1]!.slug}?quiz=${form.get('clientId')}`,
				params: { course: 'smartphone', lesson: lessons()[1]!.slug },
				cookie: me.cookie,
			})
		).body as { answered: QuizFeedback | null }
		expect(otherLesson.answered).toBeNull()
		expect((await pageShows(me.cookie, `${pagePath()}?quiz=${randomUUID()}`)).answered).toBeNull()
		expect((await pageShows(me.cookie, `${pagePath()}?quiz=%27%20OR%201%3D1`)).answered).toBeNull()
	})

	test('a visitor or a learner not enrolled gets the page with its answer (nothing recorded), not a redirect', async () => {
		const stranger = await learner({ enrol: false })
		for (const cookie of [undefined, stranger.cookie]) {
			const tried = await postPage(cookie, formOf(right(0)))
			expect(tried.status).toBe(200)
			expect(tried.body).toMatchObject({ feedback: { passed: true, recorded: false }, error: null })
		}
		expect(await counts(stranger.id)).toEqual({ attempts: 0, done: 0 })
	})
})
