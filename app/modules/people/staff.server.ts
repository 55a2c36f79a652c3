import { type Role } from '#app/generated/prisma/client.ts'
import { prisma } from '#app/utils/db.server.ts'
import { type Scope, canActInProvince, communesInScope } from '#app/utils/permissions.server.ts'
import { recordAudit } from '../audit/audit.server.ts'
import { FieldError } from './people.server.ts'
import { issueSetupCode } from './setup-code.server.ts'
/** Grants a scoped role; granting the same role twice changes nothing. */
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
	const existing = await prisma.roleAssignment.findFirst({ where: { userId, role, communeCode: commune, provinceCode: role === 'ADMIN' ? null : province } })
	if (existing) return existing
	return prisma.roleAssignment.create({
		data: { userId, role, communeCode: commune, provinceCode: role === 'ADMIN' ? null : province, createdById: grantedById },
	})
}


/** Staff and officers whose assignments the caller manages (their province; admins: all). */
export async function listStaff(scope: Scope, provinceCode?: string) {
	const provinces = scope.admin ? (provinceCode ? [provinceCode] : undefined) : scope.provinceCodes.filter((p) => !provinceCode || p === provinceCode)
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
			roles: { select: { id: true, role: true, communeCode: true, provinceCode: true }, where: provinces ? { provinceCode: { in: provinces } } : {} },
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
		const commune = communeCode
			? await prisma.commune.findFirst({ where: { AND: [{ code: communeCode }, communesInScope(scope)] }, select: { provinceCode: true } })
			: null
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
	let user = await prisma.user.findUnique({ where: { phone }, select: { id: true } })
	let setupCode: string | null = null
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
			select: { id: true },
		})
		setupCode = (await issueSetupCode({ userId: user.id, purpose: 'ACTIVATE', createdById: actorId })).code
	}
	await grantRole({ userId: user.id, role, communeCode: role === 'COMMUNE_STAFF' ? communeCode : undefined, provinceCode: province, grantedById: actorId })
	await recordAudit({ actorId, action: 'staff.grant', targetUserId: user.id, communeCode: communeCode ?? null, provinceCode: province, details: { role } })
	return { userId: user.id, setupCode }
}

/** Removes one assignment, if it lies within the caller's province. */
export async function revokeAssignment({ scope, actorId, assignmentId }: { scope: Scope; actorId: string; assignmentId: string }) {
	const assignment = await prisma.roleAssignment.findUnique({ where: { id: assignmentId } })
	if (!assignment || assignment.role === 'ADMIN' || !assignment.provinceCode || !canActInProvince(scope, assignment.provinceCode)) return false
	if (assignment.role === 'PROVINCE_OFFICER' && !scope.admin) return false
	await prisma.roleAssignment.delete({ where: { id: assignmentId } })
	await recordAudit({ actorId, action: 'staff.revoke', targetUserId: assignment.userId, communeCode: assignment.communeCode, provinceCode: assignment.provinceCode, details: { role: assignment.role } })
	return true
}
