import { beforeAll, describe, expect, test } from 'vitest'
import { periodsOf } from '#app/kernel/calendar.ts'
import { confirmImport, previewImport } from '#app/modules/people/import.server.ts'
import { getCourseBySlug } from '#app/modules/course/course.server.ts'
import { enrolResident } from '#app/modules/progress/progress.server.ts'
import * as jobRoute from '#app/routes/staff+/import.$jobId.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { sessionCookie, staff } from '#tests/utils/factories.ts'
import { yearlyDrift } from '#tests/utils/load-check.ts'
import { callRoute } from '#tests/utils/route.ts'

/**
 * Undoing an import (issue #20 item 13): the residents it added who have done nothing are removed and
 * taken out of the figures; anyone who started (learning, a PIN, a corrected record) is kept and
 * listed; one confirm step; audited; the rollups still equal the raw tables.
 */
const COMMUNE = '03721' // Xã Thuận Châu
let serial = 0
const base = 20_000_000 + (Date.now() % 1_000_000) * 40
const phone = () => `05${String(base + serial++).padStart(8, '0')}`

const cookies = { staff: '', other: '' }
let staffId = ''
beforeAll(async () => {
	staffId = await staff(COMMUNE)
	cookies.staff = await sessionCookie(staffId)
	cookies.other = await sessionCookie(await staff('03646'))
})

const undo = (jobId: string, who: keyof typeof cookies, fields: Record<string, string>) => {
	const body = new FormData()
	for (const [k, v] of Object.entries(fields)) body.set(k, v)
	return callRoute(jobRoute, 'action', { url: `/staff/import/${jobId}`, params: { jobId }, cookie: cookies[who], body })
}

async function registeredFigures() {
	const [month, , year] = periodsOf(new Date())
	const sum = async (period: string) =>
		(await prisma.periodStat.aggregate({ where: { communeCode: COMMUNE, period, courseId: '' }, _sum: { registered: true } }))._sum.registered ?? 0
	const cells = (await prisma.periodCellStat.aggregate({ where: { communeCode: COMMUNE, period: year! }, _sum: { registered: true } }))._sum.registered ?? 0
	return { month: await sum(month!), year: await sum(year!), cells, residents: await prisma.user.count({ where: { registeredCommuneCode: COMMUNE } }) }
}

async function importFive() {
	const phones = Array.from({ length: 5 }, phone)
	const names = ['Lò Văn Một', 'Lò Văn Hai', 'Lò Thị Ba', 'Lò Thị Bốn', 'Lò Văn Năm']
	const csv = `Họ và tên,Số điện thoại,Năm sinh,Giới tính,Dân tộc\n${phones.map((p, i) => `${names[i]},${p},${1950 + i * 7},${i % 2 ? 'Nữ' : 'Nam'},Thái`).join('\n')}\n`
	const scope = { admin: false, provinceCodes: [], communeCodes: [COMMUNE] }
	const job = await previewImport({ scope, staffId, communeCode: COMMUNE, fileName: 'nham.csv', bytes: new TextEncoder().encode(csv) })
	await confirmImport({ scope, staffId, jobId: job!.id, consent: { noticeGiven: true, ethnicity: true } })
	const users = await prisma.user.findMany({ where: { phone: { in: phones } }, select: { id: true, phone: true } })
	const id = (i: number) => users.find((u) => u.phone === phones[i])!.id
	return { jobId: job!.id, phones, id }
}

