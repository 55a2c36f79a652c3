import { type Prisma } from '#app/generated/prisma/client.ts'
import { prisma } from '#app/utils/db.server.ts'
import { type Tx } from '#app/utils/db.server.ts'

export const AUDIT_ACTIONS = [
	'resident.register',
	'resident.setup-code',
	'resident.reset-pin',
	'account.change-secret',
	'resident.enrol',
	'resident.update',
	'resident.erase',
	'staff.create',
	'staff.grant',
	'staff.revoke',
	'export.residents',
	'export.indicators',
	'import.residents',
	'import.undo',
	'class.record',
	'class.correct',
	'certificate.revoke',
	'certificate.reissue',
	'api-token.create',
	'api-token.revoke',
	'population.set',
	'target.set',
	'vneid.link',
	'vneid.link-refused',
	// Local voices (issue #23): narrator permissions and each step of a recording.
	'narrator.grant',
	'narrator.revoke',
	'recording.upload',
	'recording.publish',
	'recording.take-down',
	// The access log (access-log.server.ts): looking at residents' records, not changing them.
	'resident.view',
	'resident.search',
	'import.preview',
	'certificate.verify',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

/** Who did what to whom, where. Details never hold secrets or more personal data than needed. */
export async function recordAudit(
	{
		actorId,
		action,
		targetUserId,
		communeCode,
		provinceCode,
		details,
	}: {
		actorId: string | null
		action: AuditAction
		targetUserId?: string | null
		communeCode?: string | null
		provinceCode?: string | null
		details?: Prisma.InputJsonValue
	},
	tx: Tx = prisma,
) {
	await tx.auditLog.create({
		data: { actorId, action, targetUserId: targetUserId ?? null, communeCode: communeCode ?? null, provinceCode: provinceCode ?? null, details },
	})
}
