import { type AppLoadContext, redirect } from '@remix-run/node'
import { safeRedirect } from './redirect.ts'
import { Prisma } from '#app/generated/prisma/client.ts'
import { prisma, sql } from './db.server.ts'
import { parseJson } from './sql.server.ts'
import { refuseControlCharactersInUrl } from './forms.server.ts'
import { dummyHash, verifySecret } from './password.server.ts'
import { NOTICE_VERSION, reachableBeforeNotice } from '#app/kernel/privacy.ts'
import { canSeePersonalData, type CommuneRef, homeFor, isProvinceLevel, isStaff, scopeFromRoles, type Scope } from '#app/kernel/scope.ts'
import {
	clearSessionCookie,
	createSession,
	hashToken,
	invalidateSession,
	keepAlive,
	readSessionToken,
	serializeSessionCookie,
	validateSessionToken,
} from './session.server.ts'

const userSelect = {
	id: true,
	fullName: true,
	phone: true,
	communeCode: true,
	provinceCode: true,
	credentialKind: true,
	roles: { select: { role: true, communeCode: true, provinceCode: true, personalDataExport: true } },
} as const

type LoadedUser = NonNullable<Awaited<ReturnType<typeof loadUser>>> & {
	/** They agreed to the current notice: residents the resident notice, role holders the staff notice (ADR 028). */
	noticeAccepted: boolean
}
export type SessionUser = LoadedUser & { scope: Scope }

async function loadUser(id: string) {
	return prisma.user.findUnique({ where: { id }, select: userSelect })
}

/**
 * The session and its user (with roles) in one statement: every signed-in request starts here,
 * so it costs one round trip instead of three. Same fields as `userSelect`.
 */
async function loadSessionUser(token: string): Promise<LoadedUser | null> {
	type Row = NonNullable<Awaited<ReturnType<typeof loadUser>>> & { sessionId: string; expiresAt: Date; residentNotice: boolean; staffNotice: boolean }
	// The two notices agreed to at the current version: two index probes in the same statement.
	const [row] = await sql.query<Omit<Row, 'roles'> & { roles: Row['roles'] | string }>(Prisma.sql`
		SELECT s.id AS "sessionId", s."expiresAt", u.id, u."fullName", u.phone, u."communeCode", u."provinceCode", u."credentialKind"::text AS "credentialKind",
			COALESCE((SELECT json_agg(json_build_object('role', r.role, 'communeCode', r."communeCode", 'provinceCode', r."provinceCode", 'personalDataExport', r."personalDataExport"))
			          FROM "RoleAssignment" r WHERE r."userId" = u.id), '[]'::json) AS roles,
			EXISTS (SELECT 1 FROM "Consent" c WHERE c."userId" = u.id AND c.purpose = 'LEARNING' AND c."withdrawnAt" IS NULL AND c."noticeVersion" = ${NOTICE_VERSION}) AS "residentNotice",
			EXISTS (SELECT 1 FROM "Consent" c WHERE c."userId" = u.id AND c.purpose = 'STAFF' AND c."withdrawnAt" IS NULL AND c."noticeVersion" = ${NOTICE_VERSION}) AS "staffNotice"
		FROM "Session" s JOIN "User" u ON u.id = s."userId"
		WHERE s.id = ${hashToken(token)}`)
	if (!row) return null
	const roles = parseJson<Row['roles']>(row.roles)
	if (!(await keepAlive({ id: row.sessionId, expiresAt: row.expiresAt }, roles.length > 0))) return null
	const { sessionId: _id, expiresAt: _expires, roles: _roles, residentNotice, staffNotice, ...user } = row
	return { ...user, roles, noticeAccepted: roles.length > 0 ? staffNotice : residentNotice }
}

// Loaders of one request share the lookup.
const cache = new WeakMap<Request, Promise<SessionUser | null>>()

/**
 * The signed-in user of this request, or null. Loaders of one request share one lookup. An action
 * that never changes the session or the user (recording progress) may pass the load context so
 * that the loaders rendering its answer, which Remix calls with a new Request, reuse its lookup;
 * loaders pass it to pick that up (`share`).
 */
export function getUser(request: Request, share?: AppLoadContext): Promise<SessionUser | null> {
	refuseControlCharactersInUrl(request)
	if (share?.sharedUser) return share.sharedUser
	let pending = cache.get(request)
	if (!pending) {
		pending = (async () => {
			const token = await readSessionToken(request)
			if (!token) return null
			const user = await loadSessionUser(token)
			return user ? { ...user, scope: scopeFromRoles(user.roles) } : null
		})()
		cache.set(request, pending)
	}
	if (share) share.sharedUser = pending
	return pending
}

