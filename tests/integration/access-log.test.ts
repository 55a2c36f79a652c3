import { beforeAll, describe, expect, test } from 'vitest'
import * as auditRoute from '#app/routes/province+/audit.tsx'
import * as classRoute from '#app/routes/staff+/classes.$classId.tsx'
import * as exportRoute from '#app/routes/staff+/export.tsx'
import * as homeRoute from '#app/routes/staff+/index.tsx'
import * as residentRoute from '#app/routes/staff+/residents.$residentId.tsx'
import * as listRoute from '#app/routes/staff+/residents._index.tsx'
import { AUDIT_ACTIONS } from '#app/modules/audit/audit.server.ts'
import { accessHistoryOf, recordView, VIEW_WINDOW_MINUTES } from '#app/modules/audit/access-log.server.ts'
import { grantRole } from '#app/modules/people/staff.server.ts'
import { acceptNotice } from '#app/modules/people/consent.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { resources } from '#app/utils/i18n.ts'
import { officer, resident, sessionCookie, staff } from '#tests/utils/factories.ts'
import { callRoute } from '#tests/utils/route.ts'

/**
 * Issue #18 item 5 (ADR 019): views, lists and exports of residents' records by staff and officers
 * are recorded — who, when, which record or which filter, and each resident's place in a list —
 * and shown to the province in /province/audit (its provinces only) and to the resident.
 */
const COMMUNE = '03721'
const ids = { a: '', b: '', other: '', staff: '', officer: '', officer12: '', admin: '' }
const cookies = { staff: '', officer: '', officer12: '', admin: '' }
let otherProvinceCommune = ''

beforeAll(async () => {
	ids.a = await resident({ fullName: 'Quàng Văn Truy Cập', communeCode: COMMUNE, village: 'Bản Nhật Ký' })
	ids.b = await resident({ fullName: 'Quàng Thị Truy Cập', communeCode: COMMUNE, village: 'Bản Nhật Ký' })
	const commune12 = await prisma.commune.findFirstOrThrow({ where: { provinceCode: '12' }, select: { code: true } })
	otherProvinceCommune = commune12.code
	ids.other = await resident({ fullName: 'Quàng Văn Tỉnh Khác', provinceCode: '12', communeCode: otherProvinceCommune })
	ids.staff = await staff(COMMUNE, { fullName: 'Lò Văn Cán Bộ Xã' })
	ids.officer = await officer('14', { fullName: 'Tòng Thị Cán Bộ Tỉnh' })
	// An officer the administrator allowed to see residents' records (issue #16): their looks are recorded.
	await prisma.roleAssignment.updateMany({ where: { userId: ids.officer }, data: { personalDataExport: true } })
	ids.officer12 = await officer('12', { fullName: 'Cán Bộ Tỉnh Mười Hai', provinceCode: '12', communeCode: otherProvinceCommune })
	ids.admin = await resident({ fullName: 'Quản Trị Nhật Ký' })
	await grantRole({ userId: ids.admin, role: 'ADMIN', grantedById: null })
	await acceptNotice({ userId: ids.admin, kind: 'staff', channel: 'SEED' }) // read the staff notice (ADR 028)
	for (const who of ['staff', 'officer', 'officer12', 'admin'] as const) cookies[who] = await sessionCookie(ids[who])
})

const searchesOf = (actorId: string) =>
	prisma.auditLog.findMany({ where: { actorId, action: 'resident.search' }, orderBy: { id: 'desc' }, include: { subjects: { orderBy: { rank: 'asc' } } } })

