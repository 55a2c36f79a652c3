import { expect, test } from 'vitest'
import { getCourseById } from '#app/modules/course/course.server.ts'
import { enrolResident, ProgressError, recordQuizAttempt } from '#app/modules/progress/progress.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { createSession, hashToken, sessionClock } from '#app/utils/session.server.ts'
import { resident, staff } from '#tests/utils/factories.ts'

// A quiz written without Remix (ADR 035) names its learner by session: the session is read under the
// learner's lock, in the statement sent with BEGIN. Only a steady session of a resident who agreed to
// the current notice writes; anything else is `sessionNotUsable` and writes nothing (Remix answers).
const lesson = () => getCourseById('smartphone')!.lessons[0]!
const rightAnswers = () => Object.fromEntries(lesson().quiz.vi!.map((q) => [q.id, q.options.find((o) => o.correct)!.id]))

async function attempt(sessionId: string) {
	return recordQuizAttempt({ sessionId, lessonId: lesson().id, clientEventId: crypto.randomUUID(), answers: rightAnswers() }).catch((e: unknown) => e)
}

async function enrolledResident() {
	const id = await resident()
	await enrolResident({ userId: id, courseId: 'smartphone' })
	return id
}

const attempts = (userId: string) => prisma.quizAttempt.count({ where: { userId } })

test('a steady session of an enrolled resident records the attempt for that resident', async () => {
	const id = await enrolledResident()
	const { token } = await createSession(id)
	const result = await attempt(hashToken(token))
	expect(result).toMatchObject({ quiz: { passed: true }, lessonCompleted: true })
	expect(await attempts(id)).toBe(1)
})

test('no write through a session that does not exist, of staff, of a resident who has not agreed to the current notice, or due to slide', async () => {
	const notSession = await attempt(hashToken('a'.repeat(32)))
	expect(notSession).toBeInstanceOf(ProgressError)
	expect((notSession as ProgressError).reason).toBe('sessionNotUsable')

	const staffId = await staff('03808')
	await enrolResident({ userId: staffId, courseId: 'smartphone' })
	const staffSession = await createSession(staffId)
	expect(((await attempt(hashToken(staffSession.token))) as ProgressError).reason).toBe('sessionNotUsable')

	const noNotice = await enrolledResident()
	await prisma.consent.updateMany({ where: { userId: noNotice, purpose: 'LEARNING' }, data: { noticeVersion: '2000-01-01' } })
	const noNoticeSession = await createSession(noNotice)
	expect(((await attempt(hashToken(noNoticeSession.token))) as ProgressError).reason).toBe('sessionNotUsable')

	const sliding = await enrolledResident()
	const slidingSession = await createSession(sliding)
	await prisma.session.update({ where: { id: hashToken(slidingSession.token) }, data: { expiresAt: new Date(sessionClock.now() + 60_000) } })
	expect(((await attempt(hashToken(slidingSession.token))) as ProgressError).reason).toBe('sessionNotUsable')

	for (const id of [staffId, noNotice, sliding]) expect(await attempts(id)).toBe(0)
})

test('a resident not enrolled is "not enrolled" as by user id', async () => {
	const id = await resident()
	const { token } = await createSession(id)
	expect(((await attempt(hashToken(token))) as ProgressError).reason).toBe('notEnrolled')
	expect(await attempts(id)).toBe(0)
})
