import { createCookie } from '@remix-run/node'
import * as oidc from 'openid-client'
import { isUniqueViolation } from '#app/utils/db-errors.ts'
import { prisma } from '#app/utils/db.server.ts'
import { env } from '#app/utils/env.server.ts'
import { dummyHash, verifySecret } from '#app/utils/password.server.ts'
import { clearAttempts, LIMITS, refundAttempt, takeAttempt } from '#app/utils/rate-limit.server.ts'
import { generateSessionToken, hashToken } from '#app/utils/session.server.ts'
import { recordAudit } from '#app/modules/audit/audit.server.ts'
import { bumpRollups } from '#app/modules/counting/rollup.server.ts'
import { FieldError, profileData, registerResident } from './people.server.ts'
import { recordRegistrationConsents } from './consent.server.ts'
import { type Profile } from './people.schema.ts'
import { normalisePhone } from './phone.ts'

/**
 * Sign in with VNeID over OpenID Connect (authorization code + PKCE) with openid-client.
 * Configured by VNEID_ISSUER / VNEID_CLIENT_ID / VNEID_CLIENT_SECRET; without an issuer the
 * button is not shown and these routes answer 404.
 */
export function vneidEnabled() {
	return Boolean(env.VNEID_ISSUER && env.VNEID_CLIENT_ID)
}

let configuration: Promise<oidc.Configuration> | undefined
function getConfiguration() {
	const issuer = new URL(env.VNEID_ISSUER!)
	// Plain HTTP only for a provider on this machine (the test provider); never in the open.
	const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname)
	configuration ??= oidc
		.discovery(issuer, env.VNEID_CLIENT_ID!, env.VNEID_CLIENT_SECRET, undefined, loopback ? { execute: [oidc.allowInsecureRequests] } : undefined)
		.catch((error) => {
			configuration = undefined
			throw error
		})
	return configuration
}

const flowCookie = createCookie('hvs_oidc', {
	path: '/auth/vneid',
	httpOnly: true,
	sameSite: 'lax',
	secure: env.NODE_ENV === 'production' && env.COOKIE_SECURE,
	maxAge: 600,
})

function callbackUrl(request: Request) {
	return new URL('/auth/vneid/callback', env.APP_ORIGIN).toString()
}

/** `link`: the signed-in person asked to link VNeID to their account (after entering their secret). */
export async function startVneidSignIn(request: Request, { link = false }: { link?: boolean } = {}) {
	const config = await getConfiguration()
	const verifier = oidc.randomPKCECodeVerifier()
	const state = oidc.randomState()
	const nonce = oidc.randomNonce()
	const url = oidc.buildAuthorizationUrl(config, {
		redirect_uri: callbackUrl(request),
		scope: 'openid profile phone',
		code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256',
		state,
		nonce,
	})
	return { url: url.toString(), cookie: await flowCookie.serialize({ verifier, state, nonce, link }) }
}

export interface VneidClaims {
	sub: string
	name?: string
	phone?: string | null
	/** VNeID said the phone number is the person's own (`phone_number_verified: true`). */
	phoneVerified?: boolean
	birthYear?: number
	sex?: 'MALE' | 'FEMALE'
}

/** Exchanges the code (checking state, nonce and PKCE) and returns the person's claims. */
export async function finishVneidSignIn(request: Request): Promise<VneidClaims & { link: boolean }> {
	const flow = await flowCookie.parse(request.headers.get('Cookie'))
	if (!flow?.verifier || !flow.state) throw new Error('No sign-in in progress')
	const config = await getConfiguration()
	const current = new URL(request.url)
	const callback = new URL(callbackUrl(request))
	callback.search = current.search
	const tokens = await oidc.authorizationCodeGrant(config, callback, {
		pkceCodeVerifier: flow.verifier,
		expectedState: flow.state,
		expectedNonce: flow.nonce,
	})
	const claims = tokens.claims()
	if (!claims?.sub) throw new Error('No subject in the ID token')
	let info: Record<string, unknown> = { ...claims }
	try {
		info = { ...info, ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)) }
	} catch {
		// The ID token's claims are enough.
	}
	const birthYear = typeof info.birthdate === 'string' ? Number(info.birthdate.slice(0, 4)) : undefined
	return {
		link: flow.link === true,
		sub: claims.sub,
		name: typeof info.name === 'string' ? info.name.slice(0, 100) : undefined,
		phone: typeof info.phone_number === 'string' ? normalisePhone(info.phone_number) : null,
		phoneVerified: info.phone_number_verified === true,
		birthYear: birthYear && birthYear > 1900 ? birthYear : undefined,
		sex: info.gender === 'male' ? 'MALE' : info.gender === 'female' ? 'FEMALE' : undefined,
	}
}

