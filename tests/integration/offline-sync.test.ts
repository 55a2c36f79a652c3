import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { getCourseById } from '#app/modules/course/course.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import * as sync from '#app/routes/api+/sync.tsx'
import { rightAnswers, signedInLearner } from '#tests/fixtures/learning.ts'
import { delta, syncOutcomes } from '#tests/utils/metrics.ts'
import { callRoute } from '#tests/utils/route.ts'

/** The offline outbox endpoint, called the way the phone calls it (JSON, session cookie). */
const learner = ({ enrol = true } = {}) => signedInLearner({ fullName: 'Lò Thị Ngoại Tuyến', sex: 'FEMALE', enrol })

const lessons = () => getCourseById('smartphone')!.lessons
const wrong = (quiz: { id: string; options: { id: string; correct?: boolean }[] }[]) =>
	Object.fromEntries(quiz.map((q) => [q.id, q.options.find((o) => !o.correct)!.id]))
const quizEvent = (i: number, at: Date, answers?: Record<string, string>) => ({
	kind: 'quiz.attempt' as const,
	clientId: randomUUID(),
	lessonId: lessons()[i]!.id,
	occurredAt: at.toISOString(),
	answers: answers ?? rightAnswers(lessons()[i]!.quiz.vi),
})

async function call(
	kind: 'action' | 'loader',
	{ cookie, body, contentType = 'application/json', url = '/api/sync' }: { cookie?: string; body?: BodyInit; contentType?: string; url?: string },
) {
	const result = await callRoute(sync, kind, { url, cookie, body, contentType: kind === 'action' ? contentType : undefined })
	return { status: result.status, body: result.body as any }
}

async function counts(userId: string) {
	const [events, attempts, done] = await Promise.all([
		prisma.clientEvent.count({ where: { userId } }),
		prisma.quizAttempt.count({ where: { userId } }),
		prisma.lessonProgress.count({ where: { userId, completedAt: { not: null } } }),
	])
	return { events, attempts, done }
}

