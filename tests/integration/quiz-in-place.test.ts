import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { getCourseById } from '#app/modules/course/course.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { action } from '#app/routes/api+/quiz.tsx'
import { action as lessonAction } from '#app/routes/courses+/$course.$lesson.tsx'
import { rightAnswers, signedInLearner } from '#tests/fixtures/learning.ts'

/** /api/quiz called the way public/lesson.js calls it: JSON, the session cookie, the page's client id. */
const learner = ({ enrol = true } = {}) => signedInLearner({ fullName: 'Quàng Văn Tại Chỗ', phonePrefix: '0358', sex: 'MALE', enrol })

const lessons = () => getCourseById('smartphone')!.lessons
const wrong = (i: number) => Object.fromEntries(lessons()[i]!.quiz.vi!.map((q) => [q.id, q.options.find((o) => !o.correct)!.id]))
const right = (i: number) => rightAnswers(lessons()[i]!.quiz.vi)

async function post({ cookie, body, contentType = 'application/json', lng = 'vi' }: { cookie?: string; body: BodyInit; contentType?: string; lng?: string }) {
	const headers = new Headers({ Origin: 'http://localhost', 'Content-Type': contentType })
	if (cookie) headers.set('Cookie', cookie)
	const response = (await action({ request: new Request(`http://localhost/api/quiz?lng=${lng}`, { method: 'POST', headers, body }), params: {}, context: {} })) as Response
	return { status: response.status, body: await response.json() }
}
const answer = (cookie: string | undefined, i: number, answers: Record<string, string>, clientId = randomUUID()) =>
	post({ cookie, body: JSON.stringify({ lessonId: lessons()[i]!.id, clientId, answers }) })

async function counts(userId: string) {
	const [attempts, done] = await Promise.all([prisma.quizAttempt.count({ where: { userId } }), prisma.lessonProgress.count({ where: { userId, completedAt: { not: null } } })])
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
		expect(first.body.html).toContain('quiz-right')
		expect(first.body.html).not.toContain('quiz-wrong')
		expect(await counts(me.id)).toEqual({ attempts: 1, done: 1 })

		// The answer was lost on the way and the phone sends it again: same result, nothing new.
		const again = await answer(me.cookie, 0, right(0), clientId)
		expect(again.body).toMatchObject({ ok: true, passed: true, recorded: true })
		expect(await counts(me.id)).toEqual({ attempts: 1, done: 1 })
	})

	test('a failed quiz shows the right answers and explanations and completes nothing', async () => {
		const me = await learner()
		await answer(me.cookie, 0, right(0))
		const failed = await answer(me.cookie, 1, wrong(1))
		expect(failed.body).toMatchObject({ ok: true, passed: false, recorded: true, lessonCompleted: false })
		expect(failed.body.html).toContain('Chưa đạt')
		expect(failed.body.html).toContain('quiz-wrong')
		expect(failed.body.html).toContain(lessons()[1]!.quiz.vi![0]!.explanation)
		expect(await counts(me.id)).toEqual({ attempts: 2, done: 1 })
	})

	test('gives the same feedback as the full-page form, which stays for phones without JavaScript', async () => {
		const me = await learner()
		const viaApi = await answer(me.cookie, 0, right(0))
		const other = await learner()
		const form = new URLSearchParams({ intent: 'submit-quiz', clientId: randomUUID(), ...Object.fromEntries(Object.entries(right(0)).map(([q, o]) => [`answer.${q}`, o])) })
		const headers = new Headers({ Origin: 'http://localhost', Cookie: other.cookie, 'Content-Type': 'application/x-www-form-urlencoded' })
		const page = (await lessonAction({ request: new Request(`http://localhost/courses/smartphone/${lessons()[0]!.slug}`, { method: 'POST', headers, body: form }), params: { course: 'smartphone', lesson: lessons()[0]!.slug }, context: {} })) as unknown as { data: { feedback: { passed: boolean; recorded: boolean; correct: number } } }
		expect(page.data.feedback).toMatchObject({ passed: true, recorded: true, correct: Object.keys(right(0)).length })
		expect(viaApi.body).toMatchObject({ passed: page.data.feedback.passed, recorded: page.data.feedback.recorded })
		expect(await counts(other.id)).toEqual(await counts(me.id))
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
		expect(locked.body).toMatchObject({ ok: false, error: 'learning:errors.locked' })
		expect(locked.body.message).not.toContain('learning:')
		const partial = await answer(me.cookie, 0, Object.fromEntries(Object.entries(right(0)).slice(0, 1)))
		expect(partial).toMatchObject({ status: 400, body: { ok: false, error: 'learning:errors.answerAll' } })
		const form = await post({ cookie: me.cookie, body: 'lessonId=x', contentType: 'application/x-www-form-urlencoded' })
		expect(form.status).toBe(415)
		expect(form.body.message).toBeTruthy()
		expect(form.body.message).not.toContain('common:')
		const unknown = await post({ cookie: me.cookie, body: JSON.stringify({ lessonId: 'no-such-lesson', clientId: randomUUID(), answers: { q1: 'a' } }) })
		expect(unknown.status).toBe(404)
		expect(await counts(me.id)).toEqual({ attempts: 0, done: 0 })
	})

	test('hostile JSON never causes a 5xx, always carries a message and records nothing', async () => {
		const me = await learner()
		const value = fc.oneof(fc.string({ maxLength: 60 }), fc.integer(), fc.constant(null), fc.constantFrom('<script>alert(1)</script>', "' OR 1=1 --", '\u0000', 'a'.repeat(20_000)))
		const body = fc.oneof(
			fc.record({ lessonId: fc.oneof(value, fc.constantFrom(...lessons().map((l) => l.id))), clientId: fc.oneof(value, fc.uuid()), answers: fc.oneof(value, fc.dictionary(fc.string({ maxLength: 45 }), value, { maxKeys: 60 })) }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
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
})
