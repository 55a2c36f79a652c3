import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { normalisePhone } from './phone.ts'
import { ResidentRegistrationSchema } from './people.schema.ts'
import { FieldError, registerResident } from './people.server.ts'

const profile = {
	fullName: 'Cầm Văn Ún',
	birthYear: 1958,
	sex: 'MALE' as const,
	ethnicGroup: '03',
	learnerGroup: 'RESIDENT' as const,
	provinceCode: '14',
	communeCode: '03721',
}

describe('phone numbers', () => {
	test.each([
		['0912345678', '0912345678'],
		['0912 345 678', '0912345678'],
		['+84 912 345 678', '0912345678'],
		['84912345678', '0912345678'],
		['0386.123.456', '0386123456'],
		['0212345678', null], // landline prefix
		['091234567', null],
		['09123456789', null],
		['abc', null],
		['', null],
	])('%s → %s', (input, expected) => {
		expect(normalisePhone(input)).toBe(expected)
	})
})

describe('registerResident', () => {
	test('creates the resident and counts the registration in their commune, once', async () => {
		const before = await registeredIn('03721')
		const { id } = await registerResident({ phone: '0355000001', profile, secret: { kind: 'PIN', value: '480317' }, via: 'SELF' })
		const user = await prisma.user.findUniqueOrThrow({ where: { id } })
		expect(user).toMatchObject({ phone: '0355000001', communeCode: '03721', provinceCode: '14', credentialKind: 'PIN' })
		expect(user.passwordHash).toMatch(/^\$argon2id\$/)
		expect(await registeredIn('03721')).toBe(before + 1)
	})

	test('a taken phone number is a field error and changes nothing', async () => {
		await registerResident({ phone: '0355000002', profile, secret: { kind: 'PIN', value: '480317' }, via: 'SELF' })
		const users = await prisma.user.count()
		const before = await registeredIn('03721')
		const error = await registerResident({ phone: '0355000002', profile, secret: { kind: 'PIN', value: '480317' }, via: 'SELF' }).catch((e) => e)
		expect(error).toBeInstanceOf(FieldError)
		expect(error).toMatchObject({ field: 'phone', key: 'auth:errors.phoneTaken' })
		expect(await prisma.user.count()).toBe(users)
		expect(await registeredIn('03721')).toBe(before)
	})

	test('an unknown commune, or one outside the chosen province, is refused', async () => {
		for (const bad of [{ communeCode: '99999' }, { communeCode: '03388' /* Lai Châu */ }]) {
			const error = await registerResident({ phone: null, profile: { ...profile, ...bad }, via: 'SELF' }).catch((e) => e)
			expect(error).toMatchObject({ field: 'communeCode', key: 'auth:errors.communeUnknown' })
		}
	})

	test('the registration schema rejects hostile input with translation keys', () => {
		const result = ResidentRegistrationSchema.safeParse({
			phone: '<script>',
			fullName: '<img src=x>',
			birthYear: 'abc',
			sex: 'X',
			ethnicGroup: '99',
			learnerGroup: 'KING',
			provinceCode: '1',
			communeCode: 'DROP TABLE',
			secretKind: 'PIN',
			secret: 'x'.repeat(500),
		})
		expect(result.success).toBe(false)
		const messages = result.error!.issues.map((i) => i.message)
		// Every message is a translation key; the unticked notice box is the privacy namespace's (ADR 018).
		expect(messages.every((m) => m.startsWith('auth:errors.') || m === 'privacy:errors.consentRequired')).toBe(true)
		expect(messages).toEqual(expect.arrayContaining(['auth:errors.phoneInvalid', 'auth:errors.nameInvalid', 'auth:errors.communeUnknown']))
	})
})

async function registeredIn(communeCode: string) {
	// Every cell of every year (the breakdown rollup).
	const agg = await prisma.periodCellStat.aggregate({ where: { communeCode, period: { not: { contains: '-' } } }, _sum: { registered: true } })
	return agg._sum.registered ?? 0
}