describe('what is recorded', () => {
	test('a search of the residents list: the filter, the commune and each resident shown with their place', async () => {
		const { status } = await callRoute(listRoute, 'loader', { url: `/staff/residents?q=Truy+C%E1%BA%ADp&village=Nh%E1%BA%ADt`, cookie: cookies.staff })
		expect(status).toBe(200)
		const [search] = await searchesOf(ids.staff)
		expect(search).toMatchObject({ communeCode: COMMUNE, provinceCode: '14', targetUserId: null })
		expect(search!.details).toMatchObject({ list: 'residents', q: 'Truy Cập', village: 'Nhật', page: 1, count: 2 })
		// Sorted by name: Quàng Thị before Quàng Văn.
		expect(search!.subjects.map((s) => [s.userId, s.rank])).toEqual([
			[ids.b, 1],
			[ids.a, 2],
		])
	})

	test('an empty result is still a search (the filter was used), with nobody in it', async () => {
		await callRoute(listRoute, 'loader', { url: '/staff/residents?q=Kh%C3%B4ngAiC%C3%B3T%C3%AAnN%C3%A0y', cookie: cookies.staff })
		const [search] = await searchesOf(ids.staff)
		expect(search!.details).toMatchObject({ q: 'KhôngAiCóTênNày', count: 0 })
		expect(search!.subjects).toEqual([])
	})

	test('a later page counts places from the page start', async () => {
		await callRoute(listRoute, 'loader', { url: '/staff/residents?page=2', cookie: cookies.officer })
		const [search] = await searchesOf(ids.officer)
		expect(search).toMatchObject({ provinceCode: '14', communeCode: null })
		if (search!.subjects.length) expect(search!.subjects[0]!.rank).toBe(26)
	})

	test('a bad filter is refused and records nothing', async () => {
		const before = await prisma.auditLog.count({ where: { actorId: ids.staff } })
		const { status } = await callRoute(listRoute, 'loader', { url: '/staff/residents?status=nope', cookie: cookies.staff })
		expect(status).toBe(400)
		expect(await prisma.auditLog.count({ where: { actorId: ids.staff } })).toBe(before)
	})

	test('opening a record is a view; opening it again within the window is the same look; staff history does not list views', async () => {
		const open = () => callRoute(residentRoute, 'loader', { url: `/staff/residents/${ids.a}`, params: { residentId: ids.a }, cookie: cookies.staff })
		const first = await open()
		expect(first.status).toBe(200)
		await open()
		const views = await prisma.auditLog.findMany({ where: { actorId: ids.staff, action: 'resident.view', targetUserId: ids.a } })
		expect(views).toHaveLength(1)
		expect(views[0]).toMatchObject({ communeCode: COMMUNE, provinceCode: '14' })
		expect((first.body as { history: { action: string }[] }).history.map((h) => h.action)).not.toContain('resident.view')
		// Another staff member's look, and a look after the window, are recorded.
		await prisma.auditLog.updateMany({ where: { id: views[0]!.id }, data: { createdAt: new Date(Date.now() - (VIEW_WINDOW_MINUTES + 1) * 60_000) } })
		await open()
		await callRoute(residentRoute, 'loader', { url: `/staff/residents/${ids.a}`, params: { residentId: ids.a }, cookie: cookies.officer })
		expect(await prisma.auditLog.count({ where: { action: 'resident.view', targetUserId: ids.a } })).toBe(3)
	})

	test('a record outside the caller’s scope is a 404 and no view', async () => {
		const { status } = await callRoute(residentRoute, 'loader', {
			url: `/staff/residents/${ids.other}`,
			params: { residentId: ids.other },
			cookie: cookies.staff,
		})
		expect(status).toBe(404)
		expect(await prisma.auditLog.count({ where: { action: 'resident.view', targetUserId: ids.other } })).toBe(0)
	})

	test('the export records every resident in the file', async () => {
		const { status } = await callRoute(exportRoute, 'loader', { url: `/staff/export?format=csv&commune=${COMMUNE}`, cookie: cookies.staff })
		expect(status).toBe(200)
		const exported = await prisma.auditLog.findFirstOrThrow({ where: { actorId: ids.staff, action: 'export.residents' }, include: { subjects: true } })
		expect(exported.subjects.map((s) => s.userId)).toEqual(expect.arrayContaining([ids.a, ids.b]))
		expect(exported.subjects).toHaveLength((exported.details as { count: number }).count)
		expect(exported.subjects.map((s) => s.userId)).not.toContain(ids.staff)
	})

	test('the staff home page and a class page name residents: recorded as lists', async () => {
		await callRoute(homeRoute, 'loader', { url: `/staff?commune=${COMMUNE}`, cookie: cookies.staff })
		const [home] = await searchesOf(ids.staff)
		expect(home!.details).toMatchObject({ list: 'home' })
		expect(home!.subjects.map((s) => s.userId)).toEqual(expect.arrayContaining([ids.a, ids.b]))
		const classSession = await prisma.classSession.create({
			data: {
				clientId: crypto.randomUUID(),
				communeCode: COMMUNE,
				provinceCode: '14',
				courseId: 'smartphone',
				heldOn: new Date('2026-11-02'),
				place: 'Nhà văn hoá',
				lessonIds: [],
				createdById: ids.staff,
			},
		})
		await prisma.classAttendance.create({ data: { classSessionId: classSession.id, userId: ids.a } })
		await callRoute(classRoute, 'loader', { url: `/staff/classes/${classSession.id}`, params: { classId: classSession.id }, cookie: cookies.staff })
		const [list] = await searchesOf(ids.staff)
		expect(list!.details).toMatchObject({ list: 'class', class: classSession.id })
		expect(list!.subjects.map((s) => s.userId)).toEqual([ids.a])
	})

	test('the resident’s history has the views, lists and exports, with their place', async () => {
		const history = await accessHistoryOf(ids.a)
		const actions = new Set(history.map((h) => h.action))
		for (const action of ['resident.view', 'resident.search', 'export.residents']) expect(actions).toContain(action)
		const search = history.find((h) => h.action === 'resident.search' && h.details?.list === 'residents' && h.details.q === 'Truy Cập')
		expect(search).toMatchObject({ rank: 2, actorName: 'Lò Văn Cán Bộ Xã' })
		// Newest first.
		expect(history.map((h) => h.at.getTime())).toEqual([...history.map((h) => h.at.getTime())].sort((x, y) => y - x))
	})

	test('a repeated view inside the window stays one row (recordView alone)', async () => {
		await recordView({ actorId: ids.admin, resident: { id: ids.b, communeCode: COMMUNE, provinceCode: '14' } })
		await recordView({ actorId: ids.admin, resident: { id: ids.b, communeCode: COMMUNE, provinceCode: '14' } })
		expect(await prisma.auditLog.count({ where: { actorId: ids.admin, targetUserId: ids.b, action: 'resident.view' } })).toBe(1)
	})
})

