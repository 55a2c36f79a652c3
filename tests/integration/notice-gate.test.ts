import { describe, expect, test } from 'vitest'
import { NOTICE_VERSION } from '#app/kernel/privacy.ts'
import { scopeFromRoles } from '#app/kernel/scope.ts'
import { appointStaff } from '#app/modules/people/staff.server.ts'
import { holdPendingSignIn, PENDING_MINUTES, resolveVneidSignIn } from '#app/modules/people/vneid.server.ts'
import * as root from '#app/root.tsx'
import * as callback from '#app/routes/_auth+/auth.vneid.callback.tsx'
import * as complete from '#app/routes/me+/complete.tsx'
import * as myData from '#app/routes/me+/data.tsx'
import * as erase from '#app/routes/me+/erase.tsx'
import * as me from '#app/routes/me+/index.tsx'
import * as notice from '#app/routes/me+/notice.tsx'
import * as staffHome from '#app/routes/staff+/index.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { runHousekeeping } from '#app/utils/housekeeping.server.ts'
import { resident, sessionCookie } from '#tests/utils/factories.ts'
import { callRoute } from '#tests/utils/route.ts'

/**
 * ADR 028: nobody uses the platform before agreeing to the current notice. A first VNeID sign-in
 * makes no account until the notice is agreed to; appointed staff read the staff notice on their
 * first sign-in; older accounts and every account after the notice changes agree again, and a
 * resident who does not can still see and erase their data.
 */
const COMMUNE = '03721' // Xã Thuận Châu, Sơn La
let seq = Math.floor(Math.random() * 8_000_000)
const nextPhone = () => `036${1_000_000 + seq++}`

const form = (fields: Record<string, string>) => {
	const body = new FormData()
	for (const [k, v] of Object.entries(fields)) body.set(k, v)
	return body
}
const consentsOf = (userId: string) =>
	prisma.consent.findMany({ where: { userId }, orderBy: { givenAt: 'asc' }, select: { purpose: true, noticeVersion: true, channel: true, withdrawnAt: true } })

describe('a first VNeID sign-in', () => {
	async function pendingCookie(claims: Parameters<typeof holdPendingSignIn>[0], now?: Date) {
		const outcome = await resolveVneidSignIn(claims)
		expect(outcome.kind).toBe('new')
		return (await holdPendingSignIn(claims, now)).split(';')[0]!
	}
	const completion = {
		fullName: 'Quàng Văn Chờ',
		birthYear: '1966',
		sex: 'MALE',
		ethnicGroup: 'not-stated',
		learnerGroup: 'RESIDENT',
		provinceCode: '14',
		communeCode: COMMUNE,
	}

	test('makes no account until the notice is agreed to on /me/complete, then one, counted, with its consents', async () => {
		const subject = `pending-${seq}`
		const phone = nextPhone()
		const cookie = await pendingCookie({ sub: subject, phone, phoneVerified: true, name: 'Quàng Văn Chờ', birthYear: 1966, sex: 'MALE' })
		const none = { OR: [{ vneidSubject: subject }, { phone }, { fullName: 'Quàng Văn Chờ' }] }
		expect(await prisma.user.count({ where: none })).toBe(0)

		// The form shows the notice and what VNeID sent, to someone not signed in.
		const page = await callRoute(complete, 'loader', { url: '/me/complete', cookie })
		expect(page.status).toBe(200)
		expect(page.body).toMatchObject({ defaults: { fullName: 'Quàng Văn Chờ', birthYear: '1966', sex: 'MALE' } })

		// Without the box ticked: refused on it, still nobody.
		const refused = await callRoute(complete, 'action', { url: '/me/complete', cookie, body: form(completion) })
		expect(refused.status).toBe(400)
		expect(JSON.stringify(refused.body)).toContain('privacy:errors.consentRequired')
		expect(await prisma.user.count({ where: none })).toBe(0)

		const before = await registeredIn(COMMUNE)
		const done = await callRoute(complete, 'action', { url: '/me/complete', cookie, body: form({ ...completion, consent: 'on' }) })
		expect(done.status).toBe(302)
		expect(done.location).toBe('/me')
		expect(done.headers.get('Set-Cookie')).toContain('hvs_session=')
		const user = await prisma.user.findUniqueOrThrow({ where: { vneidSubject: subject } })
		expect(user).toMatchObject({ phone, fullName: 'Quàng Văn Chờ', communeCode: COMMUNE, registeredVia: 'VNEID', ethnicGroup: 'not-stated' })
		expect(await consentsOf(user.id)).toEqual([{ purpose: 'LEARNING', noticeVersion: NOTICE_VERSION, channel: 'VNEID', withdrawnAt: null }])
		expect(await registeredIn(COMMUNE)).toBe(before + 1)

		// The pending sign-in is used up: the same cookie makes nothing more.
		const again = await callRoute(complete, 'action', { url: '/me/complete', cookie, body: form({ ...completion, consent: 'on' }) })
		expect(again.location).toMatch(/^\/login/)
		expect(await prisma.user.count({ where: { vneidSubject: subject } })).toBe(1)
	})

	test('an abandoned one leaves nothing behind: expired, it cannot be completed, and housekeeping deletes its claims', async () => {
		const subject = `abandoned-${seq}`
		const longAgo = new Date(Date.now() - (PENDING_MINUTES + 1) * 60_000)
		const cookie = await pendingCookie({ sub: subject, phone: nextPhone(), phoneVerified: true, name: 'Lò Thị Bỏ Dở' }, longAgo)
		expect(await prisma.pendingSignIn.count({ where: { claims: { path: ['sub'], equals: subject } } })).toBe(1)
		// Expired: the page is for a signed-in person only, so it sends to sign-in; the action too.
		expect((await callRoute(complete, 'loader', { url: '/me/complete', cookie })).location).toMatch(/^\/login/)
		const late = await callRoute(complete, 'action', { url: '/me/complete', cookie, body: form({ ...completion, fullName: 'Lò Thị Bỏ Dở', consent: 'on' }) })
		expect(late.location).toMatch(/^\/login/)
		expect(await prisma.user.count({ where: { OR: [{ vneidSubject: subject }, { fullName: 'Lò Thị Bỏ Dở' }] } })).toBe(0)

		const { pendingSignIns } = await runHousekeeping()
		expect(pendingSignIns).toBeGreaterThanOrEqual(1)
		expect(await prisma.pendingSignIn.count({ where: { claims: { path: ['sub'], equals: subject } } })).toBe(0)
	})

	test('the callback route answers 404 without VNeID configured (nothing is held)', async () => {
		const before = await prisma.pendingSignIn.count()
		expect((await callRoute(callback, 'loader', { url: '/auth/vneid/callback?code=x&state=y' })).status).toBe(404)
		expect(await prisma.pendingSignIn.count()).toBe(before)
	})
})

