import { randomUUID } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { getCourseById } from '#app/modules/course/course.server.ts'
import { enrolResident, recordLessonCompletion, recordLessonOpened, recordQuizAttempt } from '#app/modules/progress/progress.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import * as sync from '#app/routes/api+/sync.tsx'
import { rightAnswers } from '#tests/fixtures/learning.ts'
import { resident, sessionCookie } from '#tests/utils/factories.ts'
import { figuresDrift } from '#tests/utils/load-check.ts'
import { callRoute } from '#tests/utils/route.ts'

/**
 * "First time" figures (a course completed, basic digital skills, an enrolment) are dated by the
 * event that completes the condition, whatever order the events arrive in (issue #17): offline
 * events sent late with an earlier time, class records, the seed. After every step the rollups
 * equal the raw recomputation for every commune and period (tests/utils/load-check.ts).
 * Communes 03688 and 03694 are this file's own: the oracle looks at them only.
 */
const CORE = ['smartphone', 'vneid', 'scam-safety', 'public-services'] as const
const lessonsOf = (courseId: string) => getCourseById(courseId)!.lessons
const vn = (day: string, time = '10:00') => new Date(`${day}T${time}:00+07:00`)

/** Completes lessons as a class record (no unlocking order, no quiz), each at its own time. */
async function classRecord(userId: string, lessonId: string, at: Date) {
	return recordLessonCompletion({ userId, lessonId, clientEventId: `class-test:${randomUUID()}`, occurredAt: at, source: 'CLASS' })
}

async function completeCourse(userId: string, courseId: string, at: Date) {
	for (const lesson of lessonsOf(courseId)) await classRecord(userId, lesson.id, at)
}

/** One metric of the indicator rollup (all courses) for a commune and period. */
async function stat(communeCode: string, period: string, metric: 'basicSkills' | 'completions' | 'enrolments' | 'certificates') {
	const rows = await prisma.periodStat.findMany({ where: { communeCode, period } })
	return rows.reduce((sum, r) => sum + r[metric], 0)
}

async function expectNoDrift(communeCode: string) {
	expect(await figuresDrift(prisma, { communeCodes: [communeCode] })).toEqual([])
}

