import { randomBytes } from 'node:crypto'
import { sha256 } from '@oslojs/crypto/sha2'
import { encodeHexLowerCase } from '@oslojs/encoding'
import { Prisma } from '#app/generated/prisma/client.ts'
import { formatDate } from '#app/kernel/format.ts'
import { canActInProvince, provinceRowsInScope, type Scope } from '#app/kernel/scope.ts'
import { prisma } from '#app/utils/db.server.ts'
import { newId } from '#app/utils/sql.server.ts'
import { recordAudit } from '../audit/audit.server.ts'
import { getCourseById } from '../course/course.server.ts'
import { type RevocationReasonCode } from './revocation.ts'
import { signVcJwt } from './signing-key.server.ts'
import { assignStatusEntry, credentialStatus, setRevokedBit } from './status-list.server.ts'

export { forgetSigningKey, getJwks, getSigningKey } from './signing-key.server.ts'

/**
 * Certificates: one per completed enrolment, with a short public code for the verification page
 * and an Open Badges 3.0 credential (VC-JWT, ES256) signed with the platform's key, whose public
 * half is published at /.well-known/jwks.json. The recipient is a salted SHA-256 hash, not an email.
 */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789'

export function generateCertificateCode(): string {
	const bytes = randomBytes(16)
	let code = ''
	for (const b of bytes) if (b < 240 && code.length < 10) code += CODE_ALPHABET[b % 30]
	return code.length === 10 ? code : generateCertificateCode()
}

/**
 * The statement issuing the certificate of an enrolment being completed, and its code: sent with the
 * completing write's last statement (ADR 042). The caller holds the learner's lock and has read that
 * the enrolment has none (at most one per enrolment: a second one fails on the unique index).
 */
export function certificateStatement({
	enrolmentId,
	userId,
	courseId,
	communeCode,
	provinceCode,
	at,
	recipientName,
}: {
	enrolmentId: string
	userId: string
	courseId: string
	communeCode: string | null
	provinceCode: string | null
	at: Date
	recipientName: string
}): { code: string; statement: Prisma.Sql } {
	const code = generateCertificateCode()
	return {
		code,
		statement: Prisma.sql`
		INSERT INTO "Certificate" (id, code, "userId", "enrolmentId", "courseId", "communeCode", "provinceCode", "recipientName", "recipientSalt", "issuedAt")
		VALUES (${newId()}, ${code}, ${userId}, ${enrolmentId}, ${courseId}, ${communeCode}, ${provinceCode}, ${recipientName}, ${randomBytes(16).toString('hex')}, ${at}::timestamp)`,
	}
}

/** "Lò Thị Xuân" → "Lò T. X***": enough to recognise, not to identify a stranger. */
export function maskName(name: string) {
	const parts = name.trim().split(/\s+/)
	if (parts.length === 1) return `${parts[0]!.slice(0, 1)}***`
	return [parts[0], ...parts.slice(1, -1).map((p) => `${p.slice(0, 1)}.`), `${parts.at(-1)!.slice(0, 1)}***`].join(' ')
}

export async function getCertificateForVerification(code: string) {
	if (!/^[A-Z2-9]{10}$/.test(code)) return null
	const cert = await prisma.certificate.findUnique({
		where: { code },
		// Never the officer's internal note: this is what the public verification page reads.
		select: { code: true, courseId: true, recipientName: true, issuedAt: true, revokedAt: true, revocationReason: true, provinceCode: true },
	})
	if (!cert) return null
	const province = cert.provinceCode
		? await prisma.province.findUnique({ where: { code: cert.provinceCode }, select: { fullName: true, fullNameEn: true } })
		: null
	return { ...cert, maskedName: cert.recipientName ? maskName(cert.recipientName) : null, province, course: getCourseById(cert.courseId) }
}

