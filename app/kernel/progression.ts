/**
 * Sequential unlocking, decided once for the server and the phone. In a sequential course a lesson
 * opens when every lesson before it is completed (passed its quiz, or "I finished" for a lesson
 * without one); the first lesson is always open. In any other course every lesson is open.
 * "Completed" is whatever the caller knows: the server's completed lessons (LessonProgress with a
 * completedAt), or on the phone those plus the lessons whose events wait in the outbox. Pure.
 */

/** The lessons a learner may open now, in course order. */
export function unlockedLessons({
	lessonIds,
	completed,
	sequential,
}: {
	lessonIds: readonly string[]
	completed: Iterable<string>
	sequential: boolean
}): string[] {
	if (!sequential) return [...lessonIds]
	const done = new Set(completed)
	const open: string[] = []
	for (const id of lessonIds) {
		open.push(id)
		// Every lesson after the first one not yet completed stays locked.
		if (!done.has(id)) break
	}
	return open
}

/** Whether one lesson of the course may be opened now; a lesson that is not in `lessonIds` never is. */
export function isLessonUnlocked({
	lessonIds,
	lessonId,
	completed,
	sequential,
}: {
	lessonIds: readonly string[]
	lessonId: string
	completed: Iterable<string>
	sequential: boolean
}): boolean {
	const position = lessonIds.indexOf(lessonId)
	if (position < 0) return false
	if (!sequential) return true
	const done = new Set(completed)
	return lessonIds.slice(0, position).every((id) => done.has(id))
}

/** The lessons that must be completed before this one opens (none in a course that is not sequential). */
export function lessonsRequiredBefore({ lessonIds, lessonId, sequential }: { lessonIds: readonly string[]; lessonId: string; sequential: boolean }): string[] {
	const position = lessonIds.indexOf(lessonId)
	return sequential && position > 0 ? lessonIds.slice(0, position) : []
}

/**
 * What a learner's lesson page shows of their progress, decided once for the lesson route and the
 * signed-in learner's fast path (app/learner-pages.server.tsx): whether they are enrolled, whether
 * this lesson is done or still locked, and the first lesson they may open and have not completed
 * (the "continue with …" link of a locked lesson). `progress` null: a visitor.
 */
export function lessonPageState({
	lessonIds,
	lessonId,
	progress,
}: {
	lessonIds: readonly string[]
	lessonId: string
	progress: { enrolled: boolean; unlocked: readonly string[]; completed: readonly string[] } | null
}): { enrolled: boolean; done: boolean; locked: boolean; firstOpenId: string | null } {
	const enrolled = Boolean(progress?.enrolled)
	return {
		enrolled,
		done: Boolean(progress?.completed.includes(lessonId)),
		locked: Boolean(enrolled && !progress!.unlocked.includes(lessonId)),
		firstOpenId: lessonIds.find((id) => progress?.unlocked.includes(id) && !progress.completed.includes(id)) ?? null,
	}
}
