import { expect, test } from 'vitest'
import { prisma } from './db.server.ts'
import { runHousekeeping } from './housekeeping.server.ts'

test('expired sessions and rate-limit windows are deleted, live ones kept', async () => {
	const user = await prisma.user.create({ data: { fullName: 'Người Dọn Dẹp' } })
	const past = new Date(Date.now() - 1000)
	const future = new Date(Date.now() + 86_400_000)
	await prisma.session.createMany({ data: [{ id: 'hk-old', userId: user.id, expiresAt: past }, { id: 'hk-live', userId: user.id, expiresAt: future }] })
	await prisma.rateLimit.createMany({ data: [{ key: 'hk-old', count: 3, resetAt: past }, { key: 'hk-live', count: 1, resetAt: future }] })
	await runHousekeeping()
	expect((await prisma.session.findMany({ where: { userId: user.id } })).map((s) => s.id)).toEqual(['hk-live'])
	expect(await prisma.rateLimit.findUnique({ where: { key: 'hk-old' } })).toBeNull()
	expect(await prisma.rateLimit.findUnique({ where: { key: 'hk-live' } })).not.toBeNull()
})
