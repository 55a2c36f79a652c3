import { afterEach, describe, expect, test, vi } from 'vitest'
import * as password from '#app/utils/password.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { getFixedT } from '#app/utils/i18n.server.ts'
import { LIMITS } from '#app/utils/rate-limit.server.ts'
import { issueSetupCode } from '#app/modules/people/setup-code.server.ts'
import { registerResident } from '#app/modules/people/people.server.ts'
import * as login from '#app/routes/_auth+/login.tsx'
import * as register from '#app/routes/_auth+/register.tsx'
import * as setup from '#app/routes/_auth+/setup.tsx'

/**
 * Issue #16 item 2: the limits used to be checked, then the secret verified, then the failure
 * counted, so 30–60 parallel wrong PINs for one phone were all verified. Every scenario here fires
 * its attempts at once and counts the argon2 calls actually made (verify and hash), on whichever
 * database the run uses (PGlite by default, PostgreSQL with TEST_DATABASE_URL).
 */
const profile = {
	fullName: 'Lò Văn Pọm',
	birthYear: 1961,
	sex: 'MALE' as const,
	ethnicGroup: '03',
	learnerGroup: 'RESIDENT' as const,
	provinceCode: '14',
	communeCode: '03646',
}

type Action = (args: { request: Request; params: Record<string, string>; context: { clientIp: string } }) => Promise<unknown>

