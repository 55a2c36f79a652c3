import { expect, test } from 'vitest'
import { prisma } from './db.server.ts'
import { runHousekeeping } from './housekeeping.server.ts'

test('expired sessions and rate-limit windows are deleted, live ones kept', async () => {
	const user = await prisma.user.create({ data: { fullName: 'Người Dọn Dẹp' } })
	const past = new Date(Date.now() - 1000)
	const future = new Date(Date.now() + 86_400_000)
	await prisma.session.createMany({
		data: [
			{ id: 'hk-old', userId: user.id, expiresAt: past },
			{ id: 'hk-live', userId: user.id, expiresAt: future },
		],
	})
	await prisma.rateLimit.createMany({
		data: [
			{ key: 'hk-old', count: 3, resetAt: past },
			{ key: 'hk-live', count: 1, resetAt: future },
		],
	})
	await runHousekeeping()
	expect((await prisma.session.findMany({ where: { userId: user.id } })).map((s) => s.id)).toEqual(['hk-live'])
	expect(await prisma.rateLimit.findUnique({ where: { key: 'hk-old' } })).toBeNull()
	expect(await prisma.rateLimit.findUnique({ where: { key: 'hk-live' } })).not.toBeNull()
})

test('uploaded import files are deleted 30 days after upload', async () => {
	const job = {
		communeCode: '03646',
		provinceCode: '14',
		createdById: 'x',
		fileName: 'a.csv',
		fileHash: 'h',
		rows: [],
		totalRows: 0,
		newRows: 0,
		presentRows: 0,
		invalidRows: 0,
	}
	const old = await prisma.importJob.create({ data: { ...job, createdAt: new Date(Date.now() - 31 * 86_400_000) } })
	const recent = await prisma.importJob.create({ data: { ...job, fileHash: 'h2' } })
	await runHousekeeping()
	expect(await prisma.importJob.findUnique({ where: { id: old.id } })).toBeNull()
	expect(await prisma.importJob.findUnique({ where: { id: recent.id } })).not.toBeNull()
})

test('audit entries are kept five years, then deleted', async () => {
	// Run at today's date (an invented future date would also clear the worker's live sessions).
	const now = new Date()
	const fiveYearsAgo = new Date(now)
	fiveYearsAgo.setUTCFullYear(now.getUTCFullYear() - 5)
	const old = await prisma.auditLog.create({
		data: { actorId: null, action: 'export.indicators', provinceCode: '14', createdAt: new Date(fiveYearsAgo.getTime() - 60_000) },
	})
	const kept = await prisma.auditLog.create({
		data: { actorId: null, action: 'export.indicators', provinceCode: '14', createdAt: new Date(fiveYearsAgo.getTime() + 60_000) },
	})
	await runHousekeeping(now)
	expect(await prisma.auditLog.findUnique({ where: { id: old.id } })).toBeNull()
	expect(await prisma.auditLog.findUnique({ where: { id: kept.id } })).not.toBeNull()
})
