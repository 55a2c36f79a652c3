import { Prisma } from '#app/generated/prisma/client.ts'
import { prisma } from '#app/utils/db.server.ts'
import { viaPrisma } from '#app/utils/sql.server.ts'
import { basicSkillsEventId, recountPerson, Rollups } from './rollup.server.ts'

/**
 * Rebuilds both rollup tables from the raw tables with today's rules (docs/indicators.md, ADR 015),
 * for a database written before them (`npm run figures:rebuild`): first-time dates corrected (a
 * course completed on the day of its last lesson's first completion, basic skills on the latest
 * core completion), then every figure of every resident (a person holding no role) counted again.
 * (A lesson added to a course after someone completed it, and completed later, would move their
 * completion to that day: content has not changed so far.) One transaction that first locks the rollup tables: a learning write waits at its rollup flush
 * and, its raw rows unseen here, is counted once, after this commits.
 */
export async function rebuildFigures() {
	return prisma.$transaction(
		async (tx) => {
			const sql = viaPrisma(tx)
			await sql.execute(Prisma.sql`LOCK TABLE "PeriodStat", "PeriodCellStat" IN EXCLUSIVE MODE`)
			const courses = await sql.execute(Prisma.sql`
				UPDATE "Enrolment" e SET "completedAt" = last.at
				FROM (SELECT "enrolmentId", max("completedAt") AS at FROM "LessonProgress" WHERE "completedAt" IS NOT NULL GROUP BY "enrolmentId") last
				WHERE last."enrolmentId" = e.id AND e."completedAt" IS NOT NULL AND e."completedAt" <> last.at`)
			const basicSkills = await sql.execute(Prisma.sql`
				UPDATE "ClientEvent" ce SET "occurredAt" = reached.at
				FROM (SELECT e."userId", max(e."completedAt") AS at FROM "Enrolment" e JOIN "Course" c ON c.id = e."courseId"
				      WHERE c.core AND c."retiredAt" IS NULL AND e."completedAt" IS NOT NULL GROUP BY e."userId"
				      HAVING count(*) = (SELECT count(*) FROM "Course" WHERE core AND "retiredAt" IS NULL)) reached
				WHERE ce.id = (${basicSkillsEventId('')}::text || reached."userId") AND ce."occurredAt" <> reached.at`)
			await sql.execute(Prisma.sql`DELETE FROM "PeriodCellStat"`)
			await sql.execute(Prisma.sql`DELETE FROM "PeriodStat"`)
			const residents = await sql.query<{ id: string }>(Prisma.sql`
				SELECT id FROM "User" u WHERE NOT EXISTS (SELECT 1 FROM "RoleAssignment" r WHERE r."userId" = u.id) ORDER BY id`)
			for (let i = 0; i < residents.length; i += 200) {
				const rollups = new Rollups()
				for (const { id } of residents.slice(i, i + 200)) await recountPerson(sql, rollups, id, 1)
				await rollups.flush(sql)
			}
			return { courses, basicSkills, residents: residents.length }
		},
		{ maxWait: 60_000, timeout: 30 * 60_000 },
	)
}
