import { expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { scopeFromRoles } from '#app/utils/permissions.server.ts'
import { FieldError } from './people.server.ts'
import { appointStaff, listStaff, revokeAssignment } from './staff.server.ts'

const officer14 = scopeFromRoles([{ role: 'PROVINCE_OFFICER', provinceCode: '14', communeCode: null }])
const officer12 = scopeFromRoles([{ role: 'PROVINCE_OFFICER', provinceCode: '12', communeCode: null }])

test('an officer appoints commune staff in their province only, and can remove the assignment', async () => {
	const actor = await prisma.user.create({ data: { fullName: 'Cán Bộ Tỉnh' } })
	const { userId, setupCode } = await appointStaff({ scope: officer14, actorId: actor.id, phone: '0399555001', fullName: 'Lò Văn Mới', role: 'COMMUNE_STAFF', communeCode: '03646' })
	expect(setupCode).toMatch(/^[A-Z2-9]{10}$/)
	expect((await listStaff(officer14)).map((s) => s.id)).toContain(userId)
	expect((await listStaff(officer12)).map((s) => s.id)).not.toContain(userId)

	// Province 12's officer can neither appoint into nor remove from province 14.
	const error = await appointStaff({ scope: officer12, actorId: actor.id, phone: '0399555002', fullName: 'Lò Văn Khác', role: 'COMMUNE_STAFF', communeCode: '03646' }).catch((e) => e)
	expect(error).toBeInstanceOf(FieldError)
	expect(await prisma.user.findUnique({ where: { phone: '0399555002' } })).toBeNull()
	const assignment = await prisma.roleAssignment.findFirstOrThrow({ where: { userId } })
	expect(await revokeAssignment({ scope: officer12, actorId: actor.id, assignmentId: assignment.id })).toBe(false)
	expect(await prisma.roleAssignment.count({ where: { userId } })).toBe(1)

	// Only administrators appoint province officers.
	const officerError = await appointStaff({ scope: officer14, actorId: actor.id, phone: '0399555003', fullName: 'Lò Văn Tỉnh', role: 'PROVINCE_OFFICER', provinceCode: '14' }).catch((e) => e)
	expect(officerError).toMatchObject({ key: 'auth:staffAdmin.onlyAdminAppointsOfficers' })

	expect(await revokeAssignment({ scope: officer14, actorId: actor.id, assignmentId: assignment.id })).toBe(true)
	expect(await prisma.roleAssignment.count({ where: { userId } })).toBe(0)
	const audit = await prisma.auditLog.findMany({ where: { targetUserId: userId }, orderBy: { id: 'asc' } })
	expect(audit.map((a) => a.action)).toEqual(['resident.setup-code', 'staff.grant', 'staff.revoke'])
})
