import { expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { scopeFromRoles } from '#app/kernel/scope.ts'
import { FieldError } from './people.server.ts'
import { issueSetupCode, redeemSetupCode } from './setup-code.server.ts'
import { appointStaff, listStaff, resetStaffSecret, revokeAssignment } from './staff.server.ts'

const officer14 = scopeFromRoles([{ role: 'PROVINCE_OFFICER', provinceCode: '14', communeCode: null }])
const officer12 = scopeFromRoles([{ role: 'PROVINCE_OFFICER', provinceCode: '12', communeCode: null }])

test('an officer appoints commune staff in their province only, and can remove the assignment', async () => {
	const actor = await prisma.user.create({ data: { fullName: 'Cán Bộ Tỉnh' } })
	const { userId, setupCode } = await appointStaff({
		scope: officer14,
		actorId: actor.id,
		phone: '0399555001',
		fullName: 'Lò Văn Mới',
		role: 'COMMUNE_STAFF',
		communeCode: '03646',
	})
	expect(setupCode).toMatch(/^[A-Z2-9]{10}$/)
	expect((await listStaff(officer14)).map((s) => s.id)).toContain(userId)
	expect((await listStaff(officer12)).map((s) => s.id)).not.toContain(userId)

	// Province 12's officer can neither appoint into nor remove from province 14.
	const error = await appointStaff({
		scope: officer12,
		actorId: actor.id,
		phone: '0399555002',
		fullName: 'Lò Văn Khác',
		role: 'COMMUNE_STAFF',
		communeCode: '03646',
	}).catch((e) => e)
	expect(error).toBeInstanceOf(FieldError)
	expect(await prisma.user.findUnique({ where: { phone: '0399555002' } })).toBeNull()
	const assignment = await prisma.roleAssignment.findFirstOrThrow({ where: { userId } })
	expect(await revokeAssignment({ scope: officer12, actorId: actor.id, assignmentId: assignment.id })).toBe(false)
	expect(await prisma.roleAssignment.count({ where: { userId } })).toBe(1)

	// Only administrators appoint province officers.
	const officerError = await appointStaff({
		scope: officer14,
		actorId: actor.id,
		phone: '0399555003',
		fullName: 'Lò Văn Tỉnh',
		role: 'PROVINCE_OFFICER',
		provinceCode: '14',
	}).catch((e) => e)
	expect(officerError).toMatchObject({ key: 'auth:staffAdmin.onlyAdminAppointsOfficers' })

	expect(await revokeAssignment({ scope: officer14, actorId: actor.id, assignmentId: assignment.id })).toBe(true)
	expect(await prisma.roleAssignment.count({ where: { userId } })).toBe(0)
	const audit = await prisma.auditLog.findMany({ where: { targetUserId: userId }, orderBy: { id: 'asc' } })
	expect(audit.map((a) => a.action)).toEqual(['resident.setup-code', 'staff.grant', 'staff.revoke'])
})

test('no path from a commune PIN reset or an appointment to an account that holds a role', async () => {
	const actor = await prisma.user.create({ data: { fullName: 'Cán Bộ Tỉnh' } })
	const admin = await prisma.user.create({ data: { fullName: 'Quản Trị', phone: '0399555010', roles: { create: { role: 'ADMIN' } } } })
	// The administrator (or an officer, for an officer of another province) is nobody's commune staff.
	const refused = await appointStaff({
		scope: officer14,
		actorId: actor.id,
		phone: '0399555010',
		fullName: 'x',
		role: 'COMMUNE_STAFF',
		communeCode: '03646',
	}).catch((e) => e)
	expect(refused).toMatchObject({ key: 'auth:staffAdmin.targetNotAllowed' })
	expect(await prisma.roleAssignment.count({ where: { userId: admin.id } })).toBe(1)
	const other = await appointStaff({
		scope: scopeFromRoles([{ role: 'ADMIN', provinceCode: null, communeCode: null }]),
		actorId: actor.id,
		phone: '0399555011',
		fullName: 'Cán Bộ Tỉnh 12',
		role: 'PROVINCE_OFFICER',
		provinceCode: '12',
	})
	const cross = await appointStaff({
		scope: officer14,
		actorId: actor.id,
		phone: '0399555011',
		fullName: 'x',
		role: 'COMMUNE_STAFF',
		communeCode: '03646',
	}).catch((e) => e)
	expect(cross).toMatchObject({ key: 'auth:staffAdmin.targetNotAllowed' })
	expect(await prisma.roleAssignment.count({ where: { userId: other.userId } })).toBe(1)

	// A resident's PIN reset by commune staff, then the resident is appointed: the code no longer opens the account.
	const resident = await prisma.user.create({ data: { fullName: 'Lò Thị Sắp Làm Cán Bộ', phone: '0399555012', communeCode: '03646', provinceCode: '14' } })
	const { code } = await issueSetupCode({ userId: resident.id, purpose: 'RESET', createdById: actor.id })
	await appointStaff({ scope: officer14, actorId: actor.id, phone: '0399555012', fullName: 'x', role: 'COMMUNE_STAFF', communeCode: '03646' })
	expect(await redeemSetupCode({ phone: '0399555012', code, pin: '480317' })).toBeNull()
	// Only an administrator replaces a staff member's secret, never an administrator's.
	const resident2 = await prisma.user.findUniqueOrThrow({ where: { phone: '0399555012' } })
	expect(await resetStaffSecret({ scope: officer14, actorId: actor.id, userId: resident2.id })).toBeNull()
	const adminScope = scopeFromRoles([{ role: 'ADMIN', provinceCode: null, communeCode: null }])
	expect(await resetStaffSecret({ scope: adminScope, actorId: actor.id, userId: resident2.id })).toMatchObject({ code: expect.any(String) })
	expect(await resetStaffSecret({ scope: adminScope, actorId: actor.id, userId: admin.id })).toBeNull()
})
