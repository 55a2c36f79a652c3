import { Prisma, type Role } from '#app/generated/prisma/client.ts'
import { prisma, type Tx } from '#app/utils/db.server.ts'
import { type Sql, viaPrisma } from '#app/utils/sql.server.ts'
import { recountPerson, Rollups } from '#app/modules/counting/rollup.server.ts'
import { type Scope, canActInProvince, provincesInScope } from '#app/kernel/scope.ts'
import { recordAudit } from '../audit/audit.server.ts'
import { FieldError } from './people.server.ts'
import { issueSetupCode } from './setup-code.server.ts'
import { getCommuneInScope } from '../units/units.server.ts'
/**
 * Locks the person's row (as the learner's writes do) and counts the roles they hold: granting or
 * removing a role never interleaves with their learning, so each event is counted exactly once.
 */
async function lockPerson(tx: Tx, userId: string) {
	const sql = viaPrisma(tx)
	await sql.query(Prisma.sql`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`)
	return { sql, roles: await tx.roleAssignment.count({ where: { userId } }) }
}

/** Only residents (people who hold no role) are counted: moves all of a person's figures in (+1) or out (-1). */
async function recount(sql: Sql, userId: string, by: 1 | -1) {
	await (await recountPerson(sql, new Rollups(), userId, by)).flush(sql)
}

/**
 * Grants a scoped role; granting the same role twice changes nothing. A resident who receives their
 * first role stops being counted: every figure of theirs leaves every rollup in the same transaction.
 */
export async function grantRole({
	userId,
	role,
	communeCode,
	provinceCode,
	grantedById,
}: {
	userId: string
	role: Role
	communeCode?: string
	provinceCode?: string
	grantedById: string | null
}) {
	let province = provinceCode ?? null
	if (role === 'COMMUNE_STAFF') {
		if (!communeCode) throw new Error('COMMUNE_STAFF needs a commune')
		const commune = await prisma.commune.findUniqueOrThrow({ where: { code: communeCode }, select: { provinceCode: true } })
		province = commune.provinceCode
	}
	if (role === 'PROVINCE_OFFICER' && !province) throw new Error('PROVINCE_OFFICER needs a province')
	const commune = role === 'COMMUNE_STAFF' ? communeCode! : null
	return prisma.$transaction(async (tx) => {
		const { sql, roles } = await lockPerson(tx, userId)
		const existing = await tx.roleAssignment.findFirst({ where: { userId, role, communeCode: commune, provinceCode: role === 'ADMIN' ? null : province } })
		if (existing) return existing
		// A setup code handed out while this person was a resident (a commune's PIN reset) must not
		// open an account that now holds a role: every unused code ends with the grant.
		await tx.setupCode.updateMany({ where: { userId, usedAt: null, expiresAt: { gt: new Date() } }, data: { expiresAt: new Date() } })
		const created = await tx.roleAssignment.create({
			data: { userId, role, communeCode: commune, provinceCode: role === 'ADMIN' ? null : province, createdById: grantedById },
		})
		if (!roles) await recount(sql, userId, -1)
		return created
	})
}

/**
 * May this caller give a role to (or manage) this person? Never the administrator; a province officer
 * only people whose roles all lie in their provinces and are commune staff roles.
 */
function mayManage(scope: Scope, roles: { role: Role; provinceCode: string | null }[]) {
	if (roles.some((r) => r.role === 'ADMIN')) return false
	if (scope.admin) return true
	return roles.every((r) => r.role === 'COMMUNE_STAFF' && r.provinceCode !== null && canActInProvince(scope, r.provinceCode))
}

/** Staff and officers whose assignments the caller manages (their province; admins: all). */
export async function listStaff(scope: Scope, provinceCode?: string) {
	const provinces = scope.admin ? (provinceCode ? [provinceCode] : undefined) : provincesInScope(scope, provinceCode ? [provinceCode] : scope.provinceCodes)
	return prisma.user.findMany({
		where: {
			roles: {
				some: {
					role: { in: ['COMMUNE_STAFF', 'PROVINCE_OFFICER'] },
					...(provinces ? { provinceCode: { in: provinces } } : {}),
				},
			},
		},
		select: {
			id: true,
			fullName: true,
			phone: true,
			passwordHash: true,
			roles: {
				select: { id: true, role: true, communeCode: true, provinceCode: true, personalDataExport: true },
				where: provinces ? { provinceCode: { in: provinces } } : {},
			},
		},
		orderBy: { fullName: 'asc' },
		take: 500,
	})
}

/** One staff member as the caller may see them, or null when outside the caller's province. */
export async function getStaffMember(scope: Scope, userId: string) {
	const [member] = (await listStaff(scope)).filter((m) => m.id === userId)
	return member ?? null
}

/**
 * Makes someone commune staff (or, for administrators, a province officer). An existing account
 * with that phone gets the role; otherwise an account is created without a secret and a setup
 * code is returned for them to set their own.
 */
