import { randomUUID } from 'node:crypto'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { rightAnswers } from '#tests/fixtures/learning.ts'
import { resident } from '#tests/utils/factories.ts'
import { getJwks, signCredential } from '../certificate/certificate.server.ts'
import { getCourseById } from '../course/course.server.ts'
import { enrolResident, getCourseProgress, getMyLearning, ProgressError, recordLessonCompletion, recordQuizAttempt } from './progress.server.ts'
import { periodsOf } from '#app/kernel/calendar.ts'

const learner = (communeCode = '03808') => resident({ communeCode })

const course = () => getCourseById('vneid')!
const wrongAnswers = (quiz: { id: string; options: { id: string; correct?: boolean }[] }[]) =>
	Object.fromEntries(quiz.map((q) => [q.id, q.options.find((o) => !o.correct)!.id]))

describe('enrolment', () => {
	test('records the commune at that moment and who enrolled; enrolling twice changes nothing', async () => {
		const userId = await learner('03820')
		const staff = await learner()
		const first = await enrolResident({ userId, courseId: 'vneid', enrolledById: staff })
		const second = await enrolResident({ userId, courseId: 'vneid' })
		expect(second).toEqual({ enrolmentId: first.enrolmentId, created: false })
		expect(await prisma.enrolment.findUniqueOrThrow({ where: { id: first.enrolmentId } })).toMatchObject({
			communeCode: '03820',
			provinceCode: '14',
			enrolledById: staff,
		})
		// The enrolment stays counted where it happened even if the resident moves.
		await prisma.user.update({ where: { id: userId }, data: { communeCode: '03646' } })
		expect((await prisma.enrolment.findUniqueOrThrow({ where: { id: first.enrolmentId } })).communeCode).toBe('03820')
	})
})

describe('progress', () => {
	test('lessons unlock in order; a quiz can be failed, retried and passed; every attempt is kept', async () => {
		const userId = await learner()
		await enrolResident({ userId, courseId: 'vneid' })
		const [l1, l2] = course().lessons
		const locked = await recordQuizAttempt({ userId, lessonId: l2!.id, clientEventId: randomUUID(), answers: rightAnswers(l2!.quiz.vi) }).catch((e) => e)
		expect(locked).toBeInstanceOf(ProgressError)
		expect(locked.reason).toBe('locked')

		const failed = await recordQuizAttempt({ userId, lessonId: l1!.id, clientEventId: randomUUID(), answers: wrongAnswers(l1!.quiz.vi!) })
		expect(failed.quiz.passed).toBe(false)
		expect(failed.lessonCompleted).toBe(false)
		expect(failed.quiz.questions.every((q) => !q.correct && q.explanation)).toBe(true)
		const passed = await recordQuizAttempt({ userId, lessonId: l1!.id, clientEventId: randomUUID(), answers: rightAnswers(l1!.quiz.vi) })
		expect(passed).toMatchObject({ lessonCompleted: true, attemptNumber: 2 })
		const attempts = await prisma.quizAttempt.findMany({ where: { userId, lessonId: l1!.id }, orderBy: { createdAt: 'asc' } })
		expect(attempts.map((a) => a.passed)).toEqual([false, true])
		expect(attempts[0]!.answers).toEqual(wrongAnswers(l1!.quiz.vi!))
		expect((await getCourseProgress(userId, 'vneid')).unlocked).toContain(l2!.id)
	})

	test('a replayed write (same client id) returns the first answer and records nothing new', async () => {
		const userId = await learner()
		await enrolResident({ userId, courseId: 'vneid' })
		const l1 = course().lessons[0]!
		const clientEventId = randomUUID()
		const offlineAt = new Date(Date.now() - 3 * 86_400_000)
		const first = await recordQuizAttempt({ userId, lessonId: l1.id, clientEventId, answers: rightAnswers(l1.quiz.vi), occurredAt: offlineAt })
		const again = await recordQuizAttempt({ userId, lessonId: l1.id, clientEventId, answers: rightAnswers(l1.quiz.vi), occurredAt: new Date() })
		// The stored answer again; only a new attempt carries the progress it left.
		expect(again).toEqual(answerOf(first))
		expect(again.progress).toBeUndefined()
		expect(samePoint(first.progress!)).toEqual(samePoint(await getCourseProgress(userId, 'vneid')))
		expect(await prisma.quizAttempt.count({ where: { userId } })).toBe(1)
		const progress = await prisma.lessonProgress.findUniqueOrThrow({ where: { userId_lessonId: { userId, lessonId: l1.id } } })
		// The time of the event, not of the upload.
		expect(progress.completedAt?.toISOString()).toBe(offlineAt.toISOString())
		// Another learner cannot reuse someone's client id.
		const other = await learner()
		await enrolResident({ userId: other, courseId: 'vneid' })
		await expect(recordQuizAttempt({ userId: other, lessonId: l1.id, clientEventId, answers: rightAnswers(l1.quiz.vi) })).rejects.toMatchObject({
			reason: 'clientIdTaken',
		})
	})

	test('a lesson with a quiz is completed only by passing it (or in class)', async () => {
		const userId = await learner()
		await enrolResident({ userId, courseId: 'vneid' })
		await expect(recordLessonCompletion({ userId, lessonId: course().lessons[0]!.id, clientEventId: randomUUID() })).rejects.toMatchObject({
			reason: 'quizRequired',
		})
		const staff = await learner()
		const inClass = await recordLessonCompletion({
			userId,
			lessonId: course().lessons[0]!.id,
			clientEventId: randomUUID(),
			source: 'CLASS',
			recordedById: staff,
		})
		expect(inClass.lessonCompleted).toBe(true)
		expect(await prisma.lessonProgress.findFirstOrThrow({ where: { userId } })).toMatchObject({ source: 'CLASS', recordedById: staff })
	})
})

