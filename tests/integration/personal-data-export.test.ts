import { beforeAll, describe, expect, test } from 'vitest'
import * as staffMemberRoute from '#app/routes/province+/staff.$userId.tsx'
import * as exportRoute from '#app/routes/staff+/export.tsx'
import * as residentRoute from '#app/routes/staff+/residents.$residentId.tsx'
import * as residentsRoute from '#app/routes/staff+/residents._index.tsx'
import * as homeRoute from '#app/routes/staff+/index.tsx'
import { grantRole } from '#app/modules/people/staff.server.ts'
import { acceptNotice } from '#app/modules/people/consent.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { officer, resident, sessionCookie, staff } from '#tests/utils/factories.ts'
import { callRoute } from '#tests/utils/route.ts'

/**
 * Issue #16: the residents list (names, phones) goes to the commune staff who hold the residents; a
 * province officer gets it only with an administrator's explicit, audited permission for the province.
 */
const COMMUNE = '03646'
const cookies = { staff: '', officer: '', colleague: '', admin: '' }
let officerId = ''
let assignmentId = ''
let residentId = ''

const download = (who: keyof typeof cookies) => callRoute(exportRoute, 'loader', { url: `/staff/export?format=csv&commune=${COMMUNE}`, cookie: cookies[who] })
function setPermission(who: keyof typeof cookies, intent: 'personal-data-grant' | 'personal-data-revoke') {
	const body = new URLSearchParams({ intent, assignmentId })
	return callRoute(staffMemberRoute, 'action', {
		url: `/province/staff/${officerId}`,
		params: { userId: officerId },
		cookie: cookies[who],
		body,
		contentType: 'application/x-www-form-urlencoded',
	})
}

beforeAll(async () => {
	residentId = await resident({ fullName: 'Lường Thị Dữ Liệu', communeCode: COMMUNE, provinceCode: '14' })
	cookies.staff = await sessionCookie(await staff(COMMUNE))
	officerId = await officer('14', { communeCode: COMMUNE })
	cookies.officer = await sessionCookie(officerId)
	cookies.colleague = await sessionCookie(await officer('14', { communeCode: COMMUNE }))
	const adminId = await resident({ fullName: 'Quản Trị', communeCode: COMMUNE, provinceCode: '14' })
	await grantRole({ userId: adminId, role: 'ADMIN', grantedById: null })
	await acceptNotice({ userId: adminId, kind: 'staff', channel: 'SEED' }) // read the staff notice (ADR 028)
	cookies.admin = await sessionCookie(adminId)
	assignmentId = (await prisma.roleAssignment.findFirstOrThrow({ where: { userId: officerId, role: 'PROVINCE_OFFICER' } })).id
})

describe('the residents export (names, phones)', () => {
	test('commune staff download it, as before', async () => {
		const { status, response } = await download('staff')
		expect(status).toBe(200)
		expect(await response!.text()).toContain('Lường Thị Dữ Liệu')
	})

	test('a province officer and an administrator get 403 with a localised reason, and nothing is exported or logged', async () => {
		const before = await prisma.auditLog.count({ where: { action: 'export.residents' } })
		for (const who of ['officer', 'admin'] as const) {
			const { status, body } = await download(who)
			expect(status, who).toBe(403)
			expect(body).toEqual({ message: 'staff:export.errors.personalData' })
		}
		expect(await prisma.auditLog.count({ where: { action: 'export.residents' } })).toBe(before)
	})

	test('an officer cannot give the permission (to themselves or a colleague); an administrator can, audited, and can take it back', async () => {
		for (const who of ['officer', 'colleague'] as const) {
			const { status, body } = await setPermission(who, 'personal-data-grant')
			expect(status, who).toBe(403)
			// What was refused is an action, not a page ("you may not see this page" would be wrong here).
			expect(body).toEqual({ message: 'auth:staffAdmin.actionNotAllowed' })
		}
		expect((await prisma.roleAssignment.findUniqueOrThrow({ where: { id: assignmentId } })).personalDataExport).toBe(false)
		expect((await download('officer')).status).toBe(403)

		expect((await setPermission('admin', 'personal-data-grant')).status).toBe(302)
		expect(await prisma.auditLog.findFirst({ where: { action: 'staff.grant', targetUserId: officerId }, orderBy: { id: 'desc' } })).toMatchObject({
			provinceCode: '14',
			details: { role: 'PROVINCE_OFFICER', permission: 'personalDataExport' },
		})
		const allowed = await download('officer')
		expect(allowed.status).toBe(200)
		expect(await allowed.response!.text()).toContain('Lường Thị Dữ Liệu')
		expect(await prisma.auditLog.findFirst({ where: { action: 'export.residents' }, orderBy: { id: 'desc' } })).toMatchObject({ communeCode: COMMUNE })
		// The permission is the officer's own: a colleague of the same province still gets aggregates only.
		expect((await download('colleague')).status).toBe(403)

		expect((await setPermission('admin', 'personal-data-revoke')).status).toBe(302)
		expect(await prisma.auditLog.findFirst({ where: { action: 'staff.revoke', targetUserId: officerId }, orderBy: { id: 'desc' } })).toMatchObject({
			details: { role: 'PROVINCE_OFFICER', permission: 'personalDataExport' },
		})
		expect((await download('officer')).status).toBe(403)
	})
})