async function registeredIn(communeCode: string) {
	const rows = await prisma.periodStat.aggregate({
		where: { communeCode, courseId: '', period: { in: [String(new Date().getUTCFullYear()), String(new Date().getUTCFullYear() - 1)] } },
		_sum: { registered: true },
	})
	return rows._sum.registered ?? 0
}

describe('staff appointed on /province/staff', () => {
	test('see the staff notice on their first sign-in, and their agreement is recorded (staff notice, this version, by themselves)', async () => {
		const actor = await prisma.user.create({ data: { fullName: 'Cán Bộ Tỉnh Giao' } })
		const { userId } = await appointStaff({
			scope: scopeFromRoles([{ role: 'PROVINCE_OFFICER', provinceCode: '14', communeCode: null }]),
			actorId: actor.id,
			phone: nextPhone(),
			fullName: 'Lò Văn Được Giao',
			role: 'COMMUNE_STAFF',
			communeCode: COMMUNE,
		})
		expect(await consentsOf(userId)).toEqual([])
		const cookie = await sessionCookie(userId)
		const home = await callRoute(staffHome, 'loader', { url: '/staff', cookie })
		expect(home.status).toBe(302)
		expect(home.location).toBe('/me/notice?redirectTo=%2Fstaff')

		const page = await callRoute(notice, 'loader', { url: '/me/notice?redirectTo=%2Fstaff', cookie })
		expect(page.body).toMatchObject({ kind: 'staff', redirectTo: '/staff' })
		const unticked = await callRoute(notice, 'action', { url: '/me/notice', cookie, body: form({ redirectTo: '/staff' }) })
		expect(unticked.status).toBe(400)
		expect(unticked.body).toEqual({ error: 'privacy:errors.noticeRequired' })
		expect(await consentsOf(userId)).toEqual([])

		const agreed = await callRoute(notice, 'action', { url: '/me/notice', cookie, body: form({ redirectTo: '/staff', agree: 'yes' }) })
		expect(agreed.location).toBe('/staff')
		expect(await consentsOf(userId)).toEqual([{ purpose: 'STAFF', noticeVersion: NOTICE_VERSION, channel: 'SELF', withdrawnAt: null }])
		expect((await callRoute(staffHome, 'loader', { url: '/staff', cookie })).status).toBe(200)
		// Agreeing in a second tab adds nothing.
		await callRoute(notice, 'action', { url: '/me/notice', cookie, body: form({ redirectTo: '/staff', agree: 'yes' }) })
		expect(await consentsOf(userId)).toHaveLength(1)
	})
})