export const clearFlowCookie = () => flowCookie.serialize('', { maxAge: 0 })

/** Refusals the callback sends back to a page by name (`?vneid=`): only these are shown. */
export const VNEID_REFUSALS = ['signInFirst', 'phoneNotVerified', 'confirmAgain', 'alreadyLinked', 'subjectTaken', 'expired'] as const
export function vneidRefusal(value: string | null) {
	const key = (value ?? '') as (typeof VNEID_REFUSALS)[number]
	return VNEID_REFUSALS.includes(key) ? `auth:vneid.${key}` : null
}

export type VneidOutcome =
	| { kind: 'signed-in'; userId: string }
	| { kind: 'linked'; userId: string }
	| { kind: 'refused'; message: string }
	/** Nobody has this subject or number: the sign-in waits for the notice (`holdPendingSignIn`). */
	| { kind: 'new'; claims: VneidClaims }

/**
 * Sign-in without a session (issue #16): the account already linked to this VNeID subject; else,
 * when VNeID vouches for the phone number (`phone_number_verified`), the account with that number
 * only if it has neither a role nor a secret (a resident registered by staff who never chose a
 * PIN); else nobody (`new`): the caller holds the claims until the person agrees to the notice
 * (`holdPendingSignIn`, `createVneidAccount`). An account with a role or a PIN/password is never taken over
 * by a phone number, which can be recycled: its owner signs in and links VNeID from their account
 * page (`linkVneidToSignedInUser`). An unverified number is never used to find, or stored on, an
 * account. Links and refusals are audit-logged.
 */
export async function resolveVneidSignIn(claims: VneidClaims): Promise<VneidOutcome> {
	const linked = await prisma.user.findUnique({ where: { vneidSubject: claims.sub }, select: { id: true } })
	if (linked) return { kind: 'signed-in', userId: linked.id }
	const owner = claims.phone
		? await prisma.user.findUnique({
				where: { phone: claims.phone },
				select: { id: true, passwordHash: true, vneidSubject: true, communeCode: true, provinceCode: true, _count: { select: { roles: true } } },
			})
		: null
	if (owner) {
		const refuse = async (why: string, message: string): Promise<VneidOutcome> => {
			await recordAudit({
				actorId: null,
				action: 'vneid.link-refused',
				targetUserId: owner.id,
				communeCode: owner.communeCode,
				provinceCode: owner.provinceCode,
				details: { via: 'phone', why },
			})
			return { kind: 'refused', message }
		}
		if (!claims.phoneVerified) return refuse('phone-not-verified', 'auth:vneid.phoneNotVerified')
		if (owner._count.roles > 0 || owner.passwordHash || owner.vneidSubject)
			return refuse(owner._count.roles > 0 ? 'has-role' : owner.passwordHash ? 'has-secret' : 'other-vneid', 'auth:vneid.signInFirst')
		const done = await prisma.$transaction(async (tx) => {
			// Conditional: a PIN or role set meanwhile, or another subject linked first, wins.
			const { count } = await tx.user.updateMany({
				where: { id: owner.id, vneidSubject: null, passwordHash: null, roles: { none: {} } },
				data: { vneidSubject: claims.sub },
			})
			if (count)
				await recordAudit(
					{
						actorId: owner.id,
						action: 'vneid.link',
						targetUserId: owner.id,
						communeCode: owner.communeCode,
						provinceCode: owner.provinceCode,
						details: { via: 'phone' },
					},
					tx,
				)
			return count === 1
		})
		return done ? { kind: 'linked', userId: owner.id } : refuse('changed', 'auth:vneid.signInFirst')
	}
	// Nobody yet: no account is made until the person has read the notice (ADR 028).
	return { kind: 'new', claims }
}

/** How long after entering the secret again a session may link VNeID. */
export const REAUTH_WINDOW_MS = 10 * 60_000

/**
 * "Liên kết VNeID" from the account page, step 1: the signed-in person enters their PIN/password
 * again; a right one marks this session as recently re-authenticated (kept on the server, so a
 * forged cookie cannot stand in for it). Rate-limited like sign-in.
 */
