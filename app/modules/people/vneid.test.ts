import { beforeAll, describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { hashSecret } from '#app/utils/password.server.ts'
import { createSession } from '#app/utils/session.server.ts'
import { registerResident } from './people.server.ts'
import { grantRole } from './staff.server.ts'
import { type Profile } from './people.schema.ts'
import {
	confirmSecretForVneidLink,
	createVneidAccount,
	holdPendingSignIn,
	readPendingSignIn,
	linkVneidToSignedInUser,
	REAUTH_WINDOW_MS,
	resolveVneidSignIn,
	type VneidOutcome,
	vneidRefusal,
} from './vneid.server.ts'

/**
 * Issue #16, item 7: a phone number (which can be recycled) never takes over an account with a role
 * or a secret; an unverified number is never used; linking an existing account happens in its own
 * session after the secret is entered again; links and refusals are audit-logged. Phones 035730….
 */
const PIN = '480317'
let commune = ''
let n = 0
const sub = () => `vneid-test-${++n}-${Math.random().toString(36).slice(2)}`

async function account(phone: string, { pin = true }: { pin?: boolean } = {}) {
	const { id } = await registerResident({
		phone,
		profile: { fullName: 'Lò Văn Định', birthYear: 1970, sex: 'MALE', ethnicGroup: '03', learnerGroup: 'RESIDENT', provinceCode: '14', communeCode: commune },
		passwordHash: pin ? { kind: 'PIN', hash: await hashSecret(PIN) } : undefined,
		via: pin ? 'SELF' : 'STAFF',
	})
	return id
}

const audits = (userId: string, action: 'vneid.link' | 'vneid.link-refused') => prisma.auditLog.findMany({ where: { targetUserId: userId, action } })
const subjectOf = async (id: string) => (await prisma.user.findUniqueOrThrow({ where: { id }, select: { vneidSubject: true } })).vneidSubject

let PROFILE: Profile

/** Holds a `new` outcome as the callback does and returns the pending sign-in's id (the hash of the cookie's token). */
async function pendingIdFor(outcome: VneidOutcome) {
	if (outcome.kind !== 'new') throw new Error(`expected a new sign-in, got ${outcome.kind}`)
	const cookie = await holdPendingSignIn(outcome.claims)
	const pending = await readPendingSignIn(new Request('http://localhost/me/complete', { headers: { Cookie: cookie.split(';')[0]! } }))
	return pending!.id
}

beforeAll(async () => {
	commune = (await prisma.commune.findFirstOrThrow({ where: { provinceCode: '14' }, orderBy: { code: 'asc' } })).code
	PROFILE = {
		fullName: 'Người VNeID',
		birthYear: 1970,
		sex: 'MALE',
		ethnicGroup: 'not-stated',
		learnerGroup: 'RESIDENT',
		provinceCode: '14',
		communeCode: commune,
	}
})

describe('VNeID sign-in by phone number', () => {
	test('the phone of an administrator, a province officer or commune staff: no link, a message, an audit entry', async () => {
		const cases = [
			{ phone: '0357300001', role: 'ADMIN' as const },
			{ phone: '0357300002', role: 'PROVINCE_OFFICER' as const, provinceCode: '14' },
			{ phone: '0357300003', role: 'COMMUNE_STAFF' as const, communeCode: commune },
		]
		for (const { phone, ...role } of cases) {
			const id = await account(phone)
			await grantRole({ userId: id, ...role, grantedById: null })
			const outcome = await resolveVneidSignIn({ sub: sub(), phone, phoneVerified: true, name: 'Kẻ Lạ' })
			expect(outcome, role.role).toEqual({ kind: 'refused', message: 'auth:vneid.signInFirst' })
			expect(await subjectOf(id)).toBeNull()
			expect(await audits(id, 'vneid.link-refused')).toEqual([expect.objectContaining({ actorId: null, details: { via: 'phone', why: 'has-role' } })])
		}
		// The same holds for a staff account without a PIN yet: a role alone is enough to refuse.
		const noPin = await account('0357300004', { pin: false })
		await grantRole({ userId: noPin, role: 'COMMUNE_STAFF', communeCode: commune, grantedById: null })
		expect((await resolveVneidSignIn({ sub: sub(), phone: '0357300004', phoneVerified: true })).kind).toBe('refused')
		expect(await subjectOf(noPin)).toBeNull()
	})

	test('a resident with a PIN: refused, told to sign in and link from their account', async () => {
		const id = await account('0357300010')
		const outcome = await resolveVneidSignIn({ sub: sub(), phone: '0357300010', phoneVerified: true })
		expect(outcome).toEqual({ kind: 'refused', message: 'auth:vneid.signInFirst' })
		expect(await subjectOf(id)).toBeNull()
		expect(await audits(id, 'vneid.link-refused')).toEqual([expect.objectContaining({ details: { via: 'phone', why: 'has-secret' } })])
		expect(await prisma.user.count({ where: { phone: '0357300010' } })).toBe(1)
	})

	test('an unverified phone number is refused for an existing account and never stored on a new one', async () => {
		const id = await account('0357300020', { pin: false })
		for (const phoneVerified of [false, undefined]) {
			expect(await resolveVneidSignIn({ sub: sub(), phone: '0357300020', phoneVerified })).toEqual({ kind: 'refused', message: 'auth:vneid.phoneNotVerified' })
		}
		expect(await subjectOf(id)).toBeNull()
		expect(await audits(id, 'vneid.link-refused')).toHaveLength(2)
		const fresh = sub()
		const outcome = await resolveVneidSignIn({ sub: fresh, phone: '0357300021', phoneVerified: false, name: 'Quàng Thị Mai' })
		expect(outcome.kind).toBe('new')
		const created = await createVneidAccount({ pendingId: await pendingIdFor(outcome), profile: { ...PROFILE, fullName: 'Quàng Thị Mai' } })
		expect(await prisma.user.findUniqueOrThrow({ where: { vneidSubject: fresh } })).toMatchObject({
			id: created,
			phone: null,
			fullName: 'Quàng Thị Mai',
			registeredVia: 'VNEID',
		})
	})

	test('a resident registered by staff with no PIN and no role: a verified number links, audit-logged', async () => {
		const id = await account('0357300030', { pin: false })
		const subject = sub()
		expect(await resolveVneidSignIn({ sub: subject, phone: '0357300030', phoneVerified: true })).toEqual({ kind: 'linked', userId: id })
		expect(await subjectOf(id)).toBe(subject)
		expect(await audits(id, 'vneid.link')).toEqual([expect.objectContaining({ actorId: id, details: { via: 'phone' } })])
		// Next time the subject finds the account directly.
		expect(await resolveVneidSignIn({ sub: subject, phone: null })).toEqual({ kind: 'signed-in', userId: id })
	})

	test('a first sign-in with a new subject makes no account until the notice is agreed to; then a resident account with the verified number', async () => {
		const subject = sub()
		const outcome = await resolveVneidSignIn({ sub: subject, phone: '0357300040', phoneVerified: true, name: 'Quàng Văn Định', birthYear: 1966, sex: 'MALE' })
		expect(outcome).toEqual({ kind: 'new', claims: expect.objectContaining({ sub: subject }) })
		expect(await prisma.user.count({ where: { OR: [{ vneidSubject: subject }, { phone: '0357300040' }] } })).toBe(0)
		const pendingId = await pendingIdFor(outcome)
		await createVneidAccount({ pendingId, profile: { ...PROFILE, fullName: 'Quàng Văn Định', birthYear: 1966, sex: 'MALE' } })
		const user = await prisma.user.findUniqueOrThrow({ where: { vneidSubject: subject }, include: { roles: true } })
		expect(user).toMatchObject({ phone: '0357300040', birthYear: 1966, passwordHash: null, roles: [], communeCode: commune })
		// Used once: the same pending sign-in makes nothing more.
		expect(await createVneidAccount({ pendingId, profile: PROFILE })).toBeNull()
		expect(await prisma.user.count({ where: { vneidSubject: subject } })).toBe(1)
	})
})

describe('linking VNeID from the account page', () => {
	test('after the PIN is entered again in this session: linked once, audit-logged', async () => {
		const id = await account('0357300050')
		const { token } = await createSession(id)
		const subject = sub()
		// No re-authentication yet: refused, nothing linked.
		expect(await linkVneidToSignedInUser({ claims: { sub: subject }, userId: id, sessionToken: token })).toEqual({
			kind: 'refused',
			message: 'auth:vneid.confirmAgain',
		})
		expect(await confirmSecretForVneidLink({ sessionToken: token, userId: id, secret: '000000', ip: '10.9.0.1' })).toBe('wrong')
		expect(await linkVneidToSignedInUser({ claims: { sub: subject }, userId: id, sessionToken: token })).toMatchObject({ kind: 'refused' })
		expect(await subjectOf(id)).toBeNull()

		expect(await confirmSecretForVneidLink({ sessionToken: token, userId: id, secret: PIN, ip: '10.9.0.1' })).toBe('ok')
		// Another session of the same person did not re-authenticate.
		const other = await createSession(id)
		expect((await linkVneidToSignedInUser({ claims: { sub: subject }, userId: id, sessionToken: other.token })).kind).toBe('refused')
		expect(await linkVneidToSignedInUser({ claims: { sub: subject }, userId: id, sessionToken: token })).toEqual({ kind: 'linked', userId: id })
		expect(await subjectOf(id)).toBe(subject)
		expect(await audits(id, 'vneid.link')).toEqual([expect.objectContaining({ actorId: id, details: { via: 'account' } })])
		// The confirmation is used once.
		expect((await prisma.session.findMany({ where: { userId: id } })).every((s) => s.reauthenticatedAt === null)).toBe(true)
	})

	test('a confirmation older than the window, or for another account, does not link', async () => {
		const id = await account('0357300060')
		const { token } = await createSession(id)
		expect(await confirmSecretForVneidLink({ sessionToken: token, userId: id, secret: PIN, ip: '10.9.0.2' })).toBe('ok')
		const later = new Date(Date.now() + REAUTH_WINDOW_MS + 1000)
		expect(await linkVneidToSignedInUser({ claims: { sub: sub() }, userId: id, sessionToken: token, now: later })).toEqual({
			kind: 'refused',
			message: 'auth:vneid.confirmAgain',
		})
		expect(await subjectOf(id)).toBeNull()
		// Someone else's session token cannot confirm for this account.
		const stranger = await account('0357300061')
		const { token: theirs } = await createSession(stranger)
		expect(await confirmSecretForVneidLink({ sessionToken: theirs, userId: id, secret: PIN, ip: '10.9.0.2' })).toBe('ok')
		expect((await linkVneidToSignedInUser({ claims: { sub: sub() }, userId: stranger, sessionToken: theirs })).kind).toBe('refused')
	})

	test('a subject already linked to someone else is refused', async () => {
		const first = await account('0357300070', { pin: false })
		const subject = sub()
		await resolveVneidSignIn({ sub: subject, phone: '0357300070', phoneVerified: true })
		expect(await subjectOf(first)).toBe(subject)
		const id = await account('0357300071')
		const { token } = await createSession(id)
		await confirmSecretForVneidLink({ sessionToken: token, userId: id, secret: PIN, ip: '10.9.0.3' })
		expect(await linkVneidToSignedInUser({ claims: { sub: subject }, userId: id, sessionToken: token })).toEqual({
			kind: 'refused',
			message: 'auth:vneid.subjectTaken',
		})
		expect(await subjectOf(id)).toBeNull()
	})

	test('wrong secrets are rate-limited like sign-in', async () => {
		const id = await account('0357300080')
		const { token } = await createSession(id)
		for (let i = 0; i < 5; i++) expect(await confirmSecretForVneidLink({ sessionToken: token, userId: id, secret: '111111', ip: '10.9.0.4' })).toBe('wrong')
		expect(await confirmSecretForVneidLink({ sessionToken: token, userId: id, secret: PIN, ip: '10.9.0.4' })).toBe('tooMany')
	})
})

test('the login and link pages show only the known refusal messages named in ?vneid=', () => {
	expect(vneidRefusal('signInFirst')).toBe('auth:vneid.signInFirst')
	expect(vneidRefusal('phoneNotVerified')).toBe('auth:vneid.phoneNotVerified')
	for (const bad of [null, '', 'linkTitle', 'errors.badLogin', '../common:x', 'signInFirst ']) expect(vneidRefusal(bad)).toBeNull()
})