describe('agreeing again', () => {
	test('after the notice changed: every page sends to /me/notice, which says it changed; agreeing records the new version and goes back', async () => {
		const id = await resident({ phone: nextPhone(), fullName: 'Lò Thị Đồng Ý Cũ', communeCode: COMMUNE })
		// The person agreed to an earlier version of the notice.
		await prisma.consent.updateMany({ where: { userId: id }, data: { noticeVersion: '2025-01-01' } })
		const cookie = await sessionCookie(id)
		expect((await callRoute(me, 'loader', { url: '/me', cookie })).location).toBe('/me/notice?redirectTo=%2Fme')
		// Public pages too (the root loader), keeping where they were going.
		expect((await callRoute(root, 'loader', { url: '/courses/smartphone?x=1', cookie })).location).toBe('/me/notice?redirectTo=%2Fcourses%2Fsmartphone%3Fx%3D1')
		const page = await callRoute(notice, 'loader', { url: '/me/notice?redirectTo=%2Fme', cookie })
		expect(page.body).toMatchObject({ kind: 'resident', changed: true })

		const agreed = await callRoute(notice, 'action', { url: '/me/notice', cookie, body: form({ redirectTo: '/me', agree: 'yes' }) })
		expect(agreed.location).toBe('/me')
		expect((await consentsOf(id)).map((c) => [c.purpose, c.noticeVersion, c.channel])).toEqual([
			['LEARNING', '2025-01-01', 'SELF'],
			['ETHNICITY', '2025-01-01', 'SELF'],
			['LEARNING', NOTICE_VERSION, 'SELF'],
		])
		expect((await callRoute(me, 'loader', { url: '/me', cookie })).status).toBe(200)
		// Once agreed, the notice page goes straight on.
		expect((await callRoute(notice, 'loader', { url: '/me/notice?redirectTo=%2Fcourses', cookie })).location).toBe('/courses')
	})

	test('an account with no consent at all (made before consents were kept) is asked too; a refusing resident still sees and erases their data', async () => {
		const id = await resident({ phone: nextPhone(), fullName: 'Lò Văn Chưa Đồng Ý', communeCode: COMMUNE })
		await prisma.consent.deleteMany({ where: { userId: id } })
		const cookie = await sessionCookie(id)
		expect((await callRoute(me, 'loader', { url: '/me', cookie })).location).toBe('/me/notice?redirectTo=%2Fme')
		expect((await callRoute(notice, 'loader', { url: '/me/notice', cookie })).body).toMatchObject({ kind: 'resident', changed: false })
		// Seeing, downloading and erasing one's data need no agreement.
		expect((await callRoute(myData, 'loader', { url: '/me/data', cookie })).status).toBe(200)
		expect((await callRoute(erase, 'loader', { url: '/me/erase', cookie })).status).toBe(200)
		expect((await callRoute(root, 'loader', { url: '/me/erase', cookie })).status).toBe(200)
		// An unsafe target is not followed.
		const agreed = await callRoute(notice, 'action', { url: '/me/notice', cookie, body: form({ redirectTo: '//evil.example', agree: 'yes' }) })
		expect(agreed.location).toBe('/me')
	})

	test('a VNeID account made before ADR 028, still without a commune, is sent to complete its profile (which shows the notice)', async () => {
		const { id } = await prisma.user.create({ data: { vneidSubject: `legacy-${seq++}`, fullName: 'Lò Văn Cũ', registeredVia: 'VNEID' } })
		const cookie = await sessionCookie(id)
		expect((await callRoute(me, 'loader', { url: '/me', cookie })).location).toBe('/me/complete')
		expect((await callRoute(notice, 'loader', { url: '/me/notice', cookie })).location).toBe('/me/complete')
		expect((await callRoute(notice, 'action', { url: '/me/notice', cookie, body: form({ agree: 'yes' }) })).location).toBe('/me/complete')
		expect(await consentsOf(id)).toEqual([])
		expect((await callRoute(complete, 'loader', { url: '/me/complete', cookie })).status).toBe(200)
	})

	test('a role holder whose staff notice is of an older version reads it again', async () => {
		const id = await resident({ phone: nextPhone(), fullName: 'Cầm Văn Cán Bộ Cũ', communeCode: COMMUNE, via: 'SEED' })
		await prisma.roleAssignment.create({ data: { userId: id, role: 'COMMUNE_STAFF', communeCode: COMMUNE, provinceCode: '14' } })
		await prisma.consent.create({ data: { userId: id, purpose: 'STAFF', noticeVersion: '2025-01-01', channel: 'SELF' } })
		const cookie = await sessionCookie(id)
		// A resident's consent at this version does not stand in for the staff notice.
		expect((await callRoute(staffHome, 'loader', { url: '/staff', cookie })).location).toBe('/me/notice?redirectTo=%2Fstaff')
		expect((await callRoute(notice, 'loader', { url: '/me/notice', cookie })).body).toMatchObject({ kind: 'staff' })
	})
})