export async function confirmSecretForVneidLink({ sessionToken, userId, secret, ip }: { sessionToken: string; userId: string; secret: string; ip: string }) {
	const subject = `user:${userId}`
	// Counted before the work, in one statement per counter (as sign-in): parallel guesses cannot overtake the limit.
	if (await takeAttempt([LIMITS.signInPerPhone, subject], [LIMITS.signInPerIp, ip])) return 'tooMany' as const
	const user = await prisma.user.findUnique({ where: { id: userId }, select: { passwordHash: true } })
	const ok = user?.passwordHash ? await verifySecret(user.passwordHash, secret) : (await verifySecret(await dummyHash(), secret), false)
	if (!ok) return 'wrong' as const
	await clearAttempts(LIMITS.signInPerPhone, subject)
	await refundAttempt(LIMITS.signInPerIp, ip)
	await prisma.session.updateMany({ where: { id: hashToken(sessionToken), userId }, data: { reauthenticatedAt: new Date() } })
	return 'ok' as const
}

/**
 * Step 2, back from VNeID: links the subject to the signed-in account if this session entered its
 * secret in the last minutes (used once), the account has no VNeID yet and the subject is nobody
 * else's. The phone claim plays no part: the person proved who they are with their secret.
 */
export async function linkVneidToSignedInUser({
	claims,
	userId,
	sessionToken,
	now = new Date(),
}: {
	claims: VneidClaims
	userId: string
	sessionToken: string
	now?: Date
}): Promise<VneidOutcome> {
	// Used once, whatever happens next: a second callback needs the secret again.
	const { count: fresh } = await prisma.session.updateMany({
		where: { id: hashToken(sessionToken), userId, reauthenticatedAt: { gte: new Date(now.getTime() - REAUTH_WINDOW_MS) } },
		data: { reauthenticatedAt: null },
	})
	const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { vneidSubject: true, communeCode: true, provinceCode: true } })
	const refuse = async (why: string, message: string): Promise<VneidOutcome> => {
		await recordAudit({
			actorId: userId,
			action: 'vneid.link-refused',
			targetUserId: userId,
			communeCode: user.communeCode,
			provinceCode: user.provinceCode,
			details: { via: 'account', why },
		})
		return { kind: 'refused', message }
	}
	if (!fresh) return refuse('not-reauthenticated', 'auth:vneid.confirmAgain')
	if (user.vneidSubject === claims.sub) return { kind: 'linked', userId }
	if (user.vneidSubject) return refuse('already-linked', 'auth:vneid.alreadyLinked')
	try {
		return await prisma.$transaction(async (tx) => {
			const { count } = await tx.user.updateMany({ where: { id: userId, vneidSubject: null }, data: { vneidSubject: claims.sub } })
			if (!count) throw new Error('changed')
			await recordAudit(
				{
					actorId: userId,
					action: 'vneid.link',
					targetUserId: userId,
					communeCode: user.communeCode,
					provinceCode: user.provinceCode,
					details: { via: 'account' },
				},
				tx,
			)
			return { kind: 'linked' as const, userId }
		})
	} catch (error) {
		if (isUniqueViolation(error)) return refuse('subject-taken', 'auth:vneid.subjectTaken')
		if ((error as Error).message === 'changed') return refuse('already-linked', 'auth:vneid.alreadyLinked')
		throw error
	}
}

/**
 * A VNeID account without a commune chooses it once, agreeing to the notice shown with the form;
 * the consents are recorded and the registration is counted then, dated by the account's creation
 * (docs/indicators.md).
 */
export async function completeProfile(userId: string, profile: Profile) {
	return prisma.$transaction(async (tx) => {
		const current = await tx.user.findUniqueOrThrow({
			where: { id: userId },
			select: { communeCode: true, createdAt: true, _count: { select: { roles: true } } },
		})
		if (current.communeCode) throw new FieldError('communeCode', 'auth:errors.badRequest')
		const data = await profileData(tx, profile)
		await tx.user.update({ where: { id: userId }, data: { ...data, registeredCommuneCode: data.communeCode, registeredProvinceCode: data.provinceCode } })
		await recordRegistrationConsents(tx, { userId, channel: 'VNEID', ethnicGroup: data.ethnicGroup, at: new Date() })
		// Registered on the day the account was created (docs/indicators.md), if a resident.
		await bumpRollups(tx, { learner: { ...data, counted: current._count.roles === 0 }, at: current.createdAt, metric: 'registered' })
	})
}

