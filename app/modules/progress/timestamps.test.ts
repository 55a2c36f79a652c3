import { randomUUID } from 'node:crypto'
import { expect, test } from 'vitest'
import { prisma, sql } from '#app/utils/db.server.ts'
import { Prisma } from '#app/generated/prisma/client.ts'
import { rightAnswers } from '#tests/fixtures/learning.ts'
import { resident } from '#tests/utils/factories.ts'
import { getCourseById } from '#app/modules/course/course.server.ts'
import { enrolResident, getCourseProgress, recordQuizAttempt } from '#app/modules/progress/progress.server.ts'

// vitest.config.ts starts the tests with TZ=Asia/Ho_Chi_Minh, as a server in Vietnam may be set up.
test('times written and read on the write path (raw SQL) and through Prisma agree, whatever time zone the process started in', async () => {
	const userId = await resident()
	const at = new Date(Date.now() - 2 * 86_400_000 + 123)
	await enrolResident({ userId, courseId: 'vneid', at })
	const l1 = getCourseById('vneid')!.lessons[0]!
	const r = await recordQuizAttempt({ userId, lessonId: l1.id, clientEventId: randomUUID(), answers: rightAnswers(l1.quiz.vi), occurredAt: at })
	const e = await prisma.enrolment.findFirstOrThrow({ where: { userId } })
	const qa = await prisma.quizAttempt.findFirstOrThrow({ where: { userId } })
	const lp = await prisma.lessonProgress.findFirstOrThrow({ where: { userId } })
	expect(e.createdAt.toISOString()).toBe(at.toISOString())
	expect(qa.occurredAt.toISOString()).toBe(at.toISOString())
	expect(Math.abs(qa.createdAt.getTime() - Date.now())).toBeLessThan(60_000)
	expect(lp.completedAt!.toISOString()).toBe(at.toISOString())
	expect(Math.abs(lp.updatedAt.getTime() - Date.now())).toBeLessThan(60_000)
	const p = await getCourseProgress(userId, 'vneid')
	expect(p.enrolledAt).toBe(at.toISOString())
	expect(r.progress!.enrolledAt).toBe(at.toISOString())
	const [raw] = await sql.query<{ createdAt: Date; n: bigint; echo: Date; j: unknown }>(
		Prisma.sql`SELECT "createdAt", count(*) AS n, ${at}::timestamp AS echo, NULL::jsonb AS j FROM "Enrolment" WHERE "userId" = ${userId} GROUP BY 1`,
	)
	expect(raw!.createdAt.toISOString()).toBe(at.toISOString())
	expect(raw!.echo.toISOString()).toBe(at.toISOString())
	expect(raw!.n).toBe(1n)
	expect(raw!.j).toBeNull()
})