/** Calls a route action as Remix would; returns the status and the form-level error keys. */
async function post(action: Action, path: string, form: Record<string, string>, ip: string) {
	const request = new Request(`http://localhost${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
		body: new URLSearchParams(form),
	})
	let result: unknown
	try {
		result = await action({ request, params: {}, context: { clientIp: ip } })
	} catch (thrown) {
		result = thrown
	}
	if (result instanceof Response) return { status: result.status, errors: [] as string[], fieldErrors: {} }
	const { data, init } = result as { data: { result: { error?: Record<string, string[] | null> } }; init: ResponseInit | null }
	const error = data.result.error ?? {}
	return { status: init?.status ?? 200, errors: error[''] ?? [], fieldErrors: error }
}

// Numbers of this file only (other files share the worker's database): 038 + seven digits from a random start.
let seq = Math.floor(Math.random() * 8_000_000)
const nextPhone = () => `038${1_000_000 + seq++}`
let ipSeq = 0
const nextIp = () => `10.77.${Math.floor(ipSeq / 250) % 250}.${ipSeq++ % 250}`

afterEach(() => vi.restoreAllMocks())

describe('sign-in', () => {
	test('50 concurrent wrong PINs for one phone (one address each): at most 5 are verified, the rest refused with the localised message', async () => {
		const phone = nextPhone()
		await registerResident({ phone, profile, secret: { kind: 'PIN', value: '480317' }, via: 'SELF' })
		const verify = vi.spyOn(password, 'verifySecret')
		const results = await Promise.all(
			Array.from({ length: 50 }, (_, i) => post(login.action as Action, '/login', { phone, secret: String(500000 + i) }, nextIp())),
		)
		expect(verify.mock.calls.length).toBeLessThanOrEqual(LIMITS.signInPerPhone.limit)
		expect(results.filter((r) => r.status === 400).length).toBe(verify.mock.calls.length)
		const refused = results.filter((r) => r.status === 429)
		expect(refused.length).toBe(50 - verify.mock.calls.length)
		const [key, minutes] = refused[0]!.errors[0]!.split('|')
		expect(key).toBe('auth:errors.tooManyAttempts')
		expect(Number(minutes)).toBeGreaterThanOrEqual(14)
		const [vi_, en] = [await getFixedT('vi'), await getFixedT('en')]
		// The truth and what to do: when to try again, and that commune staff can reset a forgotten PIN.
		expect(vi_(key!, { minutes })).toBe(
			`Bạn đã thử quá nhiều lần. Vui lòng thử lại sau ${minutes} phút. Nếu quên mã PIN, cán bộ xã có thể đặt lại giúp bạn (xem «Quên mã PIN?» bên dưới).`,
		)
		expect(en(key!, { minutes })).toBe(
			`Too many tries. Please try again in ${minutes} minutes. If you forgot your PIN, commune staff can reset it for you (see “Forgot your PIN?” below).`,
		)
		// Even the right PIN waits now: the phone's window is spent.
		expect((await post(login.action as Action, '/login', { phone, secret: '480317' }, nextIp())).status).toBe(429)
	})

	test('one address trying 70 phones at once: at most 50 verifications', async () => {
		const ip = nextIp()
		const verify = vi.spyOn(password, 'verifySecret')
		const results = await Promise.all(Array.from({ length: 70 }, () => post(login.action as Action, '/login', { phone: nextPhone(), secret: '592604' }, ip)))
		expect(verify.mock.calls.length).toBeLessThanOrEqual(LIMITS.signInPerIp.limit)
		expect(results.filter((r) => r.status === 429).length).toBe(70 - verify.mock.calls.length)
	})

	test('successful sign-ins from one address do not use up its allowance; the right PIN clears the phone', async () => {
		const ip = nextIp()
		const phone = nextPhone()
		await registerResident({ phone, profile, secret: { kind: 'PIN', value: '480317' }, via: 'SELF' })
		for (let i = 0; i < 4; i++) expect((await post(login.action as Action, '/login', { phone, secret: '111000' }, ip)).status).toBe(400)
		expect((await post(login.action as Action, '/login', { phone, secret: '480317' }, ip)).status).toBe(302)
		for (let i = 0; i < 4; i++) expect((await post(login.action as Action, '/login', { phone, secret: '111000' }, ip)).status).toBe(400)
		// A commune's Wi-Fi signing in a class: 60 good sign-ins from one address all pass.
		for (let i = 0; i < LIMITS.signInPerIp.limit + 10; i++)
			expect((await post(login.action as Action, '/login', { phone, secret: '480317' }, ip)).status).toBe(302)
	})
})

describe('setup codes', () => {
	test('50 concurrent wrong codes for one phone: at most 5 PINs hashed, the rest refused', async () => {
		const staff = await prisma.user.create({ data: { fullName: 'Cán Bộ Xã' } })
		const phone = nextPhone()
		const { id } = await registerResident({ phone, profile, via: 'STAFF', registeredById: staff.id })
		await issueSetupCode({ userId: id, purpose: 'ACTIVATE', createdById: staff.id })
		const hash = vi.spyOn(password, 'hashSecret')
		const results = await Promise.all(
			Array.from({ length: 50 }, () => post(setup.action as Action, '/setup', { phone, code: 'AAAAA-AAAAA', pin: '592604', pinAgain: '592604' }, nextIp())),
		)
		expect(hash.mock.calls.length).toBeLessThanOrEqual(LIMITS.setupPerPhone.limit)
		expect(results.filter((r) => r.status === 400).length).toBeLessThanOrEqual(LIMITS.setupPerPhone.limit)
		expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(50 - LIMITS.setupPerPhone.limit)
		expect(results.find((r) => r.status === 429)!.errors[0]).toMatch(/^auth:errors\.tooManyAttempts\|\d+$/)
	})
})

describe('registration', () => {
	const form = (phone: string) => ({
		phone,
		...profile,
		birthYear: String(profile.birthYear),
		secretKind: 'PIN',
		secret: '592604',
		consent: 'on',
		ethnicityConsent: 'on',
	})

	test('a taken phone is refused without hashing, and every such attempt is counted per phone', async () => {
		const phone = nextPhone()
		await registerResident({ phone, profile, secret: { kind: 'PIN', value: '480317' }, via: 'SELF' })
		const hash = vi.spyOn(password, 'hashSecret')
		const results = await Promise.all(Array.from({ length: 20 }, () => post(register.action as Action, '/register', form(phone), nextIp())))
		expect(hash).not.toHaveBeenCalled()
		const taken = results.filter((r) => r.status === 400)
		expect(taken.length).toBe(LIMITS.registerPerPhone.limit)
		expect((taken[0]!.fieldErrors as Record<string, string[]>).phone).toEqual(['auth:errors.phoneTaken'])
		expect(results.filter((r) => r.status === 429).length).toBe(20 - LIMITS.registerPerPhone.limit)
	})

	test('one address: every attempt counts, at most 100 an hour, and the refusal says to ask commune staff', async () => {
		const ip = nextIp()
		const hash = vi.spyOn(password, 'hashSecret')
		// A class of 50 registering from the commune's Wi-Fi, a few at a time, all get in…
		const first = []
		for (let i = 0; i < 10; i++)
			first.push(...(await Promise.all(Array.from({ length: 5 }, () => post(register.action as Action, '/register', form(nextPhone()), ip)))))
		expect(first.filter((r) => r.status !== 302)).toEqual([])
		expect(first).toHaveLength(50)
		// …and 60 more at once: only 50 fit in the hour.
		const probes = await Promise.all(Array.from({ length: 60 }, () => post(register.action as Action, '/register', form(nextPhone()), ip)))
		expect(hash.mock.calls.length).toBeLessThanOrEqual(LIMITS.registerPerIp.limit)
		const refused = probes.filter((r) => r.status === 429)
		expect(refused.length).toBe(50 + 60 - LIMITS.registerPerIp.limit)
		const [key, minutes] = refused[0]!.errors[0]!.split('|')
		expect(key).toBe('auth:errors.registerLimited')
		const [vi_, en] = [await getFixedT('vi'), await getFixedT('en')]
		expect(vi_(key!, { minutes })).toContain('nhờ cán bộ xã đăng ký giúp')
		expect(en(key!, { minutes })).toContain('ask commune staff to register you')
	})
})