describe('the pages that name residents follow the same rule (issue #16)', () => {
	const page = (who: keyof typeof cookies) =>
		callRoute(residentRoute, 'loader', { url: `/staff/residents/${residentId}`, params: { residentId }, cookie: cookies[who] })
	const list = (who: keyof typeof cookies) => callRoute(residentsRoute, 'loader', { url: `/staff/residents?commune=${COMMUNE}`, cookie: cookies[who] })
	const listAll = (who: keyof typeof cookies) => callRoute(residentsRoute, 'loader', { url: '/staff/residents', cookie: cookies[who] })
	const home = (who: keyof typeof cookies) => callRoute(homeRoute, 'loader', { url: `/staff?commune=${COMMUNE}`, cookie: cookies[who] })
	const resetPin = (who: keyof typeof cookies) =>
		callRoute(residentRoute, 'action', {
			url: `/staff/residents/${residentId}`,
			params: { residentId },
			cookie: cookies[who],
			body: new URLSearchParams({ intent: 'reset-pin' }),
			contentType: 'application/x-www-form-urlencoded',
		})

	test("an officer gets a resident's page, the list and the named lists only while an administrator allows it; nothing is changed when refused", async () => {
		for (const who of ['officer', 'admin'] as const) {
			for (const answer of [await page(who), await list(who), await listAll(who)]) {
				expect(answer.status, who).toBe(403)
				expect(answer.body).toEqual({ message: 'staff:export.errors.personalData' })
			}
			const before = await prisma.setupCode.count({ where: { userId: residentId } })
			expect((await resetPin(who)).status, who).toBe(403)
			expect(await prisma.setupCode.count({ where: { userId: residentId } })).toBe(before)
			// The commune's figures stay; who needs help and who registered lately are not named.
			const { status, body } = await home(who)
			expect(status).toBe(200)
			expect(body).toMatchObject({ canExport: false, help: [], recent: [] })
		}
		expect((await page('staff')).status).toBe(200)
		expect(((await home('staff')).body as { recent: { fullName: string }[] }).recent.map((r) => r.fullName)).toContain('Lường Thị Dữ Liệu')

		expect((await setPermission('admin', 'personal-data-grant')).status).toBe(302)
		expect((await page('officer')).status).toBe(200)
		expect((await list('officer')).status).toBe(200)
		// Searched across the province (other files of this worker add residents: page 1 may not hold her).
		const found = await callRoute(residentsRoute, 'loader', { url: `/staff/residents?q=${encodeURIComponent('Dữ Liệu')}`, cookie: cookies.officer })
		expect(JSON.stringify(found.body)).toContain('Lường Thị Dữ Liệu')
		expect((await home('officer')).body).toMatchObject({ canExport: true })
		expect((await page('colleague')).status).toBe(403)

		expect((await setPermission('admin', 'personal-data-revoke')).status).toBe(302)
		expect((await page('officer')).status).toBe(403)
		expect((await list('officer')).status).toBe(403)
	})
})
