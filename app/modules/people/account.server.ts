import { prisma } from '#app/utils/db.server.ts'
import { hashSecret, verifySecret } from '#app/utils/password.server.ts'
import { hashToken } from '#app/utils/session.server.ts'
import { recordAudit } from '../audit/audit.server.ts'

/** What /me/security needs to know about the signed-in person's own secret. */
export async function getOwnSecretInfo(userId: string) {
	const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { credentialKind: true, passwordHash: true, birthYear: true } })
	return { kind: user.passwordHash ? user.credentialKind : null, birthYear: user.birthYear }
}

/**
 * Changes the person's own PIN or password after checking the current one (the caller counts the
 * attempt first: a stolen session must not become a way to guess the PIN). Every other session of
 * theirs ends — a phone left signed in elsewhere, or whoever learned the old PIN — and the change is
 * audited. 'wrong' when the current secret does not match (or there is none: VNeID only, or a reset
 * pending, where commune staff give a setup code instead).
 */
export async function changeOwnSecret({
	userId,
	sessionToken,
	current,
	next,
}: {
	userId: string
	sessionToken: string
	current: string
	next: { kind: 'PIN' | 'PASSWORD'; value: string }
}): Promise<'changed' | 'wrong'> {
	const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true, communeCode: true, provinceCode: true } })
	if (!user.passwordHash || !(await verifySecret(user.passwordHash, current))) return 'wrong'
	const passwordHash = await hashSecret(next.value)
	return prisma.$transaction(async (tx) => {
		// Only over the hash just checked: a PIN reset by staff meanwhile wins.
		const updated = await tx.user.updateMany({ where: { id: userId, passwordHash: user.passwordHash }, data: { passwordHash, credentialKind: next.kind } })
		if (updated.count !== 1) return 'wrong'
		await tx.session.deleteMany({ where: { userId, id: { not: hashToken(sessionToken) } } })
		await recordAudit(
			{
				actorId: userId,
				action: 'account.change-secret',
				targetUserId: userId,
				communeCode: user.communeCode,
				provinceCode: user.provinceCode,
				details: { kind: next.kind },
			},
			tx,
		)
		return 'changed'
	})
}
