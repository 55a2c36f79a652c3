import { expect, test } from 'vitest'
import { syncCatalogue } from '#app/modules/course/catalogue-sync.server.ts'
import { getManifest } from '#app/modules/course/course.server.ts'
import { prisma } from '#app/utils/db.server.ts'

/**
 * The catalogue mirror that runs at every start (app/entry.server.tsx): a start with the content
 * already mirrored writes nothing (instances of a rolling restart start while others serve), and a
 * row that no longer says what the content says is put right, a lesson gone from the content retired.
 */
test('a start with the catalogue already mirrored writes nothing', async () => {
	const course = getManifest().courses[0]!
	await syncCatalogue()
	const before = await prisma.course.findUniqueOrThrow({ where: { id: course.id } })
	await new Promise((r) => setTimeout(r, 20))
	await syncCatalogue()
	const after = await prisma.course.findUniqueOrThrow({ where: { id: course.id } })
	expect(after.updatedAt).toEqual(before.updatedAt)
})

test('a row that differs from the content is put right, and a lesson no longer in it is retired', async () => {
	const course = getManifest().courses[0]!
	const strayId = `${course.id}-catalogue-sync-test`
	await prisma.course.update({ where: { id: course.id }, data: { titleEn: 'Changed by hand' } })
	await prisma.lesson.create({ data: { id: strayId, courseId: course.id, slug: 'catalogue-sync-test', position: 99, hasQuiz: false } })
	try {
		await syncCatalogue()
		expect((await prisma.course.findUniqueOrThrow({ where: { id: course.id } })).titleEn).toBe(course.title.en)
		expect((await prisma.lesson.findUniqueOrThrow({ where: { id: strayId } })).retiredAt).not.toBeNull()
		// The content's own lessons stay current.
		const lessons = await prisma.lesson.findMany({ where: { courseId: course.id, retiredAt: null } })
		expect(lessons.map((l) => l.id).sort()).toEqual(course.lessons.map((l) => l.id).sort())
	} finally {
		await prisma.lesson.delete({ where: { id: strayId } })
	}
})
