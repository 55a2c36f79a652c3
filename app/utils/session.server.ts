import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'
import { createCookie } from '@remix-run/node'
import { prisma } from './db.server.ts'
import { env } from './env.server.ts'

// Lucia's session design (lucia-auth.com/sessions/basic): the cookie holds a random token, the
// table only its SHA-256, and the expiry slides forward while the session is used.
const HOUR = 3_600_000
const DAY = 24 * HOUR
export const SESSION_DAYS = 30

/**
 * How long a session lives without being used. Residents keep 30 days on their own phone. Anyone
 * holding a role (commune staff, province officers, administrators) can reach other people's data,
 * often from a shared office computer: 12 hours idle and they sign in again. `renewWhenLeft` keeps
 * the sliding to one write per hour (or per 15 days) of use, so the idle limit is 11–12 h for staff.
 */
export const SESSION_POLICY = {
	resident: { lifetime: SESSION_DAYS * DAY, renewWhenLeft: 15 * DAY },
	privileged: { lifetime: 12 * HOUR, renewWhenLeft: 11 * HOUR },
} as const

const policyFor = (privileged: boolean) => SESSION_POLICY[privileged ? 'privileged' : 'resident']

/**
 * How long the browser keeps the cookie: longer than any session can live, so that a session the
 * server slid forward is still sent after the first 30 days (a fixed 30-day Max-Age from sign-in
 * would sign a daily learner out on day 30). The server's `expiresAt` is what ends a session; a
 * cookie whose session expired or was ended is treated as no session. 400 days is the longest a
 * browser keeps a cookie (RFC 6265bis).
 */
export const SESSION_COOKIE_DAYS = 400

export const sessionCookie = createCookie('hvs_session', {
	path: '/',
	httpOnly: true,
	sameSite: 'lax',
	secure: env.NODE_ENV === 'production' && env.COOKIE_SECURE,
	maxAge: SESSION_COOKIE_DAYS * 86_400,
})

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20)
	crypto.getRandomValues(bytes)
	return encodeBase32LowerCaseNoPadding(bytes)
}

export function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)))
}

/**
 * The time sessions are measured by: the wall clock. Tests move it (app/utils/session.test.ts)
 * without moving the whole process's `Date`, which the embedded database's own timers read too.
 */
export const sessionClock = { now: () => Date.now() }

export async function createSession(userId: string) {
	const token = generateSessionToken()
	const privileged = (await prisma.roleAssignment.count({ where: { userId } })) > 0
	const expiresAt = new Date(sessionClock.now() + policyFor(privileged).lifetime)
	await prisma.session.create({ data: { id: hashToken(token), userId, expiresAt } })
	return { token, expiresAt }
}

export async function validateSessionToken(token: string) {
	const id = hashToken(token)
	const session = await prisma.session.findUnique({
		where: { id },
		select: { id: true, userId: true, expiresAt: true, user: { select: { roles: { select: { id: true }, take: 1 } } } },
	})
	if (!session) return null
	const { user, ...rest } = session
	return keepAlive(rest, user.roles.length > 0)
}

/**
 * Whether `keepAlive` would leave this session as it is (neither expired nor due to slide): a reader
 * that skips `keepAlive` (the learner's lesson page, app/features/learner-pages) may only use a
 * session for which this is true, and otherwise takes the path that calls `keepAlive`.
 */
export function sessionIsSteady(expiresAt: Date, privileged: boolean, now = sessionClock.now()): boolean {
	const left = expiresAt.getTime() - now
	const policy = policyFor(privileged)
	return left > 0 && left >= policy.renewWhenLeft && left <= policy.lifetime
}

/**
 * An expired session is deleted (null); one near its end slides forward. `privileged` is whether
 * the user holds a role NOW: a resident appointed staff while signed in gets the staff limit from
 * their next request on (a longer expiry is cut back).
 */
export async function keepAlive<S extends { id: string; expiresAt: Date }>(session: S, privileged: boolean): Promise<S | null> {
	const now = sessionClock.now()
	if (session.expiresAt.getTime() <= now) {
		await prisma.session.deleteMany({ where: { id: session.id } })
		return null
	}
	const policy = policyFor(privileged)
	const left = session.expiresAt.getTime() - now
	if (left < policy.renewWhenLeft || left > policy.lifetime) {
		session.expiresAt = new Date(now + policy.lifetime)
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
	return sessionTokenOf(request.headers.get('Cookie'))
}

/** The session token in a Cookie header, or null. */
export async function sessionTokenOf(cookieHeader: string | null | undefined): Promise<string | null> {
	const value = await sessionCookie.parse(cookieHeader ?? null)
	return typeof value === 'string' && /^[a-z2-7]{32}$/.test(value) ? value : null
}

export function serializeSessionCookie(token: string) {
	return sessionCookie.serialize(token)
}

export function clearSessionCookie() {
	return sessionCookie.serialize('', { maxAge: 0 })
}