describe('completion and certificates', () => {
	async function upToLastLesson(userId: string) {
		await enrolResident({ userId, courseId: 'vneid' })
		for (const l of course().lessons.slice(0, -1))
			await recordQuizAttempt({ userId, lessonId: l.id, clientEventId: randomUUID(), answers: rightAnswers(l.quiz.vi) })
		return course().lessons.at(-1)!
	}

	test('two concurrent completions of the last lesson give one completion and one certificate', async () => {
		const userId = await learner('03646')
		const last = await upToLastLesson(userId)
		const results = await Promise.all(
			[1, 2, 3].map(() => recordQuizAttempt({ userId, lessonId: last.id, clientEventId: randomUUID(), answers: rightAnswers(last.quiz.vi) })),
		)
		expect(results.filter((r) => r.courseCompleted)).toHaveLength(1)
		expect(await prisma.certificate.count({ where: { userId } })).toBe(1)
		expect(await prisma.lessonProgress.count({ where: { userId, lessonId: last.id } })).toBe(1)
		const mine = await getMyLearning(userId)
		expect(mine[0]).toMatchObject({
			courseId: 'vneid',
			completedCount: course().lessons.length,
			certificateCode: results.find((r) => r.certificateCode)!.certificateCode,
		})
	})

	test('the same completion replayed concurrently is recorded once', async () => {
		const userId = await learner()
		const last = await upToLastLesson(userId)
		const clientEventId = randomUUID()
		const results = await Promise.all([1, 2].map(() => recordQuizAttempt({ userId, lessonId: last.id, clientEventId, answers: rightAnswers(last.quiz.vi) })))
		// Both callers get the same, first answer; the progress the write left is what a read finds.
		expect(answerOf(results[1]!)).toEqual(answerOf(results[0]!))
		const fresh = results.find((r) => r.progress)!.progress!
		expect(samePoint(fresh)).toEqual(samePoint(await getCourseProgress(userId, 'vneid')))
		expect(fresh.certificateCode).toBe(results[0]!.certificateCode)
		expect(results[0]!.courseCompleted).toBe(true)
		expect(await prisma.quizAttempt.count({ where: { userId, lessonId: last.id } })).toBe(1)
		expect(await prisma.certificate.count({ where: { userId } })).toBe(1)
	})

	test('a completion is never revoked by a later content edit', async () => {
		const userId = await learner()
		const last = await upToLastLesson(userId)
		await recordQuizAttempt({ userId, lessonId: last.id, clientEventId: randomUUID(), answers: rightAnswers(last.quiz.vi) })
		const lessons = course().lessons
		lessons.push({ ...last, id: 'vneid-added-later', slug: 'added-later' })
		try {
			const progress = await getCourseProgress(userId, 'vneid')
			expect(progress.completedAt).not.toBeNull()
			expect(progress.certificateCode).not.toBeNull()
		} finally {
			lessons.pop()
		}
	})

	test('the credential verifies against the published JWKS, and fails after one byte changes', async () => {
		const userId = await learner()
		const last = await upToLastLesson(userId)
		const { certificateCode } = await recordQuizAttempt({ userId, lessonId: last.id, clientEventId: randomUUID(), answers: rightAnswers(last.quiz.vi) })
		const signed = await signCredential({ code: certificateCode!, origin: 'https://hocvuso.example', userId })
		if (!signed || signed.revoked) throw new Error('expected a signed credential')
		const jwks = createLocalJWKSet(await getJwks())
		const { payload, protectedHeader } = await jwtVerify(signed.jwt, jwks)
		expect(protectedHeader.alg).toBe('ES256')
		const vc = payload.vc as { type: string[]; credentialSubject: { identifier: { identityHash: string }[]; achievement: { name: string } } }
		expect(vc.type).toContain('OpenBadgeCredential')
		expect(vc.credentialSubject.achievement.name).toBe(course().title.vi)
		expect(vc.credentialSubject.identifier[0]!.identityHash).toMatch(/^sha256\$[0-9a-f]{64}$/)
		expect(JSON.stringify(payload)).not.toContain('Lò Thị Học')
		const [h, p, s] = signed.jwt.split('.') as [string, string, string]
		const bytes = Buffer.from(p, 'base64url')
		bytes[10] = bytes[10]! ^ 1
		await expect(jwtVerify(`${h}.${bytes.toString('base64url')}.${s}`, jwks)).rejects.toThrow()
		// Someone else cannot download it.
		expect(await signCredential({ code: certificateCode!, origin: 'https://hocvuso.example', userId: await learner() })).toBeNull()
	})
})

