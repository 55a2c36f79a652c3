import { isDomainError } from '#app/kernel/errors.ts'
import { EVENT_KIND } from '#app/kernel/offline-constants.ts'
import { getCourseBySlug, getLessonById } from '#app/modules/course/course.server.ts'
import { recordLessonCompletion, recordQuizAttempt, wasReplayed } from '#app/modules/progress/progress.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { type Lng } from '#app/utils/i18n.ts'
import { metrics } from '#app/utils/metrics.server.ts'
import { getFixedT } from '#app/utils/i18n.server.ts'
import { type SyncEvent } from './sync.schema.ts'

/**
 * Offline sync: replays the learning events a phone stored while it had no connection, through the
 * same idempotent domain functions as the lesson forms. An event already received (same client id)
 * returns its first result and changes nothing, so a batch cut off mid-way, or sent twice by two
 * tabs, or resent after a reload, is safe to send again. Events are applied in the order given
 * (the phone's order), each in its own transaction, and recorded with the time they happened.
 */
export type SyncResult =
	| {
			clientId: string
			ok: true
			kind: SyncEvent['kind']
			lessonId: string
			lessonCompleted: boolean
			courseCompleted: boolean
			certificateCode: string | null
			quiz: { correct: number; total: number; score: number; passed: boolean; passMark: number } | null
			/** A sentence for the learner, in their language. */
			text: string
	  }
	| {
			clientId: string
			ok: false
			/** true: keep the event on the phone and send it again later (e.g. another person is signed in). */
			keep: boolean
			error: string
			text: string
	  }

export async function syncLearningEvents({ userId, events, lng }: { userId: string; events: SyncEvent[]; lng: Lng }): Promise<SyncResult[]> {
	const t = await getFixedT(lng)
	const results: SyncResult[] = []
	for (const event of events) {
		const found = getLessonById(event.lessonId)
		const title = found?.lesson.title[lng] ?? found?.lesson.title.vi ?? event.lessonId
		if (event.userId && event.userId !== userId) {
			results.push({ clientId: event.clientId, ok: false, keep: true, error: 'offline:errors.otherUser', text: t('offline:errors.otherUser') })
			metrics.syncEvents.inc({ outcome: 'kept' })
			continue
		}
		const occurredAt = new Date(event.occurredAt)
		try {
			if (event.kind === EVENT_KIND.quiz) {
				const r = await recordQuizAttempt({
					userId,
					lessonId: event.lessonId,
					clientEventId: event.clientId,
					answers: event.answers,
					occurredAt,
					source: 'OFFLINE',
				})
				metrics.syncEvents.inc({ outcome: wasReplayed(r) ? 'replayed' : 'accepted' })
				const passMark = found?.course.passMark ?? 0
				const verdict = r.quiz.passed ? t('offline:result.passed') : t('offline:result.failed', { passMark })
				results.push({
					clientId: event.clientId,
					ok: true,
					kind: event.kind,
					lessonId: event.lessonId,
					lessonCompleted: r.lessonCompleted,
					courseCompleted: r.courseCompleted,
					certificateCode: r.certificateCode,
					quiz: { correct: r.quiz.correct, total: r.quiz.total, score: r.quiz.score, passed: r.quiz.passed, passMark },
					text: `${t('offline:result.quiz', { title, correct: r.quiz.correct, total: r.quiz.total })} ${verdict}${r.courseCompleted ? ` ${t('offline:result.courseDone')}` : ''}`,
				})
			} else {
				const r = await recordLessonCompletion({ userId, lessonId: event.lessonId, clientEventId: event.clientId, occurredAt, source: 'OFFLINE' })
				metrics.syncEvents.inc({ outcome: wasReplayed(r) ? 'replayed' : 'accepted' })
				results.push({
					clientId: event.clientId,
					ok: true,
					kind: event.kind,
					lessonId: event.lessonId,
					lessonCompleted: r.lessonCompleted,
					courseCompleted: r.courseCompleted,
					certificateCode: r.certificateCode,
					quiz: null,
					text: `${t('offline:result.completed', { title })}${r.courseCompleted ? ` ${t('offline:result.courseDone')}` : ''}`,
				})
			}
		} catch (error) {
			if (!isDomainError(error)) throw error
			// A refusal is final (sending it again gives the same answer): the phone drops it and tells the learner.
			const key = error.key
			metrics.syncEvents.inc({ outcome: 'refused' })
			results.push({ clientId: event.clientId, ok: false, keep: false, error: key, text: t('offline:result.refused', { title, reason: t(key) }) })
		}
	}
	return results
}

/** What the server holds of the learner's progress in one course: the phone compares it with its outbox. */
export async function getRecordedLearning({ userId, courseSlug }: { userId: string; courseSlug: string }) {
	const course = getCourseBySlug(courseSlug)
	if (!course) return null
	const lessonIds = course.lessons.map((l) => l.id)
	const [completions, attempts] = await Promise.all([
		prisma.lessonProgress.findMany({
			where: { userId, lessonId: { in: lessonIds }, completedAt: { not: null } },
			select: { lessonId: true, completedAt: true, source: true },
			orderBy: { completedAt: 'asc' },
		}),
		prisma.quizAttempt.findMany({
			where: { userId, lessonId: { in: lessonIds } },
			select: { clientId: true, lessonId: true, occurredAt: true, createdAt: true, passed: true, correct: true, total: true },
			orderBy: { occurredAt: 'asc' },
		}),
	])
	return {
		course: course.slug,
		completions: completions.map((c) => ({ lessonId: c.lessonId, completedAt: c.completedAt!.toISOString(), source: c.source })),
		attempts: attempts.map((a) => ({
			clientId: a.clientId,
			lessonId: a.lessonId,
			occurredAt: a.occurredAt.toISOString(),
			receivedAt: a.createdAt.toISOString(),
			passed: a.passed,
			correct: a.correct,
			total: a.total,
		})),
	}
}