/** The owner's own certificate (or null: someone else's is a 404). */
export async function getOwnCertificate(userId: string, code: string) {
	const cert = await getCertificateForVerification(code)
	if (!cert) return null
	const owner = await prisma.certificate.findUnique({
		where: { code },
		select: { userId: true, recipientSalt: true, id: true, statusListId: true, statusListIndex: true },
	})
	return owner?.userId === userId ? { ...cert, ...owner } : null
}

/**
 * What the owner's certificate page and its picture show, in the reader's language: one source for
 * both, so the saved image says what the page says. Null when the code is not the user's own.
 */
export async function getOwnCertificateView({ userId, code, lng, origin }: { userId: string; code: string; lng: 'vi' | 'en'; origin: string }) {
	const cert = await getOwnCertificate(userId, code)
	if (!cert?.course) return null
	return {
		code: cert.code,
		name: cert.recipientName,
		course: cert.course.title[lng],
		date: formatDate(cert.issuedAt, lng),
		province: (lng === 'vi' ? cert.province?.fullName : cert.province?.fullNameEn) ?? '',
		revoked: Boolean(cert.revokedAt),
		verifyUrl: `${origin}/verify/${cert.code}`,
	}
}

/**
 * Revokes a certificate of a province in the caller's scope. The reason comes from a fixed list and
 * is shown publicly; the note is the officer's own words and stays internal (province page, audit).
 */
export async function revokeCertificate({
	code,
	reason,
	note,
	actorId,
	scope,
}: {
	code: string
	reason: RevocationReasonCode
	note?: string | null
	actorId: string
	scope: Scope
}) {
	const cert = await prisma.certificate.findUnique({ where: { code } })
	if (!cert?.provinceCode || !canActInProvince(scope, cert.provinceCode)) return false
	if (cert.revokedAt) return true
	const revokedNote = note?.trim() ? note.trim() : null
	// One transaction: the certificate, its bit in the status list (ADR 016) and the audit line. The
	// entry is read back from the updated row, so a download that gave it one a moment ago is covered.
	await prisma.$transaction(async (tx) => {
		const { count } = await tx.certificate.updateMany({
			where: { code, revokedAt: null },
			data: { revokedAt: new Date(), revocationReason: reason, revokedNote, revokedById: actorId },
		})
		if (count === 0) return
		const entry = await tx.certificate.findUniqueOrThrow({ where: { code }, select: { statusListId: true, statusListIndex: true } })
		if (entry.statusListId !== null && entry.statusListIndex !== null) await setRevokedBit(tx, { listId: entry.statusListId, index: entry.statusListIndex })
		await recordAudit(
			{
				actorId,
				action: 'certificate.revoke',
				targetUserId: cert.userId,
				communeCode: cert.communeCode,
				provinceCode: cert.provinceCode,
				details: { code, reason, note: revokedNote },
			},
			tx,
		)
	})
	return true
}

/** Revoked certificates of the provinces in scope, newest first, with the internal note. */
export async function listRevokedCertificates(scope: Scope) {
	return prisma.certificate.findMany({
		where: { revokedAt: { not: null }, ...provinceRowsInScope(scope) },
		orderBy: { revokedAt: 'desc' },
		select: { code: true, courseId: true, communeCode: true, revokedAt: true, revocationReason: true, revokedNote: true },
		take: 100,
	})
}

export function recipientHash(salt: string, userId: string) {
	return `sha256$${encodeHexLowerCase(sha256(new TextEncoder().encode(`${userId}${salt}`)))}`
}

export type SignedCredential = { revoked: false; jwt: string; filename: string } | { revoked: true; revokedAt: Date; reason: RevocationReasonCode }

/**
 * The Open Badges 3.0 credential for the owner's certificate, signed as a VC-JWT with its revocation
 * entry (given on the first download); null when it is not theirs. A revoked certificate is never
 * signed again: the answer says it was revoked, when and why.
 */
