import { expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { verifyLogin } from '#app/utils/auth.server.ts'
import { createSession } from '#app/utils/session.server.ts'
import { registerResident } from './people.server.ts'
import { formatSetupCode, generateSetupCode, issueSetupCode, normaliseSetupCode, redeemSetupCode } from './setup-code.server.ts'

const profile = {
	fullName: 'Hà Thị Bun',
	birthYear: 1950,
	sex: 'FEMALE' as const,
	ethnicGroup: '03',
	learnerGroup: 'RESIDENT' as const,
	provinceCode: '14',
	communeCode: '03646',
}

test('codes avoid look-alike characters and survive how people type them', () => {
	for (let i = 0; i < 200; i++) expect(generateSetupCode()).toMatch(/^[ABCDEFGHJKMNPQRSTVWXYZ2-9]{10}$/)
	const code = generateSetupCode()
	expect(normaliseSetupCode(formatSetupCode(code).toLowerCase())).toBe(code)
	expect(normaliseSetupCode(' ab-cd ')).toBeNull()
})

test('a resident registered by staff sets their own PIN once; the code cannot be replayed', async () => {
	const staff = await prisma.user.create({ data: { fullName: 'Cán Bộ Xã' } })
	const { id } = await registerResident({ phone: '0399777001', profile, via: 'STAFF', registeredById: staff.id })
	const { code } = await issueSetupCode({ userId: id, purpose: 'ACTIVATE', createdById: staff.id })
	expect(await redeemSetupCode({ phone: '0399777002', code, pin: '480317' })).toBeNull() // someone else's phone
	expect(await redeemSetupCode({ phone: '0399777001', code, pin: '480317' })).toBe(id)
	expect(await verifyLogin('0399777001', '480317')).toEqual({ id, landing: '/me' })
	expect(await redeemSetupCode({ phone: '0399777001', code, pin: '111222' })).toBeNull() // replay
	expect(await verifyLogin('0399777001', '480317')).toEqual({ id, landing: '/me' })
})

test('two concurrent redemptions of one code: exactly one wins', async () => {
	const staff = await prisma.user.create({ data: { fullName: 'Cán Bộ Xã' } })
	const { id } = await registerResident({ phone: '0399777003', profile, via: 'STAFF', registeredById: staff.id })
	const { code } = await issueSetupCode({ userId: id, purpose: 'ACTIVATE', createdById: staff.id })
	const results = await Promise.all([
		redeemSetupCode({ phone: '0399777003', code, pin: '480317' }),
		redeemSetupCode({ phone: '0399777003', code, pin: '592604' }),
	])
	expect(results.filter(Boolean)).toHaveLength(1)
})

test('a PIN reset ends every session and the old PIN, and replaces earlier codes', async () => {
	const staff = await prisma.user.create({ data: { fullName: 'Cán Bộ Xã' } })
	const { id } = await registerResident({ phone: '0399777004', profile, secret: { kind: 'PIN', value: '480317' }, via: 'SELF' })
	await createSession(id)
	await createSession(id)
	const first = await issueSetupCode({ userId: id, purpose: 'RESET', createdById: staff.id })
	const second = await issueSetupCode({ userId: id, purpose: 'RESET', createdById: staff.id })
	expect(await prisma.session.count({ where: { userId: id } })).toBe(0)
	expect(await verifyLogin('0399777004', '480317')).toBeNull()
	expect(await redeemSetupCode({ phone: '0399777004', code: first.code, pin: '592604' })).toBeNull()
	expect(await redeemSetupCode({ phone: '0399777004', code: second.code, pin: '592604' })).toBe(id)
	const actions = await prisma.auditLog.findMany({ where: { targetUserId: id }, select: { action: true, actorId: true } })
	expect(actions).toEqual([
		{ action: 'resident.reset-pin', actorId: staff.id },
		{ action: 'resident.reset-pin', actorId: staff.id },
	])
})
