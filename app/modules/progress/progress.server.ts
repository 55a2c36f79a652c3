import { type Prisma } from '#app/generated/prisma/client.ts'
import { prisma } from '#app/utils/db.server.ts'
import { isUniqueViolation } from '#app/utils/db-errors.ts'
import { getCourseById, getLessonById } from '../course/course.server.ts'
import { gradeQuiz, type QuizResult } from '../course/quiz.server.ts'
import { issueCertificate } from '../certificate/certificate.server.ts'
import { bumpDailyStat, markActive, type LearnerCell, type Tx } from '../reporting/rollup.server.ts'

/**
 * Learning writes. Every write:
 * - runs in one transaction that first locks the learner's row, so concurrent writes of one
 *   learner (double taps, two tabs, an offline replay racing a live submit) happen one after the
 *   other and each sees the previous one's result;
 * - carries a client-generated id (ClientEvent): a replay returns the first answer and changes nothing;
 * - records the time the event happened (offline events keep their own time), counted in the
 *   rollups in the same transaction.
 */
export class ProgressError extends Error {
	constructor(
		public key: 'notEnrolled' | 'locked' | 'quizRequired' | 'unknownLesson' | 'badAnswers' | 'clientIdTaken' | 'unknownCourse',
		public status = 400,
	) {
		super(key)
	}
}

type LearnerRow = LearnerCell & { id: string }

