import { prisma } from '#app/utils/db.server.ts'
import { residentsInScope, type Scope } from '#app/kernel/scope.ts'
import { recordAudit } from '../audit/audit.server.ts'
import { type Profile } from './people.schema.ts'
import { FieldError, registerResident } from './people.server.ts'
import { issueSetupCode } from './setup-code.server.ts'
import { getCommuneInScope } from '../units/units.server.ts'

/** A resident as staff may see them: null when outside the caller's communes (answer 404). */
export async function getResidentInScope(scope: Scope, residentId: string) {
	return prisma.user.findFirst({
		where: { AND: [{ id: residentId }, residentsInScope(scope)] },
		select: {
			id: true,
			fullName: true,
			phone: true,
			communeCode: true,
			provinceCode: true,
			village: true,
			registeredVia: true,
			createdAt: true,
			credentialKind: true,
		},
	})
}

export async function listRecentResidents(scope: Scope, take = 30, communeCode?: string) {
	return prisma.user.findMany({
		where: { AND: [residentsInScope(scope), communeCode ? { communeCode } : {}] },
		select: { id: true, fullName: true, phone: true, communeCode: true, village: true, createdAt: true, credentialKind: true },
		orderBy: { createdAt: 'desc' },
		take,
	})
}

/**
 * Staff register a resident on their behalf (recorded as such, audit-logged) and get a one-time
 * setup code for the resident to set their own PIN on their own phone.
 */
export async function registerOnBehalf({ scope, staffId, phone, profile }: { scope: Scope; staffId: string; phone: string; profile: Profile }) {
	const commune = await getCommuneInScope(scope, profile.communeCode)
	if (!commune) throw new FieldError('communeCode', 'auth:errors.communeUnknown')
	const { id } = await registerResident({ phone, profile, via: 'STAFF', registeredById: staffId })
	await recordAudit({ actorId: staffId, action: 'resident.register', targetUserId: id, communeCode: commune.code, provinceCode: commune.provinceCode })
	const { code, expiresAt } = await issueSetupCode({ userId: id, purpose: 'ACTIVATE', createdById: staffId })
	return { residentId: id, code, expiresAt }
}

/**
 * A new setup code for the resident. Someone who never had a PIN gets an activation code (nothing
 * else changes); someone who had one gets a reset: the old PIN and every session end at once.
 */
export async function resetResidentPin({ scope, staffId, residentId }: { scope: Scope; staffId: string; residentId: string }) {
	const resident = await getResidentInScope(scope, residentId)
	if (!resident) return null
	const purpose = resident.credentialKind ? 'RESET' : 'ACTIVATE'
	const { code, expiresAt } = await issueSetupCode({ userId: resident.id, purpose, createdById: staffId })
	return { resident, code, expiresAt, purpose }
}
