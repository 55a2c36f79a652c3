import { prisma } from './db.server.ts'
import { env } from './env.server.ts'

/**
 * Deletes what is no longer needed, as SECURITY.md's retention table promises (ADR 020): expired
 * sessions, VNeID sign-ins never completed (30 minutes) and rate-limit windows; setup codes 30 days after they were used or expired; resident
 * import files keep only what the import needs — a confirmed import's checked rows (names, phones)
 * go within the hour, except the refused rows its page lists, which go after 7 days; a preview never
 * confirmed goes after 7 days; the job's counts and file name after 30 days, and the file name in the
 * audit log then too; free text that may name someone — an officer's revocation note (certificate and
 * audit log) and a class's place — after a year; audit entries after five years (programme records).
 * Runs hourly in each instance; every step is idempotent, so several instances do not conflict.
 */
/** How long the audit log keeps an entry (SECURITY.md). */
export const AUDIT_YEARS = 5

/** How long free text that may name someone is kept (revocation notes, class places), and import details. */
export const RETENTION = { freeTextDays: 365, importJobDays: 30, unconfirmedImportDays: 7, refusedRowsDays: 7 } as const

export async function runHousekeeping(now = new Date()) {
	const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000)
	const monthAgo = daysAgo(RETENTION.importJobDays)
	const fiveYearsAgo = new Date(now)
	fiveYearsAgo.setUTCFullYear(fiveYearsAgo.getUTCFullYear() - AUDIT_YEARS)
	const textCutoff = daysAgo(RETENTION.freeTextDays)
	const [sessions, pendingSignIns, limits, codes, imports, unconfirmed, importRows, refusedRows, importNames, notes, auditNotes, places, audit] =
		await prisma.$transaction([
			prisma.session.deleteMany({ where: { expiresAt: { lt: now } } }),
			// A VNeID sign-in abandoned before the notice was agreed to (ADR 028): its claims go.
			prisma.pendingSignIn.deleteMany({ where: { expiresAt: { lt: now } } }),
			prisma.rateLimit.deleteMany({ where: { resetAt: { lt: now } } }),
			prisma.setupCode.deleteMany({ where: { OR: [{ usedAt: { lt: monthAgo } }, { expiresAt: { lt: monthAgo } }] } }),
			prisma.importJob.deleteMany({ where: { createdAt: { lt: monthAgo }, status: { not: 'RUNNING' } } }),
			prisma.importJob.deleteMany({ where: { createdAt: { lt: daysAgo(RETENTION.unconfirmedImportDays) }, status: { in: ['PREVIEW', 'FAILED'] } } }),
			// A confirmed import needs only the rows its page lists (refused), and those only for a week.
			prisma.$executeRaw`
			UPDATE "ImportJob" SET "rows" = COALESCE((SELECT jsonb_agg(r) FROM jsonb_array_elements("rows") r WHERE r->>'status' = 'refused'), '[]'::jsonb)
			WHERE "status" = 'DONE' AND EXISTS (SELECT 1 FROM jsonb_array_elements("rows") r WHERE r->>'status' IS DISTINCT FROM 'refused')`,
			prisma.$executeRaw`
			UPDATE "ImportJob" SET "rows" = '[]'::jsonb
			WHERE "status" = 'DONE' AND "finishedAt" < ${daysAgo(RETENTION.refusedRowsDays)} AND jsonb_array_length("rows") > 0`,
			prisma.$executeRaw`
			UPDATE "AuditLog" SET "details" = "details" - 'fileName'
			WHERE "action" = 'import.residents' AND "createdAt" < ${monthAgo} AND "details" ->> 'fileName' IS NOT NULL`,
			prisma.certificate.updateMany({ where: { revokedAt: { lt: textCutoff }, revokedNote: { not: null } }, data: { revokedNote: null } }),
			prisma.$executeRaw`
			UPDATE "AuditLog" SET "details" = "details" - 'note'
			WHERE "action" = 'certificate.revoke' AND "createdAt" < ${textCutoff} AND "details" ->> 'note' IS NOT NULL`,
			prisma.classSession.updateMany({ where: { heldOn: { lt: textCutoff }, place: { not: '' } }, data: { place: '' } }),
			prisma.auditLog.deleteMany({ where: { createdAt: { lt: fiveYearsAgo } } }),
		])
	return {
		sessions: sessions.count,
		pendingSignIns: pendingSignIns.count,
		rateLimits: limits.count,
		setupCodes: codes.count,
		importJobs: imports.count + unconfirmed.count,
		importRowsDropped: importRows + refusedRows,
		importNamesDropped: importNames,
		revocationNotes: notes.count + auditNotes,
		classPlaces: places.count,
		auditEntries: audit.count,
	}
}

const g = globalThis as unknown as { __hvsHousekeeping?: NodeJS.Timeout }
export function startHousekeeping() {
	if (g.__hvsHousekeeping || env.NODE_ENV === 'test') return
	g.__hvsHousekeeping = setInterval(() => {
		runHousekeeping().catch((error) => console.error('housekeeping failed:', (error as Error).message))
	}, 3_600_000)
	g.__hvsHousekeeping.unref()
}
