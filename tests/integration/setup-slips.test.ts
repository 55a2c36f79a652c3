import { describe, expect, test } from 'vitest'
import * as residentRoute from '#app/routes/staff+/residents.$residentId.tsx'
import * as slipRoute from '#app/routes/staff+/residents.$residentId_.slip.tsx'
import * as batchRoute from '#app/routes/staff+/import.$jobId_.slips.tsx'
import * as jobRoute from '#app/routes/staff+/import.$jobId.tsx'
import * as importRoute from '#app/routes/staff+/import._index.tsx'
import { issueSetupCode, redeemSetupCode } from '#app/modules/people/setup-code.server.ts'
import { formatPhone } from '#app/modules/people/phone.ts'
import { prisma } from '#app/utils/db.server.ts'
import { createSession } from '#app/utils/session.server.ts'
import { callRoute } from '../utils/route.ts'
import { resident, sessionCookie, staff, uniquePhone } from '../utils/factories.ts'

const COMMUNE = '03808'

async function neverActivated(fullName: string) {
	const phone = uniquePhone()
	const id = await resident({ fullName, phone, communeCode: COMMUNE })
	await prisma.user.update({ where: { id }, data: { passwordHash: null, credentialKind: null } })
	return { id, phone }
}

const makeCode = (id: string, cookie: string) =>
	callRoute(residentRoute, 'action', {
		url: `/staff/residents/${id}`,
		params: { residentId: id },
		cookie,
		body: new URLSearchParams({ intent: 'reset-pin' }),
		contentType: 'application/x-www-form-urlencoded',
	})

const slipPage = (id: string, cookie: string) => callRoute(slipRoute, 'loader', { url: `/staff/residents/${id}/slip`, params: { residentId: id }, cookie })

/** The slip cookie the browser keeps from the answer's Set-Cookie, added to the session cookie. */
const withSlip = (session: string, setCookie: string | null) => `${session}; ${setCookie!.split(';')[0]}`

type SlipBody = {
	resident: { activated: boolean }
	slip: { fullName: string; phone: string; code: string } | null
	elsewhere: { expiresAt: string } | null
}

describe('setup slips (issue #20 item 7)', () => {
	test('someone who never had a PIN gets an activation code: labelled so, nothing else changes', async () => {
		const staffCookie = await sessionCookie(await staff(COMMUNE))
		const { id } = await neverActivated('Lò Thị Chưa Có')
		const page = await callRoute(residentRoute, 'loader', { url: `/staff/residents/${id}`, params: { residentId: id }, cookie: staffCookie })
		expect(page.body).toMatchObject({ resident: { activated: false }, activeSlip: false })
		const made = await makeCode(id, staffCookie)
		expect(made.status).toBe(302)
		expect(made.location).toBe(`/staff/residents/${id}/slip`)
		const codes = await prisma.setupCode.findMany({ where: { userId: id }, select: { purpose: true } })
		expect(codes).toEqual([{ purpose: 'ACTIVATE' }])
		const audit = await prisma.auditLog.findMany({
			where: { targetUserId: id, action: { in: ['resident.setup-code', 'resident.reset-pin'] } },
			select: { action: true },
		})
		expect(audit).toEqual([{ action: 'resident.setup-code' }])
	})

	test('someone who had a PIN gets a reset: the PIN and their sessions end', async () => {
		const staffCookie = await sessionCookie(await staff(COMMUNE))
		const id = await resident({ communeCode: COMMUNE })
		await createSession(id)
		const made = await makeCode(id, staffCookie)
		expect(made.status).toBe(302)
		expect(await prisma.setupCode.findMany({ where: { userId: id }, select: { purpose: true } })).toEqual([{ purpose: 'RESET' }])
		expect(await prisma.user.findUniqueOrThrow({ where: { id }, select: { credentialKind: true } })).toEqual({ credentialKind: null })
		expect(await prisma.session.count({ where: { userId: id } })).toBe(0)
	})

	test('the slip shows the full name and the full phone, and reloading shows the same code without making another', async () => {
		const staffCookie = await sessionCookie(await staff(COMMUNE))
		const { id, phone } = await neverActivated('Quàng Văn Đủ Tên')
		const made = await makeCode(id, staffCookie)
		const cookie = withSlip(staffCookie, made.headers.get('Set-Cookie'))
		const first = (await slipPage(id, cookie)).body as SlipBody
		expect(first.slip).toMatchObject({ fullName: 'Quàng Văn Đủ Tên', phone: formatPhone(phone) })
		expect(first.slip!.code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/)
		const again = (await slipPage(id, cookie)).body as SlipBody
		expect(again.slip!.code).toBe(first.slip!.code)
		expect(await prisma.setupCode.count({ where: { userId: id } })).toBe(1)
		// The resident's page links to it while the code works.
		const page = await callRoute(residentRoute, 'loader', { url: `/staff/residents/${id}`, params: { residentId: id }, cookie: staffCookie })
		expect(page.body).toMatchObject({ activeSlip: true })
	})

	test('another browser is told a working code exists, never shown it; a code used, replaced or of another resident is not shown', async () => {
		const staffCookie = await sessionCookie(await staff(COMMUNE))
		const { id, phone } = await neverActivated('Cầm Thị Hai Máy')
		const made = await makeCode(id, staffCookie)
		const cookie = withSlip(staffCookie, made.headers.get('Set-Cookie'))
		const elsewhere = (await slipPage(id, staffCookie)).body as SlipBody
		expect(elsewhere.slip).toBeNull()
		expect(elsewhere.elsewhere).not.toBeNull()

		// The kept code sent to another resident's slip page shows nothing of it.
		const other = await neverActivated('Lò Văn Khác')
		const otherPage = (await slipPage(other.id, withSlip(staffCookie, made.headers.get('Set-Cookie')!.replace(`/staff/residents/${id}`, '')))).body as SlipBody
		expect(otherPage.slip).toBeNull()

		// Replaced by a newer code: the old slip is gone.
		const shown = ((await slipPage(id, cookie)).body as SlipBody).slip!.code
		await issueSetupCode({ userId: id, purpose: 'ACTIVATE', createdById: null })
		expect(((await slipPage(id, cookie)).body as SlipBody).slip).toBeNull()

		// Used: gone too.
		const fresh = await makeCode(id, staffCookie)
		const freshCookie = withSlip(staffCookie, fresh.headers.get('Set-Cookie'))
		const code = ((await slipPage(id, freshCookie)).body as SlipBody).slip!.code
		expect(code).not.toBe(shown)
		expect(await redeemSetupCode({ phone, code, pin: '480317' })).toBe(id)
		const after = (await slipPage(id, freshCookie)).body as SlipBody
		expect(after.slip).toBeNull()
		expect(after.elsewhere).toBeNull()
		expect(after.resident.activated).toBe(true)
	})
})