type AuditPage = {
	total: number
	pages: number
	rows: { action: string; actorId: string | null; targetUserId: string | null; rank: number | null; subjects: number }[]
}
const audit = async (who: keyof typeof cookies, query = '') => {
	const result = await callRoute(auditRoute, 'loader', { url: `/province/audit${query}`, cookie: cookies[who] })
	return { status: result.status, page: result.body as AuditPage }
}

describe('/province/audit', () => {
	test('a person filter finds views of the record and the lists the person was in, with their place', async () => {
		const { status, page } = await audit('officer', `?person=${ids.a}`)
		expect(status).toBe(200)
		const actions = page.rows.map((r) => r.action)
		expect(actions).toEqual(expect.arrayContaining(['resident.view', 'resident.search', 'export.residents']))
		expect(page.rows.find((r) => r.action === 'resident.search' && r.rank === 2)).toBeTruthy()
	})

	test('filters by staff member and by action ("access" is views, lists and exports)', async () => {
		const { page } = await audit('officer', `?actor=${ids.staff}&action=resident.view`)
		expect(page.rows.length).toBeGreaterThan(0)
		expect(page.rows.every((r) => r.actorId === ids.staff && r.action === 'resident.view')).toBe(true)
		const access = await audit('officer', `?actor=${ids.staff}&action=access`)
		expect(new Set(access.page.rows.map((r) => r.action))).toEqual(new Set(['resident.view', 'resident.search', 'export.residents']))
	})

	test('filters by date (Vietnam days)', async () => {
		const future = await audit('officer', `?actor=${ids.staff}&from=2099-01-01`)
		expect(future.page.total).toBe(0)
		const past = await audit('officer', `?actor=${ids.staff}&to=2020-01-01`)
		expect(past.page.total).toBe(0)
		const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10)
		const now = await audit('officer', `?actor=${ids.staff}&from=${today}&to=${today}`)
		expect(now.page.total).toBeGreaterThan(0)
	})

	test('an officer of another province sees none of province 14’s entries, whoever is asked for', async () => {
		const { status, page } = await audit('officer12', `?person=${ids.a}`)
		expect(status).toBe(200)
		expect(page.total).toBe(0)
		const byActor = await audit('officer12', `?actor=${ids.staff}`)
		expect(byActor.page.total).toBe(0)
	})

	test('the administrator sees every province', async () => {
		const { page } = await audit('admin', `?person=${ids.a}`)
		expect(page.total).toBeGreaterThan(0)
	})

	test('pages: 50 rows each, the next page follows on', async () => {
		const { page } = await audit('admin')
		if (page.total > 50) {
			expect(page.rows).toHaveLength(50)
			const second = await audit('admin', '?page=2')
			expect(second.page.rows[0]).not.toEqual(page.rows[0])
		}
		expect(page.pages).toBe(Math.max(1, Math.ceil(page.total / 50)))
	})

	test('bad filters are a localised 400, never a 5xx', async () => {
		for (const query of ['?person=a%27%3B--', '?actor=%00', '?action=nope', '?from=2026-02-31', '?to=yesterday', '?page=0', '?page=x']) {
			const { status } = await callRoute(auditRoute, 'loader', { url: `/province/audit${query}`, cookie: cookies.officer })
			expect(status, query).toBe(400)
		}
	})

	test('commune staff and learners may not open it', async () => {
		expect((await audit('staff')).status).toBe(403)
	})
})

test('every audited action has a label in both languages', () => {
	for (const lng of ['vi', 'en'] as const) {
		const labels = resources[lng].audit.actions as Record<string, string>
		for (const action of AUDIT_ACTIONS) expect(labels[action], `${lng} ${action}`).toBeTruthy()
	}
})
