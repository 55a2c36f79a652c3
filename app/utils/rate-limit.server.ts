import { sha256 } from '@oslojs/crypto/sha2'
import { encodeHexLowerCase } from '@oslojs/encoding'
import { Prisma } from '#app/generated/prisma/client.ts'
import { prisma } from './db.server.ts'

/**
 * Fixed-window counters in the database, so every app instance shares them. Keys never hold
 * personal data: phone numbers are hashed.
 *
 * An attempt is counted BEFORE the work it guards (argon2, a lookup that says whether a phone is
 * registered), in the same statement that reads the count: checking first and counting after the
 * work let 50 parallel wrong PINs all pass the check before any of them was counted.
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
	// A class of 50 registering within an hour from the commune's Wi-Fi (one address) must fit,
	// with room for a few retries; commune staff register residents without this limit.
	registerPerIp: { name: 'register-ip', limit: 100, windowSeconds: 60 * 60 },
	registerPerPhone: { name: 'register-phone', limit: 5, windowSeconds: 60 * 60 },
	// Checking the current PIN on /me/security: a stolen session must not become a PIN oracle.
	changeSecretPerUser: { name: 'change-secret', limit: 5, windowSeconds: 15 * 60 },
	// Numbers in a staff member's import files that are registered outside the commune (refused at
	// confirm, so the confirm says they exist): no more per staff member than /register tells one
	// address, whatever the number of files or rows.
	importTakenPerStaff: { name: 'import-taken', limit: 100, windowSeconds: 60 * 60 },
	// Uploads of recordings per narrator (issue #23): each one is an ffmpeg run on the server, so
	// failed ones count too.
	voiceUploadPerUser: { name: 'voice-upload', limit: 30, windowSeconds: 24 * 60 * 60 },
} satisfies Record<string, Limit>

export function limitKey(limit: Limit, subject: string) {
	return `${limit.name}:${encodeHexLowerCase(sha256(new TextEncoder().encode(subject))).slice(0, 32)}`
}

/**
 * Counts one attempt against every limit given and says whether it may go ahead. Each counter is
 * one INSERT … ON CONFLICT DO UPDATE … RETURNING: concurrent attempts (on any instance) each get
 * their own number, so at most `limit` of them in a window ever see "allowed".
 * Returns 0 when allowed, otherwise the minutes to wait (at least 1).
 */
export async function takeAttempt(...checks: [Limit, string][]): Promise<number> {
	let wait = 0
	for (const [limit, subject] of checks) {
		const { count, resetAt } = await increment(limit, subject)
		if (count > limit.limit) wait = Math.max(wait, 1, Math.ceil((resetAt.getTime() - Date.now()) / 60_000))
	}
	return wait
}

/**
 * Gives back an attempt that succeeded, so the limit counts failures only (a commune's Wi-Fi signs in
 * many residents). Never below zero; a window that has ended is left alone.
 */
export async function refundAttempt(limit: Limit, subject: string) {
	await prisma.$executeRaw`
		UPDATE "RateLimit" SET "count" = "count" - 1
		WHERE "key" = ${limitKey(limit, subject)} AND "count" > 0 AND "resetAt" > ${new Date()}`
}

export async function clearAttempts(limit: Limit, subject: string) {
	await prisma.rateLimit.deleteMany({ where: { key: limitKey(limit, subject) } })
}

/**
 * Counts `n` attempts at once (n ≥ 0; 0 only reads) against one limit, in one statement; 0 when
 * the counter stays within the limit, otherwise the minutes to wait.
 */
export async function takeAttempts(limit: Limit, subject: string, n: number): Promise<number> {
	const { count, resetAt } = await increment(limit, subject, n)
	return count > limit.limit || (n === 0 && count >= limit.limit) ? Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 60_000)) : 0
}

async function increment(limit: Limit, subject: string, by = 1) {
	const key = limitKey(limit, subject)
	// The time comes from here, not the database's now(): "resetAt" is a timestamp without time zone
	// holding UTC, and now() would be compared in the server's own time zone.
	const now = new Date()
	const resetAt = new Date(now.getTime() + limit.windowSeconds * 1000)
	const [row] = await prisma.$queryRaw<{ count: number; resetAt: Date }[]>(Prisma.sql`
		INSERT INTO "RateLimit" ("key","count","resetAt") VALUES (${key}, ${by}, ${resetAt})
		ON CONFLICT ("key") DO UPDATE SET
			"count" = CASE WHEN "RateLimit"."resetAt" <= ${now} THEN ${by} ELSE "RateLimit"."count" + ${by} END,
			"resetAt" = CASE WHEN "RateLimit"."resetAt" <= ${now} THEN EXCLUDED."resetAt" ELSE "RateLimit"."resetAt" END
		RETURNING "count", "resetAt"`)
	return { count: Number(row!.count), resetAt: new Date(row!.resetAt) }
}