describe('batch slips after an import (issue #20 item 7)', () => {
	const IMPORT_COMMUNE = '03721'
	const csv = (rows: string[]) => `\uFEFFHọ và tên;Số điện thoại;Năm sinh;Giới tính;Dân tộc;Thôn/bản\r\n${rows.join('\r\n')}\r\n`

	async function importDone(rows: string[], cookie: string) {
		const form = new FormData()
		form.set('communeCode', IMPORT_COMMUNE)
		form.set('file', new File([csv(rows)], 'danh-sach.csv', { type: 'text/csv' }))
		const uploaded = await callRoute(importRoute, 'action', { url: '/staff/import', cookie, body: form })
		const jobId = uploaded.location!.split('/').pop()!
		const confirm = new FormData()
		confirm.set('intent', 'confirm')
		confirm.set('noticeGiven', 'on')
		await callRoute(jobRoute, 'action', { url: `/staff/import/${jobId}`, params: { jobId }, cookie, body: confirm })
		for (let i = 0; i < 200; i++) {
			if ((await prisma.importJob.findUniqueOrThrow({ where: { id: jobId } })).status === 'DONE') return jobId
			await new Promise((r) => setTimeout(r, 50))
		}
		throw new Error('import did not finish')
	}

	test('slips for those just imported who have no PIN, with full name and phone; none for others; refused outside the commune', async () => {
		const staffCookie = await sessionCookie(await staff(IMPORT_COMMUNE))
		const otherCookie = await sessionCookie(await staff('03646'))
		const [a, b, c] = [uniquePhone(), uniquePhone(), uniquePhone()]
		const jobId = await importDone(
			[`Quàng Thị Một Lô;${a};1962;Nữ;Thái;Bản Lướt`, `Lò Văn Hai Lô;${b};1958;Nam;Thái;`, `Cầm Văn Ba Lô;${c};1950;Nam;Thái;`],
			staffCookie,
		)
		// One of them has already set a PIN: no slip for them.
		const c_ = await prisma.user.findUniqueOrThrow({ where: { phone: c }, select: { id: true } })
		await prisma.user.update({ where: { id: c_.id }, data: { passwordHash: 'x', credentialKind: 'PIN' } })

		const done = await callRoute(jobRoute, 'loader', { url: `/staff/import/${jobId}`, params: { jobId }, cookie: staffCookie })
		expect(done.body).toMatchObject({ withoutPin: 2 })
		const page = await callRoute(batchRoute, 'loader', { url: `/staff/import/${jobId}/slips`, params: { jobId }, cookie: staffCookie })
		expect(page.body).toMatchObject({ count: 2, names: ['Quàng Thị Một Lô', 'Lò Văn Hai Lô'] })

		const make = (cookie: string, intent = 'make-slips') =>
			callRoute(batchRoute, 'action', {
				url: `/staff/import/${jobId}/slips`,
				params: { jobId },
				cookie,
				body: new URLSearchParams({ intent }),
				contentType: 'application/x-www-form-urlencoded',
			})
		expect((await make(otherCookie)).status).toBe(404)
		expect((await make(staffCookie, 'other')).status).toBe(400)
		expect(await prisma.setupCode.count({ where: { user: { phone: { in: [a, b, c] } } } })).toBe(0)

		const made = await make(staffCookie)
		expect(made.status).toBe(200)
		const slips = (made.body as { slips: { fullName: string; phone: string; code: string }[] }).slips
		expect(slips.map((s) => [s.fullName, s.phone])).toEqual([
			['Quàng Thị Một Lô', formatPhone(a)],
			['Lò Văn Hai Lô', formatPhone(b)],
		])
		// Each code works for its own resident.
		expect(await redeemSetupCode({ phone: a, code: slips[0]!.code, pin: '480317' })).not.toBeNull()
		expect(await prisma.setupCode.count({ where: { userId: c_.id } })).toBe(0)
		const after = await callRoute(batchRoute, 'loader', { url: `/staff/import/${jobId}/slips`, params: { jobId }, cookie: staffCookie })
		expect(after.body).toMatchObject({ count: 1, names: ['Lò Văn Hai Lô'] })
	})
})
