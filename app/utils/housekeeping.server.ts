import { prisma } from './db.server.ts'
import { env } from './env.server.ts'

/**
 * Deletes what is no longer needed, as SECURITY.md promises: expired sessions and rate-limit
 * windows, setup codes 30 days after they were used or expired, and resident import files (their
 * checked rows hold names and phone numbers) 30 days after upload; the audit log keeps that the
 * import happened, for five years (programme records), then its entries go too. Runs hourly in each instance;
 * the deletes are idempotent, so several instances do not conflict.
 */
/** How long the audit log keeps an entry (SECURITY.md). */
export const AUDIT_YEARS = 5

export async function runHousekeeping(now = new Date()) {
	const monthAgo = new Date(now.getTime() - 30 * 86_400_000)
	const fiveYearsAgo = new Date(now)
	fiveYearsAgo.setUTCFullYear(fiveYearsAgo.getUTCFullYear() - AUDIT_YEARS)
	const [sessions, limits, codes, imports, audit] = await prisma.$transaction([
		prisma.session.deleteMany({ where: { expiresAt: { lt: now } } }),
		prisma.rateLimit.deleteMany({ where: { resetAt: { lt: now } } }),
		prisma.setupCode.deleteMany({ where: { OR: [{ usedAt: { lt: monthAgo } }, { expiresAt: { lt: monthAgo } }] } }),
		prisma.importJob.deleteMany({ where: { createdAt: { lt: monthAgo }, status: { not: 'RUNNING' } } }),
		prisma.auditLog.deleteMany({ where: { createdAt: { lt: fiveYearsAgo } } }),
	])
	return { sessions: sessions.count, rateLimits: limits.count, setupCodes: codes.count, importJobs: imports.count, auditEntries: audit.count }
}

const g = globalThis as unknown as { __hvsHousekeeping?: NodeJS.Timeout }
export function startHousekeeping() {
	if (g.__hvsHousekeeping || env.NODE_ENV === 'test') return
	g.__hvsHousekeeping = setInterval(() => {
		runHousekeeping().catch((error) => console.error('housekeeping failed:', (error as Error).message))
	}, 3_600_000)
	g.__hvsHousekeeping.unref()
}
