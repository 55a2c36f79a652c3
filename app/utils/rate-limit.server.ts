import { sha256 } from '@oslojs/crypto/sha2'
import { encodeHexLowerCase } from '@oslojs/encoding'
import { prisma } from './db.server.ts'

/**
 * Fixed-window counters in the database, so every app instance shares them. Keys never hold
 * personal data: phone numbers are hashed.
 */
export interface Limit {
	name: string
	limit: number
	windowSeconds: number
}

export const LIMITS = {
	signInPerPhone: { name: 'signin-phone', limit: 5, windowSeconds: 15 * 60 },
	signInPerIp: { name: 'signin-ip', limit: 50, windowSeconds: 15 * 60 },
	setupPerPhone: { name: 'setup-phone', limit: 5, windowSeconds: 15 * 60 },
	setupPerIp: { name: 'setup-ip', limit: 30, windowSeconds: 15 * 60 },
	registerPerIp: { name: 'register-ip', limit: 20, windowSeconds: 60 * 60 },
} satisfies Record<string, Limit>

export function limitKey(limit: Limit, subject: string) {
	return `${limit.name}:${encodeHexLowerCase(sha256(new TextEncoder().encode(subject))).slice(0, 32)}`
}

/** Minutes until the caller may try again, or 0 when under the limit. Does not count. */
export async function retryAfterMinutes(limit: Limit, subject: string): Promise<number> {
	const row = await prisma.rateLimit.findUnique({ where: { key: limitKey(limit, subject) } })
	if (!row || row.resetAt.getTime() <= Date.now() || row.count < limit.limit) return 0
	return Math.max(1, Math.ceil((row.resetAt.getTime() - Date.now()) / 60_000))
}

/** Counts one attempt (atomically, whichever instance receives it). */
export async function countAttempt(limit: Limit, subject: string) {
	const key = limitKey(limit, subject)
	const resetAt = new Date(Date.now() + limit.windowSeconds * 1000)
	await prisma.$executeRaw`
		INSERT INTO "RateLimit" ("key","count","resetAt") VALUES (${key}, 1, ${resetAt})
		ON CONFLICT ("key") DO UPDATE SET
			"count" = CASE WHEN "RateLimit"."resetAt" <= now() THEN 1 ELSE "RateLimit"."count" + 1 END,
			"resetAt" = CASE WHEN "RateLimit"."resetAt" <= now() THEN EXCLUDED."resetAt" ELSE "RateLimit"."resetAt" END`
}

export async function clearAttempts(limit: Limit, subject: string) {
	await prisma.rateLimit.deleteMany({ where: { key: limitKey(limit, subject) } })
}
