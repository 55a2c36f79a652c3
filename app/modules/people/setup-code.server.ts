import { sha256 } from '@oslojs/crypto/sha2'
import { encodeHexLowerCase } from '@oslojs/encoding'
import { prisma } from '#app/utils/db.server.ts'
import { hashSecret } from '#app/utils/password.server.ts'
import { recordAudit } from '../audit/audit.server.ts'
import { FieldError } from './people.server.ts'
import { pinWeakness } from './pin-rules.ts'

// No 0/O, 1/I/L or U: a code read aloud or copied from paper by an elderly resident must not be misread.
const ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789'
const LENGTH = 10
const VALID_DAYS = 14

export function generateSetupCode(): string {
	const bytes = new Uint8Array(LENGTH)
	crypto.getRandomValues(bytes)
	// 256 % 30 = 16: reject the top bytes to keep every character equally likely.
	let code = ''
	for (let i = 0; code.length < LENGTH; i++) {
		if (i >= bytes.length) {
			crypto.getRandomValues(bytes)
			i = 0
		}
		const b = bytes[i]!
		if (b < 240) code += ALPHABET[b % ALPHABET.length]
	}
	return code
}

/** Accepts what a resident types: lower case, spaces, dashes, O for 0… */
export function normaliseSetupCode(input: string): string | null {
	const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
	return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null
}

export function formatSetupCode(code: string) {
	return `${code.slice(0, 5)}-${code.slice(5)}`
}

const hashCode = (code: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(code)))

/**
 * A new one-time code for the resident; earlier unused codes stop working. For a reset the old
 * PIN and every session end at once (a lost or shared phone stays signed out).
 */
export async function issueSetupCode({
	userId,
	purpose,
	createdById,
}: {
	userId: string
	purpose: 'ACTIVATE' | 'RESET'
	/** null: issued from the server's command line (`npm run admin:reset`). */
	createdById: string | null
}) {
	const code = generateSetupCode()
	const expiresAt = new Date(Date.now() + VALID_DAYS * 86_400_000)
	await prisma.$transaction(async (tx) => {
		const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { communeCode: true, provinceCode: true } })
		await tx.setupCode.updateMany({ where: { userId, usedAt: null }, data: { expiresAt: new Date() } })
		await tx.setupCode.create({ data: { userId, codeHash: hashCode(code), purpose, createdById, expiresAt } })
		if (purpose === 'RESET') {
			await tx.user.update({ where: { id: userId }, data: { passwordHash: null, credentialKind: null } })
			await tx.session.deleteMany({ where: { userId } })
		}
		await recordAudit(
			{
				actorId: createdById,
				action: purpose === 'RESET' ? 'resident.reset-pin' : 'resident.setup-code',
				targetUserId: userId,
				communeCode: user.communeCode,
				provinceCode: user.provinceCode,
			},
			tx,
		)
	})
	return { code, expiresAt }
}

/**
 * Sets the resident's own PIN with a code. Returns the user id, or null when the phone, the code
 * or its state (used, expired, replaced) is wrong — one answer for all, so nothing leaks. A PIN
 * holding the resident's birth year is refused (FieldError on `pin`) only once the code and phone
 * are known to be right, so the refusal cannot be used to learn a stranger's birth year; the code
 * stays usable.
 */
export async function redeemSetupCode({ phone, code, pin }: { phone: string; code: string; pin: string }) {
	const normalised = normaliseSetupCode(code)
	if (!normalised) return null
	const row = await prisma.setupCode.findUnique({
		where: { codeHash: hashCode(normalised) },
		select: { id: true, userId: true, usedAt: true, expiresAt: true, user: { select: { phone: true, birthYear: true } } },
	})
	if (!row || row.usedAt || row.expiresAt <= new Date() || row.user.phone !== phone) return null
	const weakness = pinWeakness(pin, row.user.birthYear)
	if (weakness) throw new FieldError('pin', weakness)
	// Hashed outside the transaction (argon2 takes tens of milliseconds), and only for a valid code.
	const pinHash = await hashSecret(pin)
	return prisma.$transaction(async (tx) => {
		// Conditional update: of two concurrent redemptions exactly one wins, and a code replaced or
		// expired meanwhile does not.
		const claimed = await tx.setupCode.updateMany({ where: { id: row.id, usedAt: null, expiresAt: { gt: new Date() } }, data: { usedAt: new Date() } })
		if (claimed.count !== 1) return null
		await tx.user.update({ where: { id: row.userId }, data: { passwordHash: pinHash, credentialKind: 'PIN' } })
		await tx.session.deleteMany({ where: { userId: row.userId } })
		return row.userId
	})
}

/**
 * The resident's code that still works (the latest, unused, not expired), or null. Only its hash
 * is stored: the code itself cannot be read back, only recognised (`isActiveSetupCode`).
 */
export async function activeSetupCode(userId: string) {
	return prisma.setupCode.findFirst({
		where: { userId, usedAt: null, expiresAt: { gt: new Date() } },
		orderBy: { createdAt: 'desc' },
		select: { id: true, purpose: true, createdAt: true, expiresAt: true },
	})
}

/**
 * Whether `code` (as the staff member's browser kept it) is the resident's code that still works:
 * a slip is shown again only while its code can be used, never after it was used or replaced.
 */
export async function isActiveSetupCode(userId: string, code: string) {
	const normalised = normaliseSetupCode(code)
	if (!normalised) return null
	const row = await prisma.setupCode.findUnique({ where: { codeHash: hashCode(normalised) }, select: { userId: true, usedAt: true, expiresAt: true } })
	if (!row || row.userId !== userId || row.usedAt || row.expiresAt <= new Date()) return null
	return { code: normalised, expiresAt: row.expiresAt }
}