export async function signCredential({ code, origin, userId }: { code: string; origin: string; userId: string }): Promise<SignedCredential | null> {
	const cert = await getOwnCertificate(userId, code)
	if (!cert?.course) return null
	if (cert.revokedAt) return { revoked: true, revokedAt: cert.revokedAt, reason: cert.revocationReason ?? 'OTHER' }
	const entry =
		cert.statusListId !== null && cert.statusListIndex !== null ? { listId: cert.statusListId, index: cert.statusListIndex } : await assignStatusEntry(cert.id)
	if (!entry) {
		const now = await prisma.certificate.findUniqueOrThrow({ where: { id: cert.id }, select: { revokedAt: true, revocationReason: true } })
		return { revoked: true, revokedAt: now.revokedAt ?? new Date(), reason: now.revocationReason ?? 'OTHER' }
	}
	const issuedAt = cert.issuedAt
	const credential = {
		'@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
		id: `${origin}/verify/${cert.code}`,
		type: ['VerifiableCredential', 'OpenBadgeCredential'],
		issuer: {
			id: `${origin}/`,
			type: ['Profile'],
			name: cert.province ? `Học Vụ Số — ${cert.province.fullName}` : 'Học Vụ Số',
		},
		validFrom: issuedAt.toISOString(),
		name: cert.course.title.vi,
		credentialSubject: {
			type: ['AchievementSubject'],
			identifier: [
				{
					type: 'IdentityObject',
					identityHash: recipientHash(cert.recipientSalt ?? '', userId),
					identityType: 'identifier',
					hashed: true,
					salt: cert.recipientSalt,
				},
			],
			achievement: {
				id: `${origin}/courses/${cert.course.slug}`,
				type: ['Achievement'],
				name: cert.course.title.vi,
				description: cert.course.summary.vi,
				criteria: { narrative: `Hoàn thành tất cả bài học và bài kiểm tra của khoá học "${cert.course.title.vi}" (điểm đạt ${cert.course.passMark}%).` },
				inLanguage: 'vi',
			},
		},
		credentialStatus: credentialStatus(origin, entry),
	}
	const jwt = await signVcJwt(credential, { issuedAt })
	return { revoked: false, jwt, filename: `hocvuso-${cert.code}.jwt` }
}

/**
 * Certificates keep the name they were issued with (ADR 018): after a name correction they are
 * listed here, and their holder may ask for each to be reissued with the name they have now.
 */
export async function listCertificatesWithOldName(userId: string) {
	const user = await prisma.user.findUnique({ where: { id: userId }, select: { fullName: true } })
	if (!user) return []
	const certificates = await prisma.certificate.findMany({
		where: { userId, revokedAt: null, NOT: { recipientName: user.fullName } },
		orderBy: { issuedAt: 'asc' },
		select: { code: true, courseId: true, recipientName: true, issuedAt: true },
	})
	return certificates.map((c) => ({ ...c, currentName: user.fullName }))
}

/**
 * The holder asks for a certificate to carry their current name: the same certificate (code,
 * dates, recipient hash) with the new name, which its credential and verification page then show.
 * Only their own, unrevoked certificate; false when there is none to reissue.
 */
export async function reissueCertificateName({ userId, code }: { userId: string; code: string }) {
	return prisma.$transaction(async (tx) => {
		const cert = await tx.certificate.findUnique({
			where: { code },
			select: { id: true, userId: true, revokedAt: true, recipientName: true, communeCode: true, provinceCode: true },
		})
		const user = await tx.user.findUnique({ where: { id: userId }, select: { fullName: true } })
		if (!cert || !user || cert.userId !== userId || cert.revokedAt || cert.recipientName === user.fullName) return false
		await tx.certificate.update({ where: { id: cert.id }, data: { recipientName: user.fullName } })
		await recordAudit(
			{
				actorId: userId,
				action: 'certificate.reissue',
				targetUserId: userId,
				communeCode: cert.communeCode,
				provinceCode: cert.provinceCode,
				details: { code },
			},
			tx,
		)
		return true
	})
}