export { safeRedirect } from './redirect.ts'

export async function requireUser(request: Request): Promise<SessionUser> {
	const user = await getUser(request)
	if (!user) {
		const url = new URL(request.url)
		throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname)}`)
	}
	requireNoticeAccepted(request, user)
	return user
}

/**
 * Before going on, a signed-in person agrees to the current notice (ADR 028): an account
 * without a consent at `NOTICE_VERSION` (older accounts, or every account once the notice changes)
 * or an appointed staff member who has not read the staff notice is sent to `/me/notice`, and back
 * here afterwards; a VNeID account still without a commune to `/me/complete`, which shows it.
 * A few pages stay open (`reachableBeforeNotice`): the notice, signing out, and the person's
 * data and its erasure. Called by `requireUser` and by the root loader (public pages too).
 */
export function requireNoticeAccepted(request: Request, user: LoadedUser) {
	if (user.noticeAccepted) return
	const url = new URL(request.url)
	if (reachableBeforeNotice(url.pathname)) return
	if (!user.communeCode && user.roles.length === 0) throw redirect('/me/complete')
	const back = url.pathname === '/' ? '' : `?redirectTo=${encodeURIComponent(request.method === 'GET' ? url.pathname + url.search : url.pathname)}`
	throw redirect(`/me/notice${back}`)
}

export async function requireAnonymous(request: Request) {
	if (await getUser(request)) throw redirect('/me')
}

/** Commune staff, province officers and administrators. */
export async function requireStaff(request: Request): Promise<SessionUser> {
	const user = await requireUser(request)
	if (!isStaff(user.scope)) throw forbidden()
	return user
}

export async function requireProvinceLevel(request: Request): Promise<SessionUser> {
	const user = await requireUser(request)
	if (!isProvinceLevel(user.scope)) throw forbidden()
	return user
}

export function forbidden() {
	return Response.json({ message: 'common:errors.status.403' }, { status: 403 })
}

/**
 * A page with the personal data of a commune's residents, for someone who sees the commune but not
 * its residents (`canSeePersonalData`: an officer without the administrator's permission, an
 * administrator): 403 with the reason and where the aggregates are. Call after the scope check (404).
 */
export function requirePersonalData(scope: Scope, commune: CommuneRef) {
	if (!canSeePersonalData(scope, commune)) throw Response.json({ message: 'staff:export.errors.personalData' }, { status: 403 })
}

export function notFound() {
	return Response.json({ message: 'common:errors.status.404' }, { status: 404 })
}

/**
 * Checks a phone + secret pair. The same work is done whether or not the phone exists, and the
 * caller shows one message for both, so the form cannot be used to find out who is registered.
 */
export async function verifyLogin(phone: string, secret: string) {
	const user = await prisma.user.findUnique({
		where: { phone },
		select: { id: true, passwordHash: true, roles: { select: { role: true, communeCode: true, provinceCode: true, personalDataExport: true } } },
	})
	if (!user?.passwordHash) {
		await verifySecret(await dummyHash(), secret)
		return null
	}
	// Where they land when the sign-in named no page: staff and officers in their workspace.
	return (await verifySecret(user.passwordHash, secret)) ? { id: user.id, landing: homeFor(scopeFromRoles(user.roles)) } : null
}

/**
 * Starts a new session (rotating away any session the request carried) and redirects. The target
 * is checked first (safeRedirect, '/me' when refused): nothing is created for a bad one.
 */
export async function signInAndRedirect(request: Request, userId: string, redirectTo: string) {
	redirectTo = safeRedirect(redirectTo, '/me')
	const old = await readSessionToken(request)
	if (old) await invalidateSession(old)
	const { token } = await createSession(userId)
	return redirect(redirectTo, { headers: { 'Set-Cookie': await serializeSessionCookie(token) } })
}

export async function signOutAndRedirect(request: Request, { everywhere = false } = {}) {
	const token = await readSessionToken(request)
	if (token) {
		if (everywhere) {
			const session = await validateSessionToken(token)
			if (session) await prisma.session.deleteMany({ where: { userId: session.userId } })
		}
		await invalidateSession(token)
	}
	return redirect('/', { headers: { 'Set-Cookie': await clearSessionCookie() } })
}

export function clientIp(context: { clientIp?: string } | undefined) {
	return context?.clientIp ?? 'unknown'
}
