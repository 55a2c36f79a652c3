import { prisma } from '#app/utils/db.server.ts'
import { getManifest } from './course.server.ts'

/**
 * Mirrors the compiled catalogue into Course/Lesson rows (ids from content, never from titles) so
 * progress and reports can refer to them. Content removed from the repository is marked retired,
 * never deleted: learners' history and completions stay.
 */
export async function syncCatalogue() {
	const { courses } = getManifest()
	// A start with the content already mirrored (every restart of a deploy that did not change it,
	// every instance of a rolling restart) only reads: no row locks, and no long transaction to
	// time out while other instances serve and start.
	if (await mirrored(courses)) return
	await prisma.$transaction(
		async (tx) => {
			for (const c of courses) {
				const data = {
					slug: c.slug,
					position: c.position,
					core: c.core,
					sequential: c.sequential,
					passMark: c.passMark,
					lessonCount: c.lessons.length,
					titleVi: c.title.vi,
					titleEn: c.title.en,
					retiredAt: null,
				}
				// Another course may have held this slug before: free it first.
				await tx.course.updateMany({ where: { slug: c.slug, id: { not: c.id } }, data: { slug: `${c.slug}~retired~${Date.now()}`, retiredAt: new Date() } })
				await tx.course.upsert({ where: { id: c.id }, create: { id: c.id, ...data }, update: data })
				for (const l of c.lessons) {
					await tx.lesson.updateMany({
						where: { courseId: c.id, slug: l.slug, id: { not: l.id } },
						data: { slug: `${l.slug}~retired~${Date.now()}`, retiredAt: new Date() },
					})
					const lesson = { courseId: c.id, slug: l.slug, position: l.position, hasQuiz: Boolean(l.quiz.vi?.length), retiredAt: null }
					await tx.lesson.upsert({ where: { id: l.id }, create: { id: l.id, ...lesson }, update: lesson })
				}
				await tx.lesson.updateMany({ where: { courseId: c.id, id: { notIn: c.lessons.map((l) => l.id) }, retiredAt: null }, data: { retiredAt: new Date() } })
			}
			await tx.course.updateMany({ where: { id: { notIn: courses.map((c) => c.id) }, retiredAt: null }, data: { retiredAt: new Date() } })
			// Dozens of statements: more than Prisma's default 5 s on a busy server, or while another
			// instance starting at the same moment holds the rows (it commits, then this one goes on).
		},
		{ timeout: 60_000, maxWait: 30_000 },
	)
}

/** Do the Course and Lesson rows already say what the compiled catalogue says? */
async function mirrored(courses: ReturnType<typeof getManifest>['courses']) {
	const [courseRows, lessonRows] = await Promise.all([prisma.course.findMany(), prisma.lesson.findMany()])
	const wanted = new Set(courses.map((c) => c.id))
	if (courseRows.some((r) => !wanted.has(r.id) && r.retiredAt === null)) return false
	const courseById = new Map(courseRows.map((r) => [r.id, r]))
	const lessonById = new Map(lessonRows.map((r) => [r.id, r]))
	for (const c of courses) {
		const row = courseById.get(c.id)
		if (
			!row ||
			row.retiredAt !== null ||
			row.slug !== c.slug ||
			row.position !== c.position ||
			row.core !== c.core ||
			row.sequential !== c.sequential ||
			row.passMark !== c.passMark ||
			row.lessonCount !== c.lessons.length ||
			row.titleVi !== c.title.vi ||
			row.titleEn !== c.title.en
		)
			return false
		const lessonIds = new Set(c.lessons.map((l) => l.id))
		for (const l of c.lessons) {
			const r = lessonById.get(l.id)
			if (!r || r.retiredAt !== null || r.courseId !== c.id || r.slug !== l.slug || r.position !== l.position || r.hasQuiz !== Boolean(l.quiz.vi?.length))
				return false
		}
		if (lessonRows.some((r) => r.courseId === c.id && !lessonIds.has(r.id) && r.retiredAt === null)) return false
	}
	return true
}