export async function appointStaff({
	scope,
	actorId,
	phone,
	fullName,
	role,
	communeCode,
	provinceCode,
}: {
	scope: Scope
	actorId: string
	phone: string
	fullName: string
	role: 'COMMUNE_STAFF' | 'PROVINCE_OFFICER'
	communeCode?: string
	provinceCode?: string
}) {
	let province: string
	if (role === 'COMMUNE_STAFF') {
		const commune = await getCommuneInScope(scope, communeCode)
		if (!commune) throw new FieldError('communeCode', 'auth:errors.communeUnknown')
		province = commune.provinceCode
	} else {
		if (!scope.admin) throw new FieldError('role', 'auth:staffAdmin.onlyAdminAppointsOfficers')
		if (!provinceCode || !(await prisma.province.findUnique({ where: { code: provinceCode } }))) {
			throw new FieldError('provinceCode', 'auth:errors.provinceRequired')
		}
		province = provinceCode
	}
	if (!canActInProvince(scope, province)) throw new FieldError('communeCode', 'auth:errors.communeUnknown')
	let user = await prisma.user.findUnique({ where: { phone }, select: { id: true, roles: { select: { role: true, provinceCode: true } } } })
	if (user && !mayManage(scope, user.roles)) throw new FieldError('phone', 'auth:staffAdmin.targetNotAllowed')
	let setupCode: string | null = null
	const isNew = !user
	if (!user) {
		user = await prisma.user.create({
			data: {
				phone,
				fullName,
				learnerGroup: 'OFFICIAL',
				registeredVia: 'STAFF',
				registeredById: actorId,
				provinceCode: province,
				communeCode: role === 'COMMUNE_STAFF' ? communeCode! : null,
			},
			select: { id: true, roles: { select: { role: true, provinceCode: true } } },
		})
	}
	await grantRole({ userId: user.id, role, communeCode: role === 'COMMUNE_STAFF' ? communeCode : undefined, provinceCode: province, grantedById: actorId })
	// After the grant, which ends every earlier code of theirs.
	if (isNew) setupCode = (await issueSetupCode({ userId: user.id, purpose: 'ACTIVATE', createdById: actorId })).code
	await recordAudit({ actorId, action: 'staff.grant', targetUserId: user.id, communeCode: communeCode ?? null, provinceCode: province, details: { role } })
	return { userId: user.id, setupCode }
}

/**
 * Removes one assignment, if it lies within the caller's province. A person left without any role
 * is a resident again: every figure of theirs (their registration and all their learning, in the
 * periods it happened) is counted again, in the same transaction.
 */
export async function revokeAssignment({ scope, actorId, assignmentId }: { scope: Scope; actorId: string; assignmentId: string }) {
	const assignment = await prisma.roleAssignment.findUnique({ where: { id: assignmentId } })
	if (!assignment || assignment.role === 'ADMIN' || !assignment.provinceCode || !canActInProvince(scope, assignment.provinceCode)) return false
	if (assignment.role === 'PROVINCE_OFFICER' && !scope.admin) return false
	const removed = await prisma.$transaction(async (tx) => {
		const { sql } = await lockPerson(tx, assignment.userId)
		const { count } = await tx.roleAssignment.deleteMany({ where: { id: assignmentId } })
		if (count && !(await tx.roleAssignment.count({ where: { userId: assignment.userId } }))) await recount(sql, assignment.userId, 1)
		return count
	})
	if (!removed) return false
	await recordAudit({
		actorId,
		action: 'staff.revoke',
		targetUserId: assignment.userId,
		communeCode: assignment.communeCode,
		provinceCode: assignment.provinceCode,
		details: { role: assignment.role },
	})
	return true
}

/**
 * An administrator allows (or stops) a province officer's downloads of the residents lists of that
 * province (`canExportPersonalData`), audited as staff.grant / staff.revoke of the permission. False
 * when the caller is not an administrator or the assignment is not a province officer's.
 */
export async function setPersonalDataExport({
	scope,
	actorId,
	assignmentId,
	allowed,
}: {
	scope: Scope
	actorId: string
	assignmentId: string
	allowed: boolean
}) {
	if (!scope.admin) return false
	const assignment = await prisma.roleAssignment.findUnique({ where: { id: assignmentId } })
	if (!assignment || assignment.role !== 'PROVINCE_OFFICER' || !assignment.provinceCode) return false
	if (assignment.personalDataExport === allowed) return true
	await prisma.roleAssignment.update({ where: { id: assignmentId }, data: { personalDataExport: allowed } })
	await recordAudit({
		actorId,
		action: allowed ? 'staff.grant' : 'staff.revoke',
		targetUserId: assignment.userId,
		provinceCode: assignment.provinceCode,
		details: { role: assignment.role, permission: 'personalDataExport' },
	})
	return true
}

/**
 * An administrator replaces the secret of a staff member or officer (never of an administrator: that
 * is `npm run admin:reset` on the server). Their sessions end; the returned setup code is given to
 * them in person. Null when the caller may not, or the person holds no role the caller manages.
 */
export async function resetStaffSecret({ scope, actorId, userId }: { scope: Scope; actorId: string; userId: string }) {
	if (!scope.admin) return null
	const member = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, roles: { select: { role: true, provinceCode: true } } } })
	if (!member || !member.roles.length || !mayManage(scope, member.roles)) return null
	return issueSetupCode({ userId: member.id, purpose: 'RESET', createdById: actorId })
}