describe('undoing an import', () => {
	test('removes those who did nothing, keeps and lists the others, counted out of the figures exactly; confirm first; once; audited', async () => {
		const before = await registeredFigures()
		const { jobId, phones, id } = await importFive()
		expect(await registeredFigures()).toEqual({ month: before.month + 5, year: before.year + 5, cells: before.cells + 5, residents: before.residents + 5 })
		// One started learning, one set a PIN, one had their record corrected; two did nothing.
		await enrolResident({ userId: id(0), courseId: getCourseBySlug('smartphone')!.id, enrolledById: staffId })
		await prisma.user.update({ where: { id: id(1) }, data: { credentialKind: 'PIN', passwordHash: 'x' } })
		await new Promise((r) => setTimeout(r, 1100))
		await prisma.user.update({ where: { id: id(2) }, data: { village: 'Bản Mới' } })
		const afterLearning = await registeredFigures()

		// The confirm step lists who will be kept and why; nothing changes yet.
		const asking = await callRoute(jobRoute, 'loader', { url: `/staff/import/${jobId}?undo=confirm`, params: { jobId }, cookie: cookies.staff })
		expect(asking.body).toMatchObject({
			undo: {
				asking: true,
				removable: 2,
				kept: [
					{ id: id(0), kept: 'learning' },
					{ id: id(1), kept: 'signedIn' },
					{ id: id(2), kept: 'corrected' },
				],
			},
		})
		// Without the confirm step's button: refused with a message, nothing removed.
		expect(await undo(jobId, 'staff', { intent: 'undo' })).toMatchObject({ status: 400, body: { message: 'staff:import.undo.errors.confirmFirst' } })
		// Staff of another commune do not find the import.
		expect((await undo(jobId, 'other', { intent: 'undo', confirmed: 'yes' })).status).toBe(404)
		expect(await prisma.user.count({ where: { phone: { in: phones } } })).toBe(5)

		expect((await undo(jobId, 'staff', { intent: 'undo', confirmed: 'yes' })).status).toBe(302)
		const left = await prisma.user.findMany({ where: { phone: { in: phones } }, select: { id: true } })
		expect(left.map((u) => u.id).sort()).toEqual([id(0), id(1), id(2)].sort())
		expect(await registeredFigures()).toEqual({
			month: afterLearning.month - 2,
			year: afterLearning.year - 2,
			cells: afterLearning.cells - 2,
			residents: afterLearning.residents - 2,
		})
		// The kept one's enrolment is untouched.
		expect(await prisma.enrolment.count({ where: { userId: id(0) } })).toBe(1)
		expect(await yearlyDrift(prisma, [COMMUNE])).toEqual([])
		expect(await prisma.auditLog.findFirst({ where: { action: 'import.undo', actorId: staffId }, orderBy: { id: 'desc' } })).toMatchObject({
			communeCode: COMMUNE,
			details: { jobId, removed: 2, kept: 3, keptBecause: { learning: 1, signedIn: 1, corrected: 1, role: 0 } },
		})
		const done = await callRoute(jobRoute, 'loader', { url: `/staff/import/${jobId}`, params: { jobId }, cookie: cookies.staff })
		expect(done.body).toMatchObject({ undo: { asking: false, removed: 2, kept: [{ kept: 'learning' }, { kept: 'signedIn' }, { kept: 'corrected' }] } })

		// Once only: a second undo changes nothing.
		expect(await undo(jobId, 'staff', { intent: 'undo', confirmed: 'yes' })).toMatchObject({
			status: 409,
			body: { message: 'staff:import.undo.errors.already' },
		})
		expect(await prisma.user.count({ where: { phone: { in: phones } } })).toBe(3)
		expect((await registeredFigures()).year).toBe(afterLearning.year - 2)
	})

	test('an import still in preview cannot be undone', async () => {
		const scope = { admin: false, provinceCodes: [], communeCodes: [COMMUNE] }
		const job = await previewImport({
			scope,
			staffId,
			communeCode: COMMUNE,
			fileName: 'x.csv',
			bytes: new TextEncoder().encode(`Họ và tên,Số điện thoại\nLò Văn Chờ,${phone()}\n`),
		})
		expect(await undo(job!.id, 'staff', { intent: 'undo', confirmed: 'yes' })).toMatchObject({
			status: 409,
			body: { message: 'staff:import.undo.errors.notDone' },
		})
	})
})
