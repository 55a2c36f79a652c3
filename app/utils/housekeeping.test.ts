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

// SECURITY.md's retention table (ADR 020): every row of it is enforced here.
const DAY = 86_400_000
const importJob = (over: Record<string, unknown>) =>
	prisma.importJob.create({
		data: {
			communeCode: '03646',
			provinceCode: '14',
			createdById: 'x',
			fileName: 'danh sach ba Lo Thi A.csv',
			fileHash: `h-${Math.random()}`,
			rows: [
				{ line: 2, status: 'new', fullName: 'Lò Thị A', phone: '0912000001' },
				{ line: 3, status: 'refused', fullName: 'Lò Văn B', phone: '0912000002' },
				{ line: 4, status: 'invalid', fullName: 'C', phone: '1', reasons: [] },
			],
			totalRows: 3,
			newRows: 1,
			presentRows: 0,
			invalidRows: 1,
			...over,
		},
	})

test('a confirmed import keeps only its refused rows, and those for a week; an unconfirmed preview goes after a week', async () => {
	const now = new Date()
	const justDone = await importJob({ status: 'DONE', finishedAt: new Date(now.getTime() - 60_000) })
	const doneLastWeek = await importJob({ status: 'DONE', finishedAt: new Date(now.getTime() - 8 * DAY), createdAt: new Date(now.getTime() - 8 * DAY) })
	const preview = await importJob({ status: 'PREVIEW' })
	const stalePreview = await importJob({ status: 'PREVIEW', createdAt: new Date(now.getTime() - 8 * DAY) })
	const staleFailed = await importJob({ status: 'FAILED', createdAt: new Date(now.getTime() - 8 * DAY) })
	await runHousekeeping(now)
	expect((await prisma.importJob.findUniqueOrThrow({ where: { id: justDone.id } })).rows).toEqual([
		{ line: 3, status: 'refused', fullName: 'Lò Văn B', phone: '0912000002' },
	])
	expect((await prisma.importJob.findUniqueOrThrow({ where: { id: doneLastWeek.id } })).rows).toEqual([])
	expect((await prisma.importJob.findUniqueOrThrow({ where: { id: preview.id } })).rows).toHaveLength(3)
	expect(await prisma.importJob.findUnique({ where: { id: stalePreview.id } })).toBeNull()
	expect(await prisma.importJob.findUnique({ where: { id: staleFailed.id } })).toBeNull()
	// Idempotent: a second run (another instance) changes nothing more.
	await runHousekeeping(now)
	expect((await prisma.importJob.findUniqueOrThrow({ where: { id: justDone.id } })).rows).toHaveLength(1)
})

test('free text that may name someone goes after a year: revocation notes, import file names in the audit log, class places', async () => {
	const now = new Date()
	const old = new Date(now.getTime() - 366 * DAY)
	const recent = new Date(now.getTime() - 10 * DAY)
	const user = await prisma.user.create({ data: { fullName: 'Người Có Ghi Chú' } })
	const enrolment = (courseId: string) => prisma.enrolment.create({ data: { userId: user.id, courseId } })
	const courses = await prisma.course.findMany({ take: 2, select: { id: true } })
	const certs = await Promise.all(
		[old, recent].map(async (revokedAt, i) =>
			prisma.certificate.create({
				data: {
					code: `HK${i}ABCDEFG`.slice(0, 10),
					userId: user.id,
					enrolmentId: (await enrolment(courses[i]!.id)).id,
					courseId: courses[i]!.id,
					recipientName: 'Người Có Ghi Chú',
					revokedAt,
					revocationReason: 'OTHER',
					revokedNote: 'gọi 0912000003 ở bản Nà',
				},
			}),
		),
	)
	const auditNote = (createdAt: Date) =>
		prisma.auditLog.create({
			data: { actorId: null, action: 'certificate.revoke', createdAt, details: { code: 'X', reason: 'OTHER', note: 'gọi 0912000003' } },
		})
	const auditFile = (createdAt: Date) =>
		prisma.auditLog.create({
			data: { actorId: null, action: 'import.residents', createdAt, details: { jobId: 'j', fileName: 'ds ong Lo Van C.csv', imported: 3 } },
		})
	const [oldNote, newNote, oldFile, newFile] = [
		await auditNote(old),
		await auditNote(recent),
		await auditFile(new Date(now.getTime() - 31 * DAY)),
		await auditFile(recent),
	]
	const cls = (heldOn: Date) =>
		prisma.classSession.create({
			data: {
				clientId: `hk-${Math.random()}`,
				communeCode: '03646',
				provinceCode: '14',
				courseId: courses[0]!.id,
				heldOn,
				place: 'Nhà ông Lò Văn D',
				lessonIds: [],
				createdById: 'x',
			},
		})
	const [oldClass, newClass] = [await cls(old), await cls(recent)]
	await runHousekeeping(now)
	const note = async (id: string) => (await prisma.certificate.findUniqueOrThrow({ where: { id } })).revokedNote
	expect(await note(certs[0]!.id)).toBeNull()
	expect(await note(certs[1]!.id)).toBe('gọi 0912000003 ở bản Nà')
	const details = async (id: bigint) => (await prisma.auditLog.findUniqueOrThrow({ where: { id } })).details
	expect(await details(oldNote.id)).toEqual({ code: 'X', reason: 'OTHER' })
	expect(await details(newNote.id)).toMatchObject({ note: 'gọi 0912000003' })
	expect(await details(oldFile.id)).toEqual({ jobId: 'j', imported: 3 })
	expect(await details(newFile.id)).toMatchObject({ fileName: 'ds ong Lo Van C.csv' })
	expect((await prisma.classSession.findUniqueOrThrow({ where: { id: oldClass.id } })).place).toBe('')
	expect((await prisma.classSession.findUniqueOrThrow({ where: { id: newClass.id } })).place).toBe('Nhà ông Lò Văn D')
})
