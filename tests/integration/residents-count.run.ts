/**
 * Run by residents-count.test.ts in its own process, on a fresh in-memory database (DATABASE_URL=
 * memory://): the demo seed, then, for every commune with people, the number of residents on
 * /staff/residents (searchResidents, as an administrator) beside the commune dashboard's cumulative
 * "residents registered" (communeDashboard), before and after roles are granted and removed.
 * Prints one line `RESULT <json>`.
 */
import { syncCatalogue } from '#app/modules/course/catalogue-sync.server.ts'
import { grantRole, revokeAssignment } from '#app/modules/people/staff.server.ts'
import { communeDashboard, searchResidents } from '#app/features/workspace/workspace.server.ts'
import { closeDb, prisma } from '#app/utils/db.server.ts'
import { rebuildFigures } from '#app/modules/counting/rebuild.server.ts'
import { figuresDrift } from '#tests/utils/load-check.ts'
import { seedDemo } from '../../prisma/seed/demo.ts'

const ADMIN = { admin: true, provinceCodes: [], communeCodes: [] }

async function compare() {
	const communes = await prisma.user.groupBy({ by: ['communeCode', 'provinceCode'], where: { communeCode: { not: null } } })
	const rows: { commune: string; list: number; registered: number }[] = []
	for (const { communeCode, provinceCode } of communes) {
		const list = (await searchResidents(ADMIN, { communeCode: communeCode! })).total
		const registered = (await communeDashboard({ code: communeCode!, provinceCode: provinceCode! })).thisMonth.cumulative.registered
		rows.push({ commune: communeCode!, list, registered })
	}
	return rows.sort((a, b) => a.commune.localeCompare(b.commune))
}

try {
	await syncCatalogue()
	await seedDemo()
	const seeded = await compare()
	const seededDrift = await figuresDrift(prisma)
	// A learner of Phường Tô Hiệu (with learning: enrolments, completions, active months) is appointed
	// commune staff of another commune, then province officer too; both roles are removed again.
	const learner = await prisma.user.findFirstOrThrow({
		where: { communeCode: '03646', roles: { none: {} }, enrolments: { some: { completedAt: { not: null } } } },
		orderBy: { id: 'asc' },
	})
	const actor = ADMIN
	const staffRole = await grantRole({ userId: learner.id, role: 'COMMUNE_STAFF', communeCode: '03721', grantedById: null })
	const officerRole = await grantRole({ userId: learner.id, role: 'PROVINCE_OFFICER', provinceCode: '14', grantedById: null })
	const granted = await compare()
	const grantedDrift = await figuresDrift(prisma)
	await revokeAssignment({ scope: actor, actorId: learner.id, assignmentId: staffRole.id })
	const oneLeft = await compare()
	await revokeAssignment({ scope: actor, actorId: learner.id, assignmentId: officerRole.id })
	const revoked = await compare()
	const revokedDrift = await figuresDrift(prisma)
	// A database written before these rules: a role granted without removing the person's figures,
	// course and basic-skills dates of the last event processed, a rollup row off. The rebuild
	// (npm run figures:rebuild) puts every figure right.
	const other = await prisma.user.findFirstOrThrow({ where: { communeCode: '03721', roles: { none: {} } }, orderBy: { id: 'desc' } })
	await prisma.roleAssignment.create({ data: { userId: other.id, role: 'COMMUNE_STAFF', communeCode: '03721', provinceCode: '14' } })
	const completed = await prisma.enrolment.findMany({ where: { completedAt: { not: null } }, take: 20, orderBy: { id: 'asc' } })
	for (const e of completed) await prisma.enrolment.update({ where: { id: e.id }, data: { completedAt: new Date(e.completedAt!.getTime() - 40 * 86_400_000) } })
	await prisma.$executeRaw`UPDATE "ClientEvent" SET "occurredAt" = "occurredAt" - interval '40 days' WHERE kind = 'basic-skills'`
	await prisma.$executeRaw`UPDATE "PeriodStat" SET registered = registered + 3 WHERE "communeCode" = '03808' AND "courseId" = ''`
	const legacyDrift = await figuresDrift(prisma)
	const legacy = await compare()
	const rebuild = await rebuildFigures()
	const rebuilt = await compare()
	const rebuiltDrift = await figuresDrift(prisma)
	console.log(
		`RESULT ${JSON.stringify({ seeded, seededDrift, granted, grantedDrift, oneLeft, revoked, revokedDrift, legacy, legacyDrift: legacyDrift.length, rebuild, rebuilt, rebuiltDrift })}`,
	)
} finally {
	await closeDb()
}