describe('rollups', () => {
	test('commune figures from the rollups equal counts from the raw tables', async () => {
		const commune = '03670'
		const users = [await learner(commune), await learner(commune), await learner(commune)]
		for (const userId of users.slice(0, 2)) await enrolResident({ userId, courseId: 'vneid' })
		const userId = users[0]!
		for (const l of course().lessons) await recordQuizAttempt({ userId, lessonId: l.id, clientEventId: randomUUID(), answers: rightAnswers(l.quiz.vi) })
		const sum = await prisma.periodCellStat.aggregate({
			where: { communeCode: commune, period: periodsOf(new Date())[2] },
			_sum: { registered: true, enrolments: true, completions: true, certificates: true },
		})
		expect(sum._sum).toEqual({
			registered: await prisma.user.count({ where: { communeCode: commune } }),
			enrolments: await prisma.enrolment.count({ where: { communeCode: commune } }),
			completions: await prisma.enrolment.count({ where: { communeCode: commune, completedAt: { not: null } } }),
			certificates: await prisma.certificate.count({ where: { communeCode: commune } }),
		})
		expect(await prisma.activePeriod.count({ where: { communeCode: commune, period: periodsOf(new Date())[0] } })).toBe(2)
		// Active learners of the month, in their demographic cells, for the breakdowns.
		const active = await prisma.periodCellStat.aggregate({ where: { communeCode: commune, period: periodsOf(new Date())[0] }, _sum: { active: true } })
		expect(active._sum.active).toBe(2)
	})
})

/** A write's stored answer, without the progress a new attempt also returns. */
function answerOf<T extends { progress?: unknown }>({ progress: _progress, ...answer }: T) {
	return answer
}

/** Progress with its lesson lists in a fixed order (a read lists them in storage order). */
function samePoint(p: Awaited<ReturnType<typeof getCourseProgress>>) {
	return { ...p, completed: [...p.completed].sort(), opened: [...p.opened].sort(), unlocked: [...p.unlocked].sort() }
}

describe('the progress a quiz answer returns (shown on the answer page) equals a fresh read', () => {
	const sorted = (p: Awaited<ReturnType<typeof getCourseProgress>>) => ({
		...p,
		completed: [...p.completed].sort(),
		opened: [...p.opened].sort(),
		unlocked: [...p.unlocked].sort(),
	})
	async function attempt(userId: string, courseId: string, lessonId: string, answers: Record<string, string>, label: string) {
		const result = await recordQuizAttempt({ userId, lessonId, clientEventId: randomUUID(), answers })
		expect.soft(sorted(result.progress!), label).toEqual(sorted(await getCourseProgress(userId, courseId)))
	}
	for (const courseId of ['vneid', 'scam-safety']) {
		test(`${courseId}: failed, passed, failed and passed again, course completed, certificate revoked, a lesson that left the content`, async () => {
			const c = getCourseById(courseId)!
			const userId = await learner()
			const { enrolmentId } = await enrolResident({ userId, courseId })
			const first = c.lessons.find((l) => l.quiz.vi?.length)!
			await attempt(userId, courseId, first.id, wrongAnswers(first.quiz.vi!), 'failed, never opened')
			await attempt(userId, courseId, first.id, rightAnswers(first.quiz.vi), 'passed')
			await attempt(userId, courseId, first.id, wrongAnswers(first.quiz.vi!), 'failed after completing')
			await attempt(userId, courseId, first.id, rightAnswers(first.quiz.vi), 'passed again')
			for (const l of c.lessons.slice(0, -1)) {
				if (l.quiz.vi?.length) await recordQuizAttempt({ userId, lessonId: l.id, clientEventId: randomUUID(), answers: rightAnswers(l.quiz.vi) })
				else await recordLessonCompletion({ userId, lessonId: l.id, clientEventId: randomUUID() })
			}
			const last = c.lessons.at(-1)!
			expect(last.quiz.vi?.length).toBeGreaterThan(0)
			await attempt(userId, courseId, last.id, rightAnswers(last.quiz.vi), 'completing the course')
			const certificate = await prisma.certificate.findFirstOrThrow({ where: { enrolmentId } })
			await attempt(userId, courseId, last.id, rightAnswers(last.quiz.vi), 'after completion')
			await prisma.certificate.update({ where: { id: certificate.id }, data: { revokedAt: new Date() } })
			await attempt(userId, courseId, last.id, rightAnswers(last.quiz.vi), 'certificate revoked')
			// Progress in a lesson that has since left the content still counts as the learner's.
			await prisma.lessonProgress.create({ data: { userId, enrolmentId, lessonId: `${courseId}-retired`, openedAt: new Date(), completedAt: new Date() } })
			await attempt(userId, courseId, last.id, rightAnswers(last.quiz.vi), 'a lesson that left the content')
		})
	}
})
