import { expect, test } from 'vitest'
import { collectMyData } from '#app/features/mydata/my-data.server.ts'
import * as verify from '#app/routes/verify+/$code.tsx'
import * as jobRoute from '#app/routes/staff+/import.$jobId.tsx'
import * as importRoute from '#app/routes/staff+/import._index.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { resident, sessionCookie, staff } from '#tests/utils/factories.ts'
import { callRoute } from '#tests/utils/route.ts'
import { completeCourse } from '../fixtures/learning.ts'

/**
 * The access log's last two doors (ADR 028): the public certificate check (the holder learns
 * their certificate was checked and when, with nothing about who checked it) and the import preview
 * (staff seeing the rows of people already registered).
 */
const COMMUNE = '03721' // Xã Thuận Châu, Sơn La
let seq = Math.floor(Math.random() * 8_000_000)
const nextPhone = () => `037${1_000_000 + seq++}`

test('a certificate checked on the public page is in its holder’s data as checked by a visitor, once an hour, with no trace of who', async () => {
	const holder = await resident({ phone: nextPhone(), fullName: 'Lò Thị Có Giấy', communeCode: COMMUNE })
	const other = await resident({ phone: nextPhone(), fullName: 'Lò Văn Không Liên Quan', communeCode: COMMUNE })
	const { certificateCode } = await completeCourse(holder, 'smartphone')
	const code = certificateCode!
	const page = await callRoute(verify, 'loader', {
		url: `/verify/${code}`,
		params: { code },
		headers: { 'User-Agent': 'Kiem-tra-123', 'X-Forwarded-For': '203.0.113.9' },
	})
	expect(page.body).toMatchObject({ found: true, valid: true })
	// Scanned twice: one check.
	await callRoute(verify, 'loader', { url: `/verify/${code.toLowerCase()}`, params: { code: code.toLowerCase() } })

	const rows = await prisma.auditLog.findMany({ where: { action: 'certificate.verify', targetUserId: holder } })
	expect(rows).toHaveLength(1)
	expect(rows[0]).toMatchObject({ actorId: null, communeCode: COMMUNE, provinceCode: '14', details: { code } })
	expect(JSON.stringify({ ...rows[0], id: String(rows[0]!.id) })).not.toMatch(/203\.0\.113\.9|Kiem-tra/)

	const mine = await collectMyData(holder, 'vi')
	expect(mine!.accessLog.filter((a) => a.action === 'certificate.verify')).toEqual([
		{
			action: 'certificate.verify',
			at: rows[0]!.createdAt.toISOString(),
			by: { kind: 'visitor', name: null, unit: null },
			filter: null,
			place: null,
			details: { code },
		},
	])
	expect((await collectMyData(other, 'vi'))!.accessLog.some((a) => a.action === 'certificate.verify')).toBe(false)

	// An unknown code records nothing.
	const before = await prisma.auditLog.count({ where: { action: 'certificate.verify' } })
	await callRoute(verify, 'loader', { url: '/verify/ZZZZZZZZZZ', params: { code: 'ZZZZZZZZZZ' } })
	expect(await prisma.auditLog.count({ where: { action: 'certificate.verify' } })).toBe(before)
})

test('the import preview records, for each registered person on the page shown, who saw their row and where; a page of nobody registered records nothing', async () => {
	const staffId = await staff(COMMUNE, { phone: nextPhone() })
	const cookie = await sessionCookie(staffId)
	const knownPhone = nextPhone()
	const known = await resident({ phone: knownPhone, fullName: 'Lò Thị Đã Có', communeCode: COMMUNE })
	const fresh = [nextPhone(), nextPhone()]
	const form = new FormData()
	form.set('communeCode', COMMUNE)
	const csv = `\uFEFFHọ và tên;Số điện thoại;Năm sinh;Giới tính;Dân tộc\r\nLò Văn Mới Một;${fresh[0]};1970;Nam;Thái\r\nLò Thị Đã Có;${knownPhone};1966;Nữ;Thái\r\nLò Văn Mới Hai;${fresh[1]};1971;Nam;Thái\r\n`
	form.set('file', new File([csv], 'danh-sach.csv', { type: 'text/csv' }))
	const uploaded = await callRoute(importRoute, 'action', { url: '/staff/import', body: form, cookie })
	const jobId = uploaded.location!.split('/').pop()!
	const logged = () => prisma.auditLog.findMany({ where: { action: 'import.preview', actorId: staffId }, include: { subjects: true } })

	// The new rows: nobody registered is on them.
	const newRows = await callRoute(jobRoute, 'loader', { url: `/staff/import/${jobId}?show=new`, params: { jobId }, cookie })
	expect(newRows.status).toBe(200)
	expect(await logged()).toEqual([])

	const present = await callRoute(jobRoute, 'loader', { url: `/staff/import/${jobId}?show=present`, params: { jobId }, cookie })
	expect((present.body as { rows: { phone: string }[] }).rows.map((r) => r.phone)).toEqual([knownPhone])
	const entries = await logged()
	expect(entries).toHaveLength(1)
	expect(entries[0]).toMatchObject({ communeCode: COMMUNE, provinceCode: '14', details: { list: 'import', job: jobId, show: 'present', page: 1 } })
	expect(entries[0]!.subjects.map((s) => [s.userId, s.rank])).toEqual([[known, 1]])
	// Reloaded: the same look.
	await callRoute(jobRoute, 'loader', { url: `/staff/import/${jobId}?show=present`, params: { jobId }, cookie })
	expect(await logged()).toHaveLength(1)

	// The person sees it in their data: the staff member by role and name, the list it was.
	const mine = await collectMyData(known, 'vi')
	expect(mine!.accessLog.find((a) => a.action === 'import.preview')).toMatchObject({
		by: { kind: 'COMMUNE_STAFF', name: 'Cầm Thị Cán Bộ' },
		filter: { list: 'import', job: jobId, show: 'present', page: 1 },
		place: 1,
	})
})