describe('out of order', () => {
	test('basic skills across a year boundary: dated by the latest core completion, and moved when an earlier completion arrives late', async () => {
		const commune = '03688'
		const userId = await resident({ communeCode: commune, at: vn('2025-11-01') })
		for (const courseId of CORE) await enrolResident({ userId, courseId, at: vn('2025-12-01') })
		await expectNoDrift(commune)

		// Smartphone: every lesson in December but the last, done on 5 January (processed first).
		const smartphone = lessonsOf('smartphone')
		for (const lesson of smartphone.slice(0, -1)) await classRecord(userId, lesson.id, vn('2025-12-15'))
		await classRecord(userId, smartphone.at(-1)!.id, vn('2026-01-05'))
		await expectNoDrift(commune)
		// The other core courses finish earlier, in December, but arrive later.
		await completeCourse(userId, 'vneid', vn('2025-12-10'))
		await completeCourse(userId, 'scam-safety', vn('2025-12-10'))
		await expectNoDrift(commune)
		await completeCourse(userId, 'public-services', vn('2025-12-20'))
		await expectNoDrift(commune)
		// Reached on 5 January 2026 (the last core course completed), not 20 December (the last processed).
		expect([await stat(commune, '2026-01', 'basicSkills'), await stat(commune, '2026', 'basicSkills'), await stat(commune, '2025', 'basicSkills')]).toEqual([
			1, 1, 0,
		])
		expect((await prisma.enrolment.findFirstOrThrow({ where: { userId, courseId: 'public-services' } })).completedAt).toEqual(vn('2025-12-20'))

		// The last smartphone lesson had been done on the phone on 30 December, sent only now: the
		// course and basic skills move back into 2025, in the same transaction as the event.
		const last = smartphone.at(-1)!
		const body = JSON.stringify({
			events: [
				last.quiz.vi?.length
					? { kind: 'quiz.attempt', clientId: randomUUID(), lessonId: last.id, occurredAt: vn('2025-12-30').toISOString(), answers: rightAnswers(last.quiz.vi) }
					: { kind: 'lesson.complete', clientId: randomUUID(), lessonId: last.id, occurredAt: vn('2025-12-30').toISOString() },
			],
		})
		const sent = await callRoute(sync, 'action', { url: '/api/sync', cookie: await sessionCookie(userId), body, contentType: 'application/json' })
		expect(sent.status).toBe(200)
		await expectNoDrift(commune)
		expect((await prisma.enrolment.findFirstOrThrow({ where: { userId, courseId: 'smartphone' } })).completedAt).toEqual(vn('2025-12-30'))
		expect([await stat(commune, '2026-01', 'basicSkills'), await stat(commune, '2025-12', 'basicSkills'), await stat(commune, '2025', 'basicSkills')]).toEqual([
			0, 1, 1,
		])
		expect([await stat(commune, '2026-01', 'completions'), await stat(commune, '2025-12', 'completions')]).toEqual([0, 4])
		// The certificate keeps the day it was issued (the course's completion day then).
		expect((await prisma.certificate.findFirstOrThrow({ where: { userId, courseId: 'smartphone' } })).issuedAt).toEqual(vn('2026-01-05'))
		// Counted once, ever.
		expect(await prisma.clientEvent.count({ where: { userId, kind: 'basic-skills' } })).toBe(1)
	})

	test('basic skills across a month boundary through /api/sync: a completion sent later with an earlier time does not pull the figure into the previous month', async () => {
		const commune = '03694'
		const userId = await resident({ communeCode: commune, at: vn('2026-09-01') })
		const cookie = await sessionCookie(userId)
		for (const courseId of CORE) await enrolResident({ userId, courseId, at: vn('2026-09-02') })
		// Three core courses finished in October, online.
		for (const courseId of CORE.slice(1)) await completeCourse(userId, courseId, vn('2026-10-03'))
		await expectNoDrift(commune)
		// The smartphone course was done offline in September; the phone sends it in November.
		const events = lessonsOf('smartphone').map((lesson, i) => {
			const occurredAt = new Date(vn('2026-09-28').getTime() + i * 60_000).toISOString()
			return lesson.quiz.vi?.length
				? { kind: 'quiz.attempt', clientId: randomUUID(), lessonId: lesson.id, occurredAt, answers: rightAnswers(lesson.quiz.vi) }
				: { kind: 'lesson.complete', clientId: randomUUID(), lessonId: lesson.id, occurredAt }
		})
		const sent = await callRoute(sync, 'action', { url: '/api/sync', cookie, body: JSON.stringify({ events }), contentType: 'application/json' })
		expect(sent.status).toBe(200)
		expect((sent.body as { results: { ok: boolean }[] }).results.every((r) => r.ok)).toBe(true)
		await expectNoDrift(commune)
		// The course is September's; basic skills are October's (when the last core course was done).
		expect([await stat(commune, '2026-09', 'completions'), await stat(commune, '2026-10', 'completions')]).toEqual([1, 3])
		expect([await stat(commune, '2026-09', 'basicSkills'), await stat(commune, '2026-10', 'basicSkills')]).toEqual([0, 1])
	})

	test('a course is completed on the day its last lesson was first completed, whatever order the lessons arrive in', async () => {
		const commune = '03688'
		const userId = await resident({ communeCode: commune, at: vn('2026-02-01') })
		await enrolResident({ userId, courseId: 'vneid', at: vn('2026-02-02') })
		const [first, ...rest] = lessonsOf('vneid')
		for (const lesson of rest) await classRecord(userId, lesson.id, vn('2026-03-10'))
		// The first lesson, done on 28 February, arrives last.
		const done = await classRecord(userId, first!.id, vn('2026-02-28'))
		expect(done.courseCompleted).toBe(true)
		const enrolment = await prisma.enrolment.findFirstOrThrow({ where: { userId, courseId: 'vneid' }, include: { certificate: true } })
		expect(enrolment.completedAt).toEqual(vn('2026-03-10'))
		expect(enrolment.certificate!.issuedAt).toEqual(vn('2026-03-10'))
		await expectNoDrift(commune)
		// A completion of an already completed lesson with a later time changes nothing; an earlier one
		// dates the lesson (and so the course) earlier.
		await classRecord(userId, rest[0]!.id, vn('2026-03-20'))
		expect((await prisma.enrolment.findUniqueOrThrow({ where: { id: enrolment.id } })).completedAt).toEqual(vn('2026-03-10'))
		for (const lesson of rest) await classRecord(userId, lesson.id, vn('2026-02-27'))
		expect((await prisma.enrolment.findUniqueOrThrow({ where: { id: enrolment.id } })).completedAt).toEqual(vn('2026-02-28'))
		expect([await stat(commune, '2026-02', 'completions'), await stat(commune, '2026-03', 'completions')]).toEqual([1, 0])
		await expectNoDrift(commune)
	})

	test('an enrolment is dated by its first event: a class held before the resident enrolled online moves it earlier', async () => {
		const commune = '03694'
		const userId = await resident({ communeCode: commune, at: vn('2026-04-01') })
		await enrolResident({ userId, courseId: 'scam-safety', at: vn('2026-05-10') })
		await enrolResident({ userId, courseId: 'scam-safety', at: vn('2026-04-20') })
		expect((await prisma.enrolment.findFirstOrThrow({ where: { userId, courseId: 'scam-safety' } })).createdAt).toEqual(vn('2026-04-20'))
		expect([await stat(commune, '2026-04', 'enrolments'), await stat(commune, '2026-05', 'enrolments')]).toEqual([1, 0])
		// A lesson recorded as done before the enrolment's date dates the enrolment too.
		await classRecord(userId, lessonsOf('scam-safety')[0]!.id, vn('2026-04-15'))
		expect((await prisma.enrolment.findFirstOrThrow({ where: { userId, courseId: 'scam-safety' } })).createdAt).toEqual(vn('2026-04-15'))
		await expectNoDrift(commune)
	})

	test('a quiz passed offline with an earlier time dates a lesson completed online later', async () => {
		const commune = '03694'
		const userId = await resident({ communeCode: commune, at: vn('2026-06-01') })
		await enrolResident({ userId, courseId: 'smartphone', at: vn('2026-06-02') })
		const lesson = lessonsOf('smartphone')[0]!
		await recordQuizAttempt({ userId, lessonId: lesson.id, clientEventId: randomUUID(), answers: rightAnswers(lesson.quiz.vi), occurredAt: vn('2026-07-02') })
		await recordQuizAttempt({
			userId,
			lessonId: lesson.id,
			clientEventId: randomUUID(),
			answers: rightAnswers(lesson.quiz.vi),
			occurredAt: vn('2026-06-30'),
			source: 'OFFLINE',
		})
		expect((await prisma.lessonProgress.findFirstOrThrow({ where: { userId, lessonId: lesson.id } })).completedAt).toEqual(vn('2026-06-30'))
		await expectNoDrift(commune)
	})

	test('a learner is counted active once per month, quarter and year, whichever write marks them, with the write and not before it', async () => {
		const commune = '03688'
		const userId = await resident({ communeCode: commune, at: vn('2026-07-01') })
		// A course taken in order: a lesson ahead is locked.
		const lessons = lessonsOf('vneid')
		expect(getCourseById('vneid')!.sequential).toBe(true)
		await enrolResident({ userId, courseId: 'vneid', at: vn('2026-07-01') })
		const [first, second, third] = lessons
		const periods = async () => (await prisma.activePeriod.findMany({ where: { userId }, orderBy: { period: 'asc' } })).map((r) => r.period)
		const active = async (period: string) =>
			(await prisma.periodCellStat.aggregate({ where: { communeCode: commune, period }, _sum: { active: true } }))._sum.active ?? 0
		const before = { aug: await active('2026-08'), q3: await active('2026-Q3'), year: await active('2026') }
		expect(await periods()).toEqual(['2026', '2026-07', '2026-Q3'])
		// Refused writes in August mark nothing: a locked lesson, a course they are not enrolled in.
		const last = lessons.at(-1)!
		await expect(
			recordQuizAttempt({ userId, lessonId: last.id, clientEventId: randomUUID(), answers: rightAnswers(last.quiz.vi), occurredAt: vn('2026-08-02') }),
		).rejects.toMatchObject({ reason: 'locked' })
		const other = lessonsOf('scam-safety')[0]!
		await expect(
			recordQuizAttempt({ userId, lessonId: other.id, clientEventId: randomUUID(), answers: rightAnswers(other.quiz.vi), occurredAt: vn('2026-08-02') }),
		).rejects.toMatchObject({ reason: 'notEnrolled' })
		expect(await periods()).toEqual(['2026', '2026-07', '2026-Q3'])
		// A failed attempt in August marks August only (the quarter and the year were marked in July).
		const wrong = Object.fromEntries(first!.quiz.vi!.map((q) => [q.id, q.options.find((o) => !o.correct)!.id]))
		const failed = randomUUID()
		await expect(
			recordQuizAttempt({ userId, lessonId: first!.id, clientEventId: failed, answers: wrong, occurredAt: vn('2026-08-03') }),
		).resolves.toMatchObject({
			quiz: { passed: false },
		})
		expect(await periods()).toEqual(['2026', '2026-07', '2026-08', '2026-Q3'])
		expect([await active('2026-08'), await active('2026-Q3'), await active('2026')]).toEqual([before.aug + 1, before.q3, before.year])
		// Its replay, a passed attempt, an opening and a completion in the same month mark nothing more.
		await recordQuizAttempt({ userId, lessonId: first!.id, clientEventId: failed, answers: wrong, occurredAt: vn('2026-08-03') })
		await recordQuizAttempt({ userId, lessonId: first!.id, clientEventId: randomUUID(), answers: rightAnswers(first!.quiz.vi), occurredAt: vn('2026-08-04') })
		await recordLessonOpened({ userId, lessonId: second!.id, at: vn('2026-08-05') })
		await classRecord(userId, second!.id, vn('2026-08-06'))
		expect(await periods()).toEqual(['2026', '2026-07', '2026-08', '2026-Q3'])
		expect([await active('2026-08'), await active('2026-Q3'), await active('2026')]).toEqual([before.aug + 1, before.q3, before.year])
		// An opening in October marks October and Q4.
		await recordLessonOpened({ userId, lessonId: third!.id, at: vn('2026-10-02') })
		expect(await periods()).toEqual(['2026', '2026-07', '2026-08', '2026-10', '2026-Q3', '2026-Q4'])
		await expectNoDrift(commune)
	})
})
