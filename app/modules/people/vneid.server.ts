import { createCookie } from '@remix-run/node'
import * as oidc from 'openid-client'
import { isUniqueViolation } from '#app/utils/db-errors.ts'
import { prisma } from '#app/utils/db.server.ts'
import { env } from '#app/utils/env.server.ts'
import { bumpRollups } from '../reporting/rollup.server.ts'
import { FieldError, profileData } from './people.server.ts'
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

export async function startVneidSignIn(request: Request) {
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
	return { url: url.toString(), cookie: await flowCookie.serialize({ verifier, state, nonce }) }
}

export interface VneidClaims {
	sub: string
	name?: string
	phone?: string | null
	birthYear?: number
	sex?: 'MALE' | 'FEMALE'
}

/** Exchanges the code (checking state, nonce and PKCE) and returns the person's claims. */
export async function finishVneidSignIn(request: Request): Promise<VneidClaims> {
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
		sub: claims.sub,
		name: typeof info.name === 'string' ? info.name.slice(0, 100) : undefined,
		phone: typeof info.phone_number === 'string' ? normalisePhone(info.phone_number) : null,
		birthYear: birthYear && birthYear > 1900 ? birthYear : undefined,
		sex: info.gender === 'male' ? 'MALE' : info.gender === 'female' ? 'FEMALE' : undefined,
	}
}

export const clearFlowCookie = () => flowCookie.serialize('', { maxAge: 0 })

/**
 * First sign-in links or creates the account: an account already linked to this VNeID subject;
 * else the account signed in now; else the account with VNeID's verified phone number; else a new
 * account (it joins the reports once the resident picks their commune).
 */
export async function linkOrCreateVneidUser(claims: VneidClaims, currentUserId: string | null) {
	const linked = await prisma.user.findUnique({ where: { vneidSubject: claims.sub }, select: { id: true } })
	if (linked) return linked.id
	const target =
		currentUserId ??
		(claims.phone ? (await prisma.user.findUnique({ where: { phone: claims.phone }, select: { id: true } }))?.id : undefined)
	if (target) {
		await prisma.user.update({ where: { id: target }, data: { vneidSubject: claims.sub } })
		return target
	}
	try {
		const user = await prisma.user.create({
			data: {
				vneidSubject: claims.sub,
				phone: claims.phone ?? null,
				fullName: claims.name && claims.name.trim().length >= 2 ? claims.name.trim() : 'VNeID',
				birthYear: claims.birthYear ?? null,
				sex: claims.sex ?? null,
				registeredVia: 'VNEID',
			},
			select: { id: true },
		})
		return user.id
	} catch (error) {
		// Two callbacks racing for the same new subject: the other one created it.
		if (isUniqueViolation(error)) {
			const again = await prisma.user.findUnique({ where: { vneidSubject: claims.sub }, select: { id: true } })
			if (again) return again.id
		}
		throw error
	}
}

/** A VNeID account without a commune chooses it once; the registration is counted then. */
export async function completeProfile(userId: string, profile: Profile) {
	return prisma.$transaction(async (tx) => {
		const current = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { communeCode: true } })
		if (current.communeCode) throw new FieldError('communeCode', 'auth:errors.badRequest')
		const data = await profileData(tx, profile)
		await tx.user.update({ where: { id: userId }, data })
		await bumpRollups(tx, { learner: data, at: new Date(), metric: 'registered' })
	})
}