describe('POST /api/sync', () => {
	test('records offline events with their own time; a replay returns the same results and changes nothing', async () => {
		const me = await learner()
		const t0 = new Date(Date.now() - 2 * 3_600_000)
		const events = [
			quizEvent(0, t0),
			quizEvent(1, new Date(t0.getTime() + 60_000)),
			quizEvent(2, new Date(t0.getTime() + 120_000), wrong(lessons()[2]!.quiz.vi!)),
		]
		const counted = await syncOutcomes()
		const first = await call('action', { cookie: me.cookie, body: JSON.stringify({ events }) })
		expect(first.status).toBe(200)
		// For operators (/metrics, ADR 024): three new events.
		expect(delta(counted, await syncOutcomes())).toEqual({ accepted: 3, replayed: 0, refused: 0, kept: 0 })
		expect(first.body.results.map((r: { ok: boolean; quiz: { passed: boolean } }) => [r.ok, r.quiz.passed])).toEqual([
			[true, true],
			[true, true],
			[true, false],
		])
		expect(first.body.results[0].text).toBe(
			`«${lessons()[0]!.title.vi}»: đúng ${lessons()[0]!.quiz.vi!.length}/${lessons()[0]!.quiz.vi!.length} câu. Đạt — bài học đã được ghi nhận.`,
		)
		expect(first.body.results[2].text).toContain('Chưa đạt')
		const after = await counts(me.id)
		expect(after).toEqual({ events: 3, attempts: 3, done: 2 })

		// Sent again (the answer was lost, the page reloaded, another tab): same answers, nothing new.
		const again = await call('action', { cookie: me.cookie, body: JSON.stringify({ events }) })
		expect(again).toEqual(first)
		// And in pieces, in another order.
		const pieces = await call('action', { cookie: me.cookie, body: JSON.stringify({ events: [events[2], events[0]] }) })
		expect(pieces.body.results).toEqual([first.body.results[2], first.body.results[0]])
		expect(delta(counted, await syncOutcomes())).toEqual({ accepted: 3, replayed: 5, refused: 0, kept: 0 })
		expect(await counts(me.id)).toEqual(after)

		const progress = await prisma.lessonProgress.findMany({ where: { userId: me.id, completedAt: { not: null } }, orderBy: { completedAt: 'asc' } })
		expect(progress.map((p) => [p.lessonId, p.completedAt!.toISOString(), p.source])).toEqual([
			[events[0]!.lessonId, events[0]!.occurredAt, 'OFFLINE'],
			[events[1]!.lessonId, events[1]!.occurredAt, 'OFFLINE'],
		])
		const attempts = await prisma.quizAttempt.findMany({ where: { userId: me.id }, orderBy: { occurredAt: 'asc' } })
		expect(attempts.map((a) => [a.clientId, a.occurredAt.toISOString()])).toEqual(events.map((e) => [e.clientId, e.occurredAt]))

		// What the phone can read back.
		const recorded = await call('loader', { cookie: me.cookie, url: '/api/sync?course=smartphone' })
		expect(recorded.status).toBe(200)
		expect(recorded.body.completions.map((c: { completedAt: string }) => c.completedAt)).toEqual([events[0]!.occurredAt, events[1]!.occurredAt])
		expect(recorded.body.attempts).toHaveLength(3)
	})

	test('a time in the future is recorded as the time of arrival', async () => {
		const me = await learner()
		const before = Date.now()
		const { body } = await call('action', { cookie: me.cookie, body: JSON.stringify({ events: [quizEvent(0, new Date(Date.now() + 86_400_000))] }) })
		expect(body.results[0].ok).toBe(true)
		const attempt = await prisma.quizAttempt.findFirstOrThrow({ where: { userId: me.id } })
		expect(attempt.occurredAt.getTime()).toBeGreaterThanOrEqual(before)
		expect(attempt.occurredAt.getTime()).toBeLessThanOrEqual(Date.now())
	})

	test('refusals are per event, final, with a message; events of another person are kept for later', async () => {
		const me = await learner()
		const other = await learner()
		const taken = quizEvent(0, new Date())
		await call('action', { cookie: other.cookie, body: JSON.stringify({ events: [taken] }) })
		const notEnrolled = {
			...quizEvent(0, new Date()),
			lessonId: getCourseById('vneid')!.lessons[0]!.id,
			answers: rightAnswers(getCourseById('vneid')!.lessons[0]!.quiz.vi),
		}
		const events = [
			quizEvent(2, new Date()), // locked: lessons 1 and 2 not done
			{ ...quizEvent(0, new Date()), clientId: taken.clientId }, // someone else's client id
			{ ...quizEvent(0, new Date()), userId: other.id }, // made while the other person was signed in
			notEnrolled,
			{ kind: 'lesson.complete', clientId: randomUUID(), lessonId: lessons()[0]!.id, occurredAt: new Date().toISOString() }, // needs its quiz
			{ ...quizEvent(0, new Date()), lessonId: 'no-such-lesson' },
			{ ...quizEvent(0, new Date()), answers: { nope: 'a' } },
		]
		const counted = await syncOutcomes()
		const { status, body } = await call('action', { cookie: me.cookie, body: JSON.stringify({ events }) })
		expect(status).toBe(200)
		expect(body.results.map((r: { ok: boolean; keep: boolean; error: string }) => [r.ok, r.keep, r.error])).toEqual([
			[false, false, 'learning:errors.locked'],
			[false, false, 'learning:errors.clientIdTaken'],
			[false, true, 'offline:errors.otherUser'],
			[false, false, 'learning:errors.notEnrolled'],
			[false, false, 'learning:errors.quizRequired'],
			[false, false, 'learning:errors.unknownLesson'],
			[false, false, 'learning:errors.badAnswers'],
		])
		expect(body.results.every((r: { text: string }) => r.text.length > 10)).toBe(true)
		expect(await counts(me.id)).toEqual({ events: 0, attempts: 0, done: 0 })
		expect(delta(counted, await syncOutcomes())).toEqual({ accepted: 0, replayed: 0, refused: 6, kept: 1 })
	})

	test('hostile or malformed input: a 4xx with a message, and nothing recorded', async () => {
		const me = await learner()
		const good = quizEvent(0, new Date())
		const bad: [string, BodyInit, string?][] = [
			['form body', 'events=%5B%5D', 'application/x-www-form-urlencoded'],
			['no content type', JSON.stringify({ events: [good] }), ''],
			['not JSON', '{"events": [', undefined],
			['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), undefined],
			['too large', JSON.stringify({ events: [good], pad: 'x'.repeat(200_000) }), undefined],
			['not an object', '[]', undefined],
			['no events', JSON.stringify({ events: [] }), undefined],
			['too many events', JSON.stringify({ events: Array.from({ length: 101 }, () => quizEvent(0, new Date())) }), undefined],
			['unknown kind', JSON.stringify({ events: [{ ...good, kind: 'certificate.issue' }] }), undefined],
			['extra field', JSON.stringify({ events: [{ ...good, completedAt: '2025-01-01T00:00:00Z' }] }), undefined],
			['bad client id', JSON.stringify({ events: [{ ...good, clientId: '\'; DROP TABLE "User"; --' }] }), undefined],
			['bad time', JSON.stringify({ events: [{ ...good, occurredAt: 'yesterday' }] }), undefined],
			['answers not strings', JSON.stringify({ events: [{ ...good, answers: { q1: { $gt: '' } } }] }), undefined],
			['lesson id with a path', JSON.stringify({ events: [{ ...good, lessonId: '../../etc/passwd' }] }), undefined],
			['one good, one bad', JSON.stringify({ events: [good, { ...good, clientId: 'x' }] }), undefined],
			['prototype pollution', '{"events":[{"kind":"quiz.attempt","__proto__":{"ok":true}}]}', undefined],
		]
		for (const [name, body, contentType] of bad) {
			const res = await call('action', { cookie: me.cookie, body, contentType: contentType ?? 'application/json' })
			expect(res.status, name).toBeGreaterThanOrEqual(400)
			expect(res.status, name).toBeLessThan(500)
			expect(res.body.message, name).toMatch(/^(common|offline):errors\./)
		}
		// Without a session: 401 (the phone keeps its events), not a redirect.
		const anonymous = await call('action', { body: JSON.stringify({ events: [good] }) })
		expect(anonymous).toEqual({ status: 401, body: { message: 'offline:errors.signedOut' } })
		expect(await counts(me.id)).toEqual({ events: 0, attempts: 0, done: 0 })
		expect(await prisma.quizAttempt.count({ where: { clientId: good.clientId } })).toBe(0)
	})

	test('random JSON never causes a 5xx and never records anything', async () => {
		const me = await learner()
		const event = fc.record(
			{
				kind: fc.constantFrom('quiz.attempt', 'lesson.complete', 'x'),
				clientId: fc.oneof(fc.uuid(), fc.string()),
				lessonId: fc.oneof(fc.constantFrom(...lessons().map((l) => l.id)), fc.string()),
				occurredAt: fc.oneof(
					fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
					fc.string(),
				),
				answers: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())),
			},
			{ requiredKeys: [] },
		)
		await fc.assert(
			fc.asyncProperty(fc.oneof(fc.record({ events: fc.array(event, { maxLength: 5 }) }), fc.jsonValue()), async (body) => {
				const res = await call('action', { cookie: me.cookie, body: JSON.stringify(body) })
				expect(res.status).toBeLessThan(500)
				if (res.status >= 400) expect(res.body.message).toBeTruthy()
			}),
			{ numRuns: 60 },
		)
		expect((await counts(me.id)).done).toBe(0)
	})
})

describe('GET /api/sync', () => {
	test('signed in: own progress only; unknown course 404; no session 401', async () => {
		const me = await learner({ enrol: false })
		expect((await call('loader', { cookie: me.cookie, url: '/api/sync?course=smartphone' })).body).toEqual({
			course: 'smartphone',
			completions: [],
			attempts: [],
		})
		expect((await call('loader', { cookie: me.cookie, url: '/api/sync?course=nope' })).status).toBe(404)
		expect((await call('loader', { url: '/api/sync?course=smartphone' })).status).toBe(401)
	})
})
