import { randomUUID } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { NOTICE_VERSION } from '#app/kernel/privacy.ts'
import { getCourseById } from '#app/modules/course/course.server.ts'
import { action as quizAction } from '#app/routes/api+/quiz.tsx'
import * as sync from '#app/routes/api+/sync.tsx'
import { action as lessonAction, loader as lessonLoader } from '#app/routes/courses+/$course.$lesson.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { i18nFor } from '#app/utils/i18n-instance.server.ts'
import { rightAnswers, signedInLearner } from '#tests/fixtures/learning.ts'
import { callRoute } from '#tests/utils/route.ts'

/**
 * Nothing of a person's learning is recorded before they agree to the current notice (ADR 028), on
 * every way a phone records it: the lesson's quiz form (no JavaScript), the quiz answered in place
 * (/api/quiz) and the offline outbox (/api/sync). Pages already send such a person to the notice;
 * these are the posts of a page opened before the notice changed, or saved on the phone. Each is
 * refused or sent to the notice, records nothing, and once the person agrees the same request records.
 */
const lessons = () => getCourseById('smartphone')!.lessons
const lessonPath = (i: number) => `/courses/smartphone/${lessons()[i]!.slug}`
const params = (i: number) => ({ course: 'smartphone', lesson: lessons()[i]!.slug })

/** An enrolled resident whose consent is for an older notice (the province has changed it since). */
async function behindOnNotice() {
	const me = await signedInLearner({ fullName: 'Cầm Thị Chưa Đọc', enrol: true })
	await prisma.consent.updateMany({ where: { userId: me.id }, data: { noticeVersion: `${NOTICE_VERSION}-old` } })
	return me
}
const agree = (userId: string) => prisma.consent.create({ data: { userId, purpose: 'LEARNING', noticeVersion: NOTICE_VERSION, channel: 'SELF' } })

async function recorded(userId: string) {
	const [events, attempts, opened, done] = await Promise.all([
		prisma.clientEvent.count({ where: { userId } }),
		prisma.quizAttempt.count({ where: { userId } }),
		prisma.lessonProgress.count({ where: { userId } }),
		prisma.lessonProgress.count({ where: { userId, completedAt: { not: null } } }),
	])
	return { events, attempts, opened, done }
}
const nothing = { events: 0, attempts: 0, opened: 0, done: 0 }

describe('a person who has not agreed to the current notice', () => {
	test('the quiz form posted without JavaScript goes to the notice and back to the lesson; nothing is recorded', async () => {
		const me = await behindOnNotice()
		const form = () =>
			new URLSearchParams({
				intent: 'submit-quiz',
				clientId: randomUUID(),
				...Object.fromEntries(Object.entries(rightAnswers(lessons()[0]!.quiz.vi)).map(([q, o]) => [`answer.${q}`, o])),
			})
		const post = (body: URLSearchParams) =>
			callRoute({ action: lessonAction }, 'action', {
				url: lessonPath(0),
				params: params(0),
				cookie: me.cookie,
				body,
				contentType: 'application/x-www-form-urlencoded',
			})
		const refused = await post(form())
		expect(refused.status).toBe(302)
		expect(refused.location).toBe(`/me/notice?redirectTo=${encodeURIComponent(lessonPath(0))}`)
		// The lesson without a quiz is completed by a form too: the same.
		const complete = await callRoute({ action: lessonAction }, 'action', {
			url: lessonPath(0),
			params: params(0),
			cookie: me.cookie,
			body: new URLSearchParams({ intent: 'complete', clientId: randomUUID() }),
			contentType: 'application/x-www-form-urlencoded',
		})
		expect(complete.location).toMatch(/^\/me\/notice\?/)
		expect(await recorded(me.id)).toEqual(nothing)

		await agree(me.id)
		const accepted = await post(form())
		expect(accepted.status).toBe(303)
		expect(await recorded(me.id)).toMatchObject({ attempts: 1, done: 1 })
	})

	test('opening a lesson sends them to the notice and records no opening (the lesson loader runs beside the root loader that redirects)', async () => {
		const me = await behindOnNotice()
		const opened = await callRoute({ loader: lessonLoader }, 'loader', { url: lessonPath(0), params: params(0), cookie: me.cookie })
		expect(opened.status).toBe(302)
		expect(opened.location).toBe(`/me/notice?redirectTo=${encodeURIComponent(lessonPath(0))}`)
		expect(await recorded(me.id)).toEqual(nothing)
		await agree(me.id)
		expect((await callRoute({ loader: lessonLoader }, 'loader', { url: lessonPath(0), params: params(0), cookie: me.cookie })).status).toBe(200)
		expect(await recorded(me.id)).toMatchObject({ opened: 1 })
	})

	test('a quiz answered in place is refused with a message in their language; nothing is recorded', async () => {
		const me = await behindOnNotice()
		for (const lng of ['vi', 'en'] as const) {
			const result = await callRoute({ action: quizAction }, 'action', {
				url: `/api/quiz?lng=${lng}`,
				cookie: me.cookie,
				body: JSON.stringify({ lessonId: lessons()[0]!.id, clientId: randomUUID(), answers: rightAnswers(lessons()[0]!.quiz.vi) }),
				contentType: 'application/json',
			})
			const i18n = await i18nFor(lng)
			expect(result.status).toBe(403)
			expect(result.body).toEqual({ ok: false, error: 'learning:errors.noticeNeeded', message: i18n.t('learning:errors.noticeNeeded') })
			expect((result.body as { message: string }).message).not.toContain('errors.')
		}
		expect(await recorded(me.id)).toEqual(nothing)

		await agree(me.id)
		const accepted = await callRoute({ action: quizAction }, 'action', {
			url: '/api/quiz',
			cookie: me.cookie,
			body: JSON.stringify({ lessonId: lessons()[0]!.id, clientId: randomUUID(), answers: rightAnswers(lessons()[0]!.quiz.vi) }),
			contentType: 'application/json',
		})
		expect(accepted.status).toBe(200)
		expect(await recorded(me.id)).toMatchObject({ attempts: 1, done: 1 })
	})

	test('the offline outbox gets 403 (the phone keeps its events) and its progress is not read; once agreed, the same events record', async () => {
		const me = await behindOnNotice()
		const events = [0, 1].map((i) => ({
			kind: 'quiz.attempt' as const,
			clientId: randomUUID(),
			lessonId: lessons()[i]!.id,
			occurredAt: new Date(Date.now() - 3_600_000 + i * 60_000).toISOString(),
			answers: rightAnswers(lessons()[i]!.quiz.vi),
		}))
		const send = () => callRoute(sync, 'action', { url: '/api/sync', cookie: me.cookie, body: JSON.stringify({ events }), contentType: 'application/json' })
		const refused = await send()
		expect(refused.status).toBe(403)
		expect(refused.body).toEqual({ message: 'offline:errors.noticeNeeded' })
		expect((await callRoute(sync, 'loader', { url: '/api/sync?course=smartphone', cookie: me.cookie })).status).toBe(403)
		expect(await recorded(me.id)).toEqual(nothing)

		await agree(me.id)
		const accepted = await send()
		expect(accepted.status).toBe(200)
		expect((accepted.body as { results: { ok: boolean }[] }).results.map((r) => r.ok)).toEqual([true, true])
		expect(await recorded(me.id)).toMatchObject({ events: 2, attempts: 2, done: 2 })
	})
})
