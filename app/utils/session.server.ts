import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'
import { createCookie } from '@remix-run/node'
import { prisma } from './db.server.ts'
import { env } from './env.server.ts'

// Lucia's session design (lucia-auth.com/sessions/basic): the cookie holds a random token, the
// table only its SHA-256, and the expiry slides forward while the session is used.
const DAY = 86_400_000
export const SESSION_DAYS = 30
const RENEW_WHEN_LEFT = 15 * DAY

export const sessionCookie = createCookie('hvs_session', {
	path: '/',
	httpOnly: true,
	sameSite: 'lax',
	secure: env.NODE_ENV === 'production' && env.COOKIE_SECURE,
	maxAge: SESSION_DAYS * 86_400,
})

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20)
	crypto.getRandomValues(bytes)
	return encodeBase32LowerCaseNoPadding(bytes)
}

export function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)))
}

export async function createSession(userId: string) {
	const token = generateSessionToken()
	const expiresAt = new Date(Date.now() + SESSION_DAYS * DAY)
	await prisma.session.create({ data: { id: hashToken(token), userId, expiresAt } })
	return { token, expiresAt }
}

export async function validateSessionToken(token: string) {
	const id = hashToken(token)
	const session = await prisma.session.findUnique({ where: { id }, select: { id: true, userId: true, expiresAt: true } })
	return session && (await keepAlive(session))
}

/** An expired session is deleted (null); one with less than 15 days left slides forward. */
export async function keepAlive<S extends { id: string; expiresAt: Date }>(session: S): Promise<S | null> {
	const now = Date.now()
	if (session.expiresAt.getTime() <= now) {
		await prisma.session.deleteMany({ where: { id: session.id } })
		return null
	}
	if (session.expiresAt.getTime() - now < RENEW_WHEN_LEFT) {
		session.expiresAt = new Date(now + SESSION_DAYS * DAY)
		await prisma.session.update({ where: { id: session.id }, data: { expiresAt: session.expiresAt } })
	}
	return session
}

export async function invalidateSession(token: string) {
	await prisma.session.deleteMany({ where: { id: hashToken(token) } })
}

export async function invalidateAllSessions(userId: string) {
	await prisma.session.deleteMany({ where: { userId } })
}

export async function readSessionToken(request: Request): Promise<string | null> {
	const value = await sessionCookie.parse(request.headers.get('Cookie'))
	return typeof value === 'string' && /^[a-z2-7]{32}$/.test(value) ? value : null
}

export function serializeSessionCookie(token: string) {
	return sessionCookie.serialize(token)
}

export function clearSessionCookie() {
	return sessionCookie.serialize('', { maxAge: 0 })
}
