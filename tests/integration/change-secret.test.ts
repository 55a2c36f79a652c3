import { expect, test } from 'vitest'
import { registerResident } from '#app/modules/people/people.server.ts'
import { issueSetupCode, redeemSetupCode } from '#app/modules/people/setup-code.server.ts'
import { verifyLogin } from '#app/utils/auth.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { createSession, serializeSessionCookie, validateSessionToken } from '#app/utils/session.server.ts'
import * as security from '#app/routes/me+/security.tsx'

/** Issue #16 item 9: changing one's own PIN from /me/security. */
const profile = {
	fullName: 'Lường Thị Hoa',
	birthYear: 1968,
	sex: 'FEMALE' as const,
	ethnicGroup: '03',
	learnerGroup: 'RESIDENT' as const,
	provinceCode: '14',
	communeCode: '03646',
}
let seq = Math.floor(Math.random() * 8_000_000)
const nextPhone = () => `036${1_000_000 + seq++}`

async function change(token: string, form: Record<string, string>) {
	const request = new Request('http://localhost/me/security', {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost', Cookie: await serializeSessionCookie(token) },
		body: new URLSearchParams(form),
	})
	let result: unknown
	try {
		result = await security.action({ request, params: {}, context: {} })
	} catch (thrown) {
		result = thrown
	}
	if (result instanceof Response) return { status: result.status, location: result.headers.get('Location'), error: {} as Record<string, string[] | null> }
	const { data, init } = result as { data: { result: { error?: Record<string, string[] | null> } }; init: ResponseInit | null }
	return { status: init?.status ?? 200, location: null, error: data.result.error ?? {} }
}

test('the right current PIN and a good new one: changed, every other session ended, this one kept, audited', async () => {
	const phone = nextPhone()
	const { id } = await registerResident({ phone, profile, secret: { kind: 'PIN', value: '480317' }, via: 'SELF' })
	const here = await createSession(id)
	const otherPhone = await createSession(id)
	const result = await change(here.token, { current: '480317', secretKind: 'PIN', secret: '592604', secretAgain: '592604' })
	expect(result).toMatchObject({ status: 302, location: '/me/security?changed=1' })
	expect(await verifyLogin(phone, '480317')).toBeNull()
	expect(await verifyLogin(phone, '592604')).toEqual({ id, landing: '/me' })
	expect(await validateSessionToken(otherPhone.token)).toBeNull()
	expect(await validateSessionToken(here.token)).toMatchObject({ userId: id })
	const audit = await prisma.auditLog.findMany({ where: { targetUserId: id }, select: { action: true, actorId: true, details: true } })
	expect(audit).toEqual([{ action: 'account.change-secret', actorId: id, details: { kind: 'PIN' } }])
})

test('bad input changes nothing: wrong current PIN, weak or birth-year PIN, mismatch; wrong guesses are limited', async () => {
	const phone = nextPhone()
	const { id } = await registerResident({ phone, profile, secret: { kind: 'PIN', value: '480317' }, via: 'SELF' })
	const here = await createSession(id)
	const other = await createSession(id)
	const cases: [Record<string, string>, string, string][] = [
		[{ current: '480317', secretKind: 'PIN', secret: '196852', secretAgain: '196852' }, 'secret', 'auth:errors.pinHasBirthYear'],
		[{ current: '480317', secretKind: 'PIN', secret: '123123', secretAgain: '123123' }, 'secret', 'auth:errors.pinTooSimple'],
		[{ current: '480317', secretKind: 'PIN', secret: '592604', secretAgain: '592605' }, 'secretAgain', 'auth:errors.secretMismatch'],
		[{ current: '111000', secretKind: 'PIN', secret: '592604', secretAgain: '592604' }, 'current', 'auth:errors.currentSecretWrong'],
	]
	for (const [form, field, key] of cases) {
		const result = await change(here.token, form)
		expect(result.status).toBe(400)
		expect(result.error[field]).toEqual([key])
	}
	for (let i = 0; i < 4; i++)
		expect((await change(here.token, { current: '111000', secretKind: 'PIN', secret: '592604', secretAgain: '592604' })).status).toBe(400)
	// Five wrong guesses in 15 minutes: even the right PIN waits.
	const limited = await change(here.token, { current: '480317', secretKind: 'PIN', secret: '592604', secretAgain: '592604' })
	expect(limited.status).toBe(429)
	expect(limited.error['']?.[0]).toMatch(/^auth:errors\.tooManyAttempts\|\d+$/)
	expect(await verifyLogin(phone, '480317')).toEqual({ id, landing: '/me' })
	expect(await validateSessionToken(other.token)).toMatchObject({ userId: id })
	expect(await prisma.auditLog.count({ where: { targetUserId: id } })).toBe(0)
})

test('a setup code refuses a PIN with the birth year, only once the code is right, and stays usable', async () => {
	const staff = await prisma.user.create({ data: { fullName: 'Cán Bộ Xã' } })
	const phone = nextPhone()
	const { id } = await registerResident({ phone, profile, via: 'STAFF', registeredById: staff.id })
	const { code } = await issueSetupCode({ userId: id, purpose: 'ACTIVATE', createdById: staff.id })
	// A wrong phone with the same PIN learns nothing about anyone's birth year.
	expect(await redeemSetupCode({ phone: nextPhone(), code, pin: '196852' })).toBeNull()
	await expect(redeemSetupCode({ phone, code, pin: '196852' })).rejects.toMatchObject({ field: 'pin', key: 'auth:errors.pinHasBirthYear' })
	expect(await redeemSetupCode({ phone, code, pin: '592604' })).toBe(id)
})