/** How long a VNeID sign-in waits for its owner to read the notice and complete the form. */
export const PENDING_MINUTES = 30

const pendingCookie = createCookie('hvs_vneid_pending', {
	path: '/me/complete',
	httpOnly: true,
	sameSite: 'lax',
	secure: env.NODE_ENV === 'production' && env.COOKIE_SECURE,
	maxAge: PENDING_MINUTES * 60,
})

/**
 * A first VNeID sign-in (ADR 028): the claims wait in `PendingSignIn` under a random token (only
 * its hash is stored; the token is in a cookie for `/me/complete`) until the person has read the
 * notice and agreed. No account exists meanwhile; an abandoned one is deleted by housekeeping once
 * expired. Returns the Set-Cookie value.
 */
export async function holdPendingSignIn(claims: VneidClaims, now = new Date()) {
	const token = generateSessionToken()
	const kept: VneidClaims = {
		sub: claims.sub,
		name: claims.name,
		phone: claims.phone ?? null,
		phoneVerified: claims.phoneVerified === true,
		birthYear: claims.birthYear,
		sex: claims.sex,
	}
	await prisma.pendingSignIn.create({
		data: { id: hashToken(token), claims: JSON.parse(JSON.stringify(kept)), expiresAt: new Date(now.getTime() + PENDING_MINUTES * 60_000) },
	})
	return pendingCookie.serialize(token)
}

/** The sign-in this browser is completing, if it has one that has not expired. */
export async function readPendingSignIn(request: Request, now = new Date()): Promise<{ id: string; claims: VneidClaims } | null> {
	const token = await pendingCookie.parse(request.headers.get('Cookie'))
	if (typeof token !== 'string' || !/^[a-z2-7]{32}$/.test(token)) return null
	const row = await prisma.pendingSignIn.findUnique({ where: { id: hashToken(token) } })
	if (!row || row.expiresAt <= now) return null
	return { id: row.id, claims: row.claims as unknown as VneidClaims }
}

export const clearPendingCookie = () => pendingCookie.serialize('', { maxAge: 0 })

/**
 * The person agreed to the notice on the completion form: the account is made now, as a
 * registration through VNeID (consents with the VNeID channel, counted today in the commune chosen),
 * and the pending sign-in is used up in the same transaction. A VNeID-verified phone number becomes
 * the account's unless someone registered it meanwhile. Returns the account id, or null when the
 * pending sign-in expired or was already used (a second tab: that tab's account signs in instead).
 */
export async function createVneidAccount({ pendingId, profile, now = new Date() }: { pendingId: string; profile: Profile; now?: Date }) {
	try {
		return await prisma.$transaction(async (tx) => {
			const pending = await tx.pendingSignIn.findUnique({ where: { id: pendingId } })
			if (!pending || pending.expiresAt <= now) return null
			// Used once: two submits racing, the second finds nothing to delete.
			const { count } = await tx.pendingSignIn.deleteMany({ where: { id: pendingId } })
			if (!count) return null
			const claims = pending.claims as unknown as VneidClaims
			const taken = await tx.user.findUnique({ where: { vneidSubject: claims.sub }, select: { id: true } })
			if (taken) return taken.id
			const phone =
				claims.phone && claims.phoneVerified && !(await tx.user.findUnique({ where: { phone: claims.phone }, select: { id: true } })) ? claims.phone : null
			const { id } = await registerResident({ phone, profile, via: 'VNEID', at: now, tx })
			await tx.user.update({ where: { id }, data: { vneidSubject: claims.sub } })
			return id
		})
	} catch (error) {
		// Two sign-ins of the same new subject (two browsers) completing at once: the other one made it.
		if (isUniqueViolation(error)) {
			const again = await prisma.user.findUnique({ where: { vneidSubject: (await pendingClaims(pendingId))?.sub ?? '' }, select: { id: true } })
			if (again) return again.id
		}
		throw error
	}
}

async function pendingClaims(pendingId: string) {
	const row = await prisma.pendingSignIn.findUnique({ where: { id: pendingId }, select: { claims: true } })
	return row ? (row.claims as unknown as VneidClaims) : null
}