async function lockLearner(tx: Tx, userId: string): Promise<LearnerRow> {
	await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`
	const user = await tx.user.findUnique({
		where: { id: userId },
		select: { id: true, communeCode: true, provinceCode: true, sex: true, birthYear: true, ethnicGroup: true, learnerGroup: true },
	})
	if (!user) throw new ProgressError('notEnrolled', 404)
	return user
}

/** Event time as the server accepts it: never in the future, never before the platform existed. */
export function clampEventTime(at: Date | undefined, now = new Date()): Date {
	if (!at || Number.isNaN(at.getTime()) || at > now) return now
	const floor = new Date('2025-01-01T00:00:00Z')
	return at < floor ? floor : at
}

async function replayed<T>(tx: Tx, clientEventId: string, userId: string): Promise<T | undefined> {
	const event = await tx.clientEvent.findUnique({ where: { id: clientEventId } })
	if (!event) return undefined
	if (event.userId !== userId) throw new ProgressError('clientIdTaken', 409)
	return event.result as T
}

async function remember(tx: Tx, { clientEventId, userId, kind, occurredAt, result }: { clientEventId: string; userId: string; kind: string; occurredAt: Date; result: unknown }) {
	await tx.clientEvent.create({ data: { id: clientEventId, userId, kind, occurredAt, result: result as Prisma.InputJsonValue } })
}

function enrolmentCell(learner: LearnerRow, enrolment: { communeCode: string | null; provinceCode: string | null }): LearnerCell {
	return { ...learner, communeCode: enrolment.communeCode, provinceCode: enrolment.provinceCode }
}

export interface EnrolResult {
	enrolmentId: string
	created: boolean
}

/** Enrols a learner (idempotent: enrolling twice returns the first enrolment). */
export async function enrolResident({ userId, courseId, enrolledById, at = new Date() }: { userId: string; courseId: string; enrolledById?: string | null; at?: Date }): Promise<EnrolResult> {
	const course = getCourseById(courseId)
	if (!course) throw new ProgressError('unknownCourse', 404)
	return prisma.$transaction(async (tx) => {
		const learner = await lockLearner(tx, userId)
		const existing = await tx.enrolment.findUnique({ where: { userId_courseId: { userId, courseId } }, select: { id: true } })
		if (existing) return { enrolmentId: existing.id, created: false }
		const enrolment = await tx.enrolment.create({
			data: { userId, courseId, communeCode: learner.communeCode, provinceCode: learner.provinceCode, enrolledById: enrolledById ?? null, createdAt: at },
		})
		await bumpDailyStat(tx, { learner, at, metric: 'enrolments', courseId })
		await markActive(tx, { userId, learner, at })
		return { enrolmentId: enrolment.id, created: true }
	})
}

/** Records that the learner opened a lesson (first opening only). */
export async function recordLessonOpened({ userId, lessonId, at = new Date() }: { userId: string; lessonId: string; at?: Date }) {
	const found = getLessonById(lessonId)
	if (!found) throw new ProgressError('unknownLesson', 404)
	// Reopening a lesson is the common case on the hot path: no transaction, no lock.
	if (await prisma.lessonProgress.findUnique({ where: { userId_lessonId: { userId, lessonId } }, select: { id: true } })) return
	await prisma.$transaction(async (tx) => {
		const learner = await lockLearner(tx, userId)
		const enrolment = await tx.enrolment.findUnique({ where: { userId_courseId: { userId, courseId: found.course.id } }, select: { id: true } })
		if (!enrolment) return
		const existing = await tx.lessonProgress.findUnique({ where: { userId_lessonId: { userId, lessonId } }, select: { id: true } })
		if (existing) return
		await tx.lessonProgress.create({ data: { userId, lessonId, enrolmentId: enrolment.id, openedAt: at } })
		await markActive(tx, { userId, learner, at })
	})
}

export interface CompletionResult {
	lessonCompleted: boolean
	courseCompleted: boolean
	certificateCode: string | null
}

/**
 * Completes a lesson. SELF/OFFLINE completions of a lesson with a quiz need a passed attempt
 * (that path goes through recordQuizAttempt); CLASS completions are recorded by staff for an
 * in-person lesson. Completing the last requirement completes the course in the same transaction.
 */
export async function recordLessonCompletion({
	userId,
	lessonId,
	clientEventId,
	occurredAt,
	source = 'SELF',
	recordedById = null,
}: {
	userId: string
	lessonId: string
	clientEventId: string
	occurredAt?: Date
	source?: 'SELF' | 'CLASS' | 'OFFLINE'
	recordedById?: string | null
}): Promise<CompletionResult> {
	const at = clampEventTime(occurredAt)
	return prisma.$transaction(async (tx) => {
		const learner = await lockLearner(tx, userId)
		const previous = await replayed<CompletionResult>(tx, clientEventId, userId)
		if (previous) return previous
		const found = getLessonById(lessonId)
		if (!found) throw new ProgressError('unknownLesson', 404)
		if (source !== 'CLASS' && found.lesson.quiz.vi?.length) throw new ProgressError('quizRequired')
		const result = await completeLesson(tx, { learner, courseId: found.course.id, lessonId, at, source, recordedById })
		await remember(tx, { clientEventId, userId, kind: 'lesson.complete', occurredAt: at, result })
		return result
	})
}

export interface AttemptResult extends CompletionResult {
	quiz: QuizResult
	attemptNumber: number
}

/** Grades and stores a quiz attempt; a passing attempt completes the lesson. */
export async function recordQuizAttempt({
	userId,
	lessonId,
	clientEventId,
	answers,
	occurredAt,
	source = 'SELF',
}: {
	userId: string
	lessonId: string
	clientEventId: string
	answers: Record<string, string>
	occurredAt?: Date
	/** OFFLINE: taken on the phone without a connection and sent later (the completion says so). */
	source?: 'SELF' | 'OFFLINE'
}): Promise<AttemptResult> {
	const at = clampEventTime(occurredAt)
	const found = getLessonById(lessonId)
	if (!found || !found.lesson.quiz.vi?.length) throw new ProgressError('unknownLesson', 404)
	// Graded against the canonical (Vietnamese) quiz: ids and answers are the same in every language.
	let quiz: QuizResult
	try {
		quiz = gradeQuiz({ quiz: found.lesson.quiz.vi, answers, passMark: found.course.passMark })
	} catch {
		throw new ProgressError('badAnswers')
	}
	return prisma.$transaction(async (tx) => {
		const learner = await lockLearner(tx, userId)
		const previous = await replayed<AttemptResult>(tx, clientEventId, userId)
		if (previous) return previous
		const enrolment = await tx.enrolment.findUnique({ where: { userId_courseId: { userId, courseId: found.course.id } } })
		if (!enrolment) throw new ProgressError('notEnrolled', 403)
		await requireUnlocked(tx, { userId, courseId: found.course.id, lessonId })
		try {
			await tx.quizAttempt.create({ data: { clientId: clientEventId, userId, lessonId, answers, correct: quiz.correct, total: quiz.total, passed: quiz.passed, occurredAt: at } })
		} catch (error) {
			if (isUniqueViolation(error)) throw new ProgressError('clientIdTaken', 409)
			throw error
		}
		const attemptNumber = await tx.quizAttempt.count({ where: { userId, lessonId } })
		await markActive(tx, { userId, learner, at })
		const completion = quiz.passed
			? await completeLesson(tx, { learner, courseId: found.course.id, lessonId, at, source, recordedById: null })
			: { lessonCompleted: false, courseCompleted: false, certificateCode: null }
		const result: AttemptResult = { ...completion, quiz, attemptNumber }
		await remember(tx, { clientEventId, userId, kind: 'quiz.attempt', occurredAt: at, result })
		return result
	})
}

/** The lessons of a course in order, as content defines them now. */
function courseLessonIds(courseId: string) {
	return getCourseById(courseId)?.lessons.map((l) => l.id) ?? []
}

async function requireUnlocked(tx: Tx, { userId, courseId, lessonId }: { userId: string; courseId: string; lessonId: string }) {
	const course = getCourseById(courseId)
	if (!course?.sequential) return
	const ids = courseLessonIds(courseId)
	const before = ids.slice(0, ids.indexOf(lessonId))
	if (!before.length) return
	const done = await tx.lessonProgress.count({ where: { userId, lessonId: { in: before }, completedAt: { not: null } } })
	if (done < before.length) throw new ProgressError('locked', 403)
}

async function completeLesson(
	tx: Tx,
	{ learner, courseId, lessonId, at, source, recordedById }: { learner: LearnerRow; courseId: string; lessonId: string; at: Date; source: 'SELF' | 'CLASS' | 'OFFLINE'; recordedById: string | null },
): Promise<CompletionResult> {
	const userId = learner.id
	const enrolment = await tx.enrolment.findUnique({ where: { userId_courseId: { userId, courseId } } })
	if (!enrolment) throw new ProgressError('notEnrolled', 403)
	if (source !== 'CLASS') await requireUnlocked(tx, { userId, courseId, lessonId })
	await markActive(tx, { userId, learner, at })
	const existing = await tx.lessonProgress.findUnique({ where: { userId_lessonId: { userId, lessonId } } })
	if (existing?.completedAt) return { lessonCompleted: false, courseCompleted: false, certificateCode: null }
	if (existing) {
		await tx.lessonProgress.update({ where: { id: existing.id }, data: { completedAt: at, source, recordedById } })
	} else {
		await tx.lessonProgress.create({ data: { userId, lessonId, enrolmentId: enrolment.id, openedAt: at, completedAt: at, source, recordedById } })
	}
	if (enrolment.completedAt) return { lessonCompleted: true, courseCompleted: false, certificateCode: null }
	// The course is complete when every lesson it has now is complete. Once granted, a completion
	// stays, whatever later content edits add.
	const ids = courseLessonIds(courseId)
	const done = await tx.lessonProgress.count({ where: { userId, lessonId: { in: ids }, completedAt: { not: null } } })
	if (done < ids.length) return { lessonCompleted: true, courseCompleted: false, certificateCode: null }
	const claimed = await tx.enrolment.updateMany({ where: { id: enrolment.id, completedAt: null }, data: { completedAt: at } })
	if (claimed.count !== 1) return { lessonCompleted: true, courseCompleted: false, certificateCode: null }
	const cell = enrolmentCell(learner, enrolment)
	await bumpDailyStat(tx, { learner: cell, at, metric: 'completions', courseId })
	const certificate = await issueCertificate(tx, { enrolmentId: enrolment.id, userId, courseId, communeCode: enrolment.communeCode, provinceCode: enrolment.provinceCode, at })
	await bumpDailyStat(tx, { learner: cell, at, metric: 'certificates', courseId })
	await countBasicSkills(tx, learner, at)
	return { lessonCompleted: true, courseCompleted: true, certificateCode: certificate.code }
}

/** "Basic digital skills": every core course complete. Counted once per resident, when reached. */
async function countBasicSkills(tx: Tx, learner: LearnerRow, at: Date) {
	const core = await tx.course.findMany({ where: { core: true, retiredAt: null }, select: { id: true } })
	if (!core.length) return
	const done = await tx.enrolment.count({ where: { userId: learner.id, courseId: { in: core.map((c) => c.id) }, completedAt: { not: null } } })
	if (done !== core.length) return
	// Only the completion that reached the full set counts (the learner row lock orders them).
	const already = await tx.clientEvent.findUnique({ where: { id: `basic-skills:${learner.id}` } })
	if (already) return
	await tx.clientEvent.create({ data: { id: `basic-skills:${learner.id}`, userId: learner.id, kind: 'basic-skills', occurredAt: at } })
	await bumpDailyStat(tx, { learner, at, metric: 'basicSkills' })
}

export interface CourseProgress {
	enrolled: boolean
	enrolledAt: string | null
	completedAt: string | null
	completed: string[]
	opened: string[]
	/** Lessons the learner may open now. */
	unlocked: string[]
	certificateCode: string | null
}

export async function getCourseProgress(userId: string, courseId: string): Promise<CourseProgress> {
	const course = getCourseById(courseId)
	const enrolment = await prisma.enrolment.findUnique({
		where: { userId_courseId: { userId, courseId } },
		select: { createdAt: true, completedAt: true, lessons: { select: { lessonId: true, completedAt: true } }, certificate: { select: { code: true, revokedAt: true } } },
	})
	const ids = course?.lessons.map((l) => l.id) ?? []
	const completed = enrolment?.lessons.filter((l) => l.completedAt).map((l) => l.lessonId) ?? []
	const unlocked = course?.sequential ? ids.filter((_, i) => ids.slice(0, i).every((p) => completed.includes(p))) : ids
	return {
		enrolled: Boolean(enrolment),
		enrolledAt: enrolment?.createdAt.toISOString() ?? null,
		completedAt: enrolment?.completedAt?.toISOString() ?? null,
		completed,
		opened: enrolment?.lessons.map((l) => l.lessonId) ?? [],
		unlocked,
		certificateCode: enrolment?.certificate && !enrolment.certificate.revokedAt ? enrolment.certificate.code : null,
	}
}

/** "My learning": every course the learner is enrolled in, with progress and the next step. */
export async function getMyLearning(userId: string) {
	const enrolments = await prisma.enrolment.findMany({
		where: { userId },
		select: { courseId: true, createdAt: true, completedAt: true, lessons: { select: { lessonId: true, completedAt: true } }, certificate: { select: { code: true, revokedAt: true } } },
		orderBy: { createdAt: 'asc' },
	})
	return enrolments.flatMap((e) => {
		const course = getCourseById(e.courseId)
		if (!course) return []
		const completed = new Set(e.lessons.filter((l) => l.completedAt).map((l) => l.lessonId))
		const next = course.lessons.find((l) => !completed.has(l.id)) ?? null
		return [
			{
				courseId: course.id,
				slug: course.slug,
				title: course.title,
				lessonCount: course.lessons.length,
				completedCount: course.lessons.filter((l) => completed.has(l.id)).length,
				completedAt: e.completedAt?.toISOString() ?? null,
				next: next ? { slug: next.slug, title: next.title } : null,
				certificateCode: e.certificate && !e.certificate.revokedAt ? e.certificate.code : null,
			},
		]
	})
}
