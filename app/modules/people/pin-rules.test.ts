import { expect, test } from 'vitest'
import { ChangeSecretSchema } from './auth.schema.ts'
import { ResidentRegistrationSchema, PinSchema } from './people.schema.ts'
import { COMMON_PINS, pinWeakness } from './pin-rules.ts'

test('common PINs, repeats and runs are refused', () => {
	for (const pin of [...COMMON_PINS, '999999', '012345', '234567', '789012', '987654', '210987', '909090', '373737', '280280', '147147']) {
		expect(pinWeakness(pin), pin).toBe('auth:errors.pinTooSimple')
		expect(PinSchema.safeParse(pin).success, pin).toBe(false)
	}
	for (const pin of ['480317', '592604', '246810', '135792', '702418']) expect(pinWeakness(pin), pin).toBeNull()
})

test('a PIN holding the birth year is refused when the year is known', () => {
	for (const pin of ['197548', '481975', '219758']) expect(pinWeakness(pin, 1975)).toBe('auth:errors.pinHasBirthYear')
	expect(pinWeakness('197548')).toBeNull()
	expect(pinWeakness('197548', 1962)).toBeNull()
})

test('every form that sets a PIN applies the birth-year rule', () => {
	const registration = {
		phone: '0912345678',
		fullName: 'Lò Thị Xuân',
		birthYear: '1962',
		sex: 'FEMALE',
		ethnicGroup: '03',
		ethnicityConsent: true,
		learnerGroup: 'RESIDENT',
		provinceCode: '14',
		communeCode: '03646',
		secretKind: 'PIN',
		consent: true,
	}
	const refused = ResidentRegistrationSchema.safeParse({ ...registration, secret: '196248' })
	expect(refused.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['secret', 'auth:errors.pinHasBirthYear']])
	expect(ResidentRegistrationSchema.safeParse({ ...registration, secret: '480317' }).success).toBe(true)
	// A password may hold a year: the rule is about six-digit PINs.
	expect(ResidentRegistrationSchema.safeParse({ ...registration, secretKind: 'PASSWORD', secret: 'ruong-1962-lua' }).success).toBe(true)

	const change = ChangeSecretSchema({ birthYear: 1962 })
	const form = { current: '480317', secretKind: 'PIN', secretAgain: '' }
	expect(change.safeParse({ ...form, secret: '621962', secretAgain: '621962' }).error?.issues[0]?.message).toBe('auth:errors.pinHasBirthYear')
	expect(change.safeParse({ ...form, secret: '121212', secretAgain: '121212' }).error?.issues[0]?.message).toBe('auth:errors.pinTooSimple')
	expect(change.safeParse({ ...form, secret: '592604', secretAgain: '592614' }).error?.issues[0]).toMatchObject({
		path: ['secretAgain'],
		message: 'auth:errors.secretMismatch',
	})
	expect(change.safeParse({ ...form, secret: '592604', secretAgain: '592604' }).success).toBe(true)
})
