import { prisma } from '#app/utils/db.server.ts'
import { getManifest } from './course.server.ts'

/**
 * Mirrors the compiled catalogue into Course/Lesson rows (ids from content, never from titles) so
 * progress and reports can refer to them. Content removed from the repository is marked retired,
 * never deleted: learners' history and completions stay.
 */
export async function syncCatalogue() {
	const { courses } = getManifest()
	await prisma.$transaction(async (tx) => {
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
	})
}
