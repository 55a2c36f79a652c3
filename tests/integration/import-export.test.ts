import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, test } from 'vitest'
import { MAX_IMPORT_BYTES } from '#app/modules/people/import.server.ts'
import { formatPhone } from '#app/modules/people/phone.ts'
import { enrolResident, recordLessonCompletion } from '#app/modules/progress/progress.server.ts'
import { getCourseBySlug } from '#app/modules/course/course.server.ts'
import * as exportRoute from '#app/routes/staff+/export.tsx'
import * as jobRoute from '#app/routes/staff+/import.$jobId.tsx'
import * as importRoute from '#app/routes/staff+/import._index.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { completeCourse } from '#tests/fixtures/learning.ts'
import { grantRole } from '#app/modules/people/staff.server.ts'
import { officer, resident, sessionCookie, staff } from '#tests/utils/factories.ts'
import { callRoute } from '#tests/utils/route.ts'

/**
 * The import and export routes as a browser uses them: multipart uploads, hostile files, the
 * background import followed to the end, downloads, and staff of another commune kept out.
 */
const COMMUNE = '03721'
let serial = 0
const base = 10_000_000 + (Date.now() % 1_000_000) * 40
const phone = () => `08${String(base + serial++).padStart(8, '0')}`

const cookies = { staff: '', other: '', officer: '' }
beforeAll(async () => {
	cookies.staff = await sessionCookie(await staff(COMMUNE))
	cookies.other = await sessionCookie(await staff('03646'))
	cookies.officer = await sessionCookie(await officer('14', { communeCode: '03646' }))
})

const call = (
	route: { loader?: unknown; action?: unknown },
	kind: 'loader' | 'action',
	url: string,
	who: keyof typeof cookies,
	{ body, params = {} }: { body?: FormData; params?: Record<string, string> } = {},
) => callRoute(route, kind, { url, params, cookie: cookies[who], body })

function upload(content: Uint8Array | string, { communeCode = COMMUNE, name = 'danh-sach.csv' } = {}) {
	const form = new FormData()
	form.set('communeCode', communeCode)
	form.set('file', new File([content as BlobPart], name, { type: 'text/csv' }))
	return form
}

const csv = (rows: string[]) => `\uFEFFHọ và tên;Số điện thoại;Năm sinh;Giới tính;Dân tộc;Thôn/bản\r\n${rows.join('\r\n')}\r\n`

async function waitForDone(jobId: string) {
	for (let i = 0; i < 200; i++) {
		const job = await prisma.importJob.findUniqueOrThrow({ where: { id: jobId } })
		if (job.status === 'DONE' || job.status === 'FAILED') return job
		await new Promise((r) => setTimeout(r, 50))
	}
	throw new Error('import did not finish')
}

describe('import routes', () => {
	test('upload → preview → confirm → done; the export then holds the new residents with their progress', async () => {
		const [a, b] = [phone(), phone()]
		const file = csv([`Quàng Thị Nhập;${a};1962;Nữ;Thái;Bản Lướt`, `Lò Văn Nhập;${b};1958;Nam;Thái;Bản Lướt`, `Sai Số;0212;1958;Nam;Thái;`])
		const uploaded = await call(importRoute, 'action', '/staff/import', 'staff', { body: upload(file) })
		expect(uploaded.status).toBe(302)
		const jobId = uploaded.location!.split('/').pop()!
		const preview = await call(jobRoute, 'loader', `/staff/import/${jobId}`, 'staff', { params: { jobId } })
		expect(preview.body).toMatchObject({
			job: { status: 'PREVIEW', newRows: 2, invalidRows: 1, presentRows: 0 },
			show: 'invalid',
			rows: [{ line: 4, fullName: 'Sai Số', reasons: [{ key: 'auth:errors.phoneInvalid' }] }],
		})

		const confirm = new FormData()
		confirm.set('intent', 'confirm')
		confirm.set('noticeGiven', 'on')
		confirm.set('ethnicityConsent', 'on')
		const confirmed = await call(jobRoute, 'action', `/staff/import/${jobId}`, 'staff', { body: confirm, params: { jobId } })
		expect(confirmed).toMatchObject({ status: 302, location: `/staff/import/${jobId}` })
		expect(await waitForDone(jobId)).toMatchObject({ status: 'DONE', imported: 2 })
		const done = await call(jobRoute, 'loader', `/staff/import/${jobId}`, 'staff', { params: { jobId } })
		expect(done.body).toMatchObject({ job: { status: 'DONE', imported: 2 } })

		// The new resident learns a lesson; the export shows it.
		const resident = await prisma.user.findUniqueOrThrow({ where: { phone: a } })
		const course = getCourseBySlug('smartphone')!
		await enrolResident({ userId: resident.id, courseId: course.id })
		await recordLessonCompletion({ userId: resident.id, lessonId: course.lessons[0]!.id, clientEventId: crypto.randomUUID(), source: 'CLASS' })
		const { certificateCode } = await completeCourse((await prisma.user.findUniqueOrThrow({ where: { phone: b } })).id, course.id)

		const exported = await call(exportRoute, 'loader', `/staff/export?format=csv&commune=${COMMUNE}`, 'staff')
		expect(exported.status).toBe(200)
		expect(exported.response!.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
		expect(exported.response!.headers.get('Content-Disposition')).toMatch(/^attachment; filename="hoc-vu-so_nguoi-dan_03721_\d{4}-\d{2}-\d{2}\.csv"$/)
		const bytes = new Uint8Array(await exported.response!.arrayBuffer())
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
		const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
		const header = text.slice(1, text.indexOf('\n')).split(',')
		const line = text
			.split('\n')
			.find((l) => l.startsWith('Quàng Thị Nhập,'))!
			.split(',')
		const col = (name: string) => line[header.indexOf(name)]
		// Spaced, so Excel keeps the leading 0 (see residents-export.server.ts).
		expect(col('Số điện thoại')).toBe(formatPhone(a))
		expect(col('Hình thức đăng ký')).toBe('Nhập từ tệp')
		expect(col('Đã đặt mã PIN')).toBe('Không')
		expect(col(`${course.title.vi}: số bài đã học (trên ${course.lessons.length})`)).toBe('1')
		expect(col(`${course.title.vi}: ngày ghi danh`)).toMatch(/^\d{4}-\d{2}-\d{2}$/)
		const other = text
			.split('\n')
			.find((l) => l.startsWith('Lò Văn Nhập,'))!
			.split(',')
		expect(other[header.indexOf(`${course.title.vi}: mã chứng nhận`)]).toBe(certificateCode)
		expect(other[header.indexOf(`${course.title.vi}: ngày hoàn thành`)]).toMatch(/^\d{4}-\d{2}-\d{2}$/)
		expect(other[header.indexOf(`${course.title.vi}: số bài đã học (trên ${course.lessons.length})`)]).toBe(String(course.lessons.length))
		expect(text).not.toContain('Sai Số')
		const count = text.trim().split('\n').length - 1
		const audit = await prisma.auditLog.findFirst({ where: { action: 'export.residents' }, orderBy: { id: 'desc' } })
		expect(audit).toMatchObject({ communeCode: COMMUNE, provinceCode: '14', details: { format: 'csv', count } })
		expect(count).toBe(await prisma.user.count({ where: { communeCode: COMMUNE, roles: { none: {} } } }))

		// The exported file imports again as "already registered" only.
		const again = await call(importRoute, 'action', '/staff/import', 'staff', { body: upload(bytes, { name: 'export.csv' }) })
		const againId = again.location!.split('/').pop()!
		expect(await prisma.importJob.findUniqueOrThrow({ where: { id: againId } })).toMatchObject({ newRows: 0, invalidRows: 0, presentRows: count })

		const xlsx = await call(exportRoute, 'loader', `/staff/export?format=xlsx&commune=${COMMUNE}`, 'staff')
		expect(xlsx.response!.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
		const book = new ExcelJS.Workbook()
		await book.xlsx.load((await xlsx.response!.arrayBuffer()) as ArrayBuffer)
		const sheet = book.worksheets[0]!
		expect(sheet.getRow(1).getCell(1).value).toBe('Họ và tên')
		expect(sheet.rowCount).toBe(count + 1)
		const names = sheet.getColumn(1).values
		expect(names).toContain('Quàng Thị Nhập')
		const row = sheet.getRows(2, count)!.find((r) => r.getCell(1).value === 'Quàng Thị Nhập')!
		expect(row.getCell(2).value).toBe(a) // text, with its leading 0
		expect(await prisma.auditLog.findFirst({ where: { action: 'export.residents' }, orderBy: { id: 'desc' } })).toMatchObject({
			details: { format: 'xlsx', count },
		})
	})

	test.each([
		['a binary file', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), 400, 'staff:import.errors.notCsv'],
		['a damaged Excel workbook', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]), 400, 'staff:import.errors.notSpreadsheet'],
		['an old Excel file (.xls)', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 400, 'staff:import.errors.oldExcel'],
		[
			'a Windows-1258 file',
			new Uint8Array([...new TextEncoder().encode('Họ và tên,Số điện thoại\nH'), 0xe0, 0x2c, 0x30, 0x39]),
			400,
			'staff:import.errors.notUtf8',
		],
		['a file over 5 MB', new Uint8Array(MAX_IMPORT_BYTES + 100_000).fill(0x41), 413, 'staff:import.errors.tooLarge'],
		['an empty file', new Uint8Array(), 400, 'staff:import.errors.noFile'],
		['a CSV without the phone column', new TextEncoder().encode('Họ và tên\nLò Văn A\n'), 400, 'staff:import.errors.missingColumns'],
	])('%s is refused with a message and changes nothing', async (_name, content, status, message) => {
		const [jobs, users] = [await prisma.importJob.count(), await prisma.user.count()]
		const result = await call(importRoute, 'action', '/staff/import', 'staff', { body: upload(content) })
		expect(result.status).toBe(status)
		expect(result.body).toMatchObject({ message })
		expect([await prisma.importJob.count(), await prisma.user.count()]).toEqual([jobs, users])
	})

	test('staff of another commune can neither import into it, nor see, confirm or export it', async () => {
		const file = csv([`Hà Văn Ngoài;${phone()};1970;Nam;Thái;`])
		const [jobs, users, exports] = [
			await prisma.importJob.count(),
			await prisma.user.count(),
			await prisma.auditLog.count({ where: { action: 'export.residents' } }),
		]
		expect((await call(importRoute, 'action', '/staff/import', 'other', { body: upload(file) })).status).toBe(404)
		expect(await prisma.importJob.count()).toBe(jobs)

		const own = await call(importRoute, 'action', '/staff/import', 'staff', { body: upload(file) })
		const jobId = own.location!.split('/').pop()!
		expect((await call(jobRoute, 'loader', `/staff/import/${jobId}`, 'other', { params: { jobId } })).status).toBe(404)
		const confirm = new FormData()
		confirm.set('intent', 'confirm')
		confirm.set('noticeGiven', 'on')
		confirm.set('ethnicityConsent', 'on')
		expect((await call(jobRoute, 'action', `/staff/import/${jobId}`, 'other', { body: confirm, params: { jobId } })).status).toBe(404)
		expect(await prisma.importJob.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ status: 'PREVIEW' })
		expect((await call(exportRoute, 'loader', `/staff/export?format=csv&commune=${COMMUNE}`, 'other')).status).toBe(404)
		expect((await call(exportRoute, 'loader', `/staff/export?format=xlsx&commune=${COMMUNE}`, 'other')).status).toBe(404)
		expect(await prisma.user.count()).toBe(users)
		expect(await prisma.auditLog.count({ where: { action: 'export.residents' } })).toBe(exports)
		// Their own export holds only their own commune.
		const theirs = await call(exportRoute, 'loader', '/staff/export?format=csv', 'other')
		expect(await theirs.response!.text()).not.toContain('Quàng Thị Nhập')
	})

	test('the preview is no phone oracle outside the commune: taken numbers there look new, and confirm refuses them neutrally and changes nothing', async () => {
		// Accounts the staff of 03646 must learn nothing about: a resident of 03721, an officer, and the
		// administrator (who lives in 03646 itself: holding a role hides them as well).
		const [outsider, officerPhone, adminPhone, neighbourPhone] = [phone(), phone(), phone(), phone()]
		await resident({ phone: outsider, fullName: 'Điêu Thị Xa', communeCode: COMMUNE })
		await officer('14', { phone: officerPhone, fullName: 'Hoàng Văn Tỉnh' })
		const admin = await resident({ phone: adminPhone, fullName: 'Vì Văn Quản', communeCode: '03646' })
		await grantRole({ userId: admin, role: 'ADMIN', grantedById: null })
		await resident({ phone: neighbourPhone, fullName: 'Lường Thị Gần', communeCode: '03646' })
		const taken = [outsider, officerPhone, adminPhone]
		const names = ['Người Một', 'Người Hai', 'Người Ba']
		const file = (phones: string[]) => csv(phones.map((p, i) => `${names[i]};${p};1970;Nam;Thái;Bản Mé`))
		const accounts = () =>
			prisma.user.findMany({
				where: { phone: { in: taken } },
				include: { roles: true, enrolments: true, sessions: true, setupCodes: true },
				orderBy: { phone: 'asc' },
			})
		const before = await accounts()

		// Every tab of the preview, and the stored job, read as they would for numbers nobody has.
		const previewOf = async (phones: string[]) => {
			const uploaded = await call(importRoute, 'action', '/staff/import', 'other', { body: upload(file(phones), { communeCode: '03646' }) })
			expect(uploaded.status).toBe(302)
			const jobId = uploaded.location!.split('/').pop()!
			const pages = []
			for (const show of ['', 'invalid', 'new', 'present', 'refused']) {
				pages.push((await call(jobRoute, 'loader', `/staff/import/${jobId}?show=${show}`, 'other', { params: { jobId } })).body)
			}
			const { rows, totalRows, newRows, presentRows, invalidRows, status } = await prisma.importJob.findUniqueOrThrow({ where: { id: jobId } })
			const anonymous = JSON.stringify({ pages, rows, totalRows, newRows, presentRows, invalidRows, status })
				.replaceAll(jobId, 'JOB')
				.replace(new RegExp(phones.join('|'), 'g'), (p) => `PHONE${phones.indexOf(p)}`)
			return { jobId, anonymous }
		}
		const leaky = await previewOf(taken)
		const fresh = await previewOf([phone(), phone(), phone()])
		expect(leaky.anonymous).toBe(fresh.anonymous)
		expect(JSON.parse(leaky.anonymous).pages[0]).toMatchObject({ job: { newRows: 3, presentRows: 0 }, show: 'new' })

		// At confirm the three are refused with one neutral message and none of their accounts changes.
		const confirm = new FormData()
		confirm.set('intent', 'confirm')
		confirm.set('noticeGiven', 'on')
		confirm.set('ethnicityConsent', 'on')
		await call(jobRoute, 'action', `/staff/import/${leaky.jobId}`, 'other', { body: confirm, params: { jobId: leaky.jobId } })
		expect(await waitForDone(leaky.jobId)).toMatchObject({ status: 'DONE', imported: 0 })
		expect(await accounts()).toEqual(before)
		const done = await call(jobRoute, 'loader', `/staff/import/${leaky.jobId}`, 'other', { params: { jobId: leaky.jobId } })
		expect(done.body).toMatchObject({
			job: { status: 'DONE', imported: 0 },
			show: 'refused',
			rows: taken.map((p, i) => ({ line: i + 2, fullName: names[i], phone: p, reasons: [] })),
		})
		const stored = await prisma.importJob.findUniqueOrThrow({ where: { id: leaky.jobId } })
		const shown = JSON.stringify([done.body, stored])
		for (const account of before) {
			for (const secret of [account.id, account.fullName]) expect(shown).not.toContain(secret)
		}
		expect(shown).not.toMatch(/PROVINCE_OFFICER|ADMIN|03721|Xã Thuận Châu/)

		// A resident of the importing commune, whom its staff see anyway, is still "already registered".
		const own = await call(importRoute, 'action', '/staff/import', 'other', { body: upload(file([neighbourPhone]), { communeCode: '03646' }) })
		const ownId = own.location!.split('/').pop()!
		expect(await prisma.importJob.findUniqueOrThrow({ where: { id: ownId } })).toMatchObject({ newRows: 0, presentRows: 1 })
	})

	test('the commune picker offers the communes in scope, preselecting the one the dashboard links with', async () => {
		expect((await call(importRoute, 'loader', '/staff/import', 'staff')).body).toMatchObject({
			communes: [{ value: COMMUNE, label: 'Xã Thuận Châu' }],
			chosen: COMMUNE,
		})
		const officer = (await call(importRoute, 'loader', `/staff/import?commune=${COMMUNE}`, 'officer')).body as { communes: { value: string }[]; chosen: string }
		expect(officer.chosen).toBe(COMMUNE)
		expect(officer.communes.length).toBeGreaterThan(50)
		expect(officer.communes.every((c) => /^\d{5}$/.test(c.value))).toBe(true)
		expect(((await call(importRoute, 'loader', '/staff/import?commune=03388', 'officer')).body as { chosen: string }).chosen).toBe('') // Lai Châu
	})

	test('the export refuses unknown formats; the template is the header and one example row, in CSV and XLSX', async () => {
		expect(await call(exportRoute, 'loader', '/staff/export?format=pdf', 'staff')).toMatchObject({
			status: 400,
			body: { message: 'staff:export.errors.badFormat' },
		})
		const template = await call(exportRoute, 'loader', '/staff/export?format=template', 'staff')
		expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(await template.response!.arrayBuffer())).toBe(
			'\uFEFFHọ và tên,Số điện thoại,Năm sinh,Giới tính,Dân tộc,Thôn/bản,Nhóm người học\nVí dụ: Lò Thị Mai (xoá dòng này),0912 345 678,1968,Nữ,Thái,Bản Hụm,Người dân\n',
		)
		const xlsx = await call(exportRoute, 'loader', '/staff/export?format=template-xlsx', 'staff')
		expect(xlsx.response!.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
		const book = new ExcelJS.Workbook()
		await book.xlsx.load(await xlsx.response!.arrayBuffer())
		const rows = book.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][]
		expect(rows.map((r) => r.slice(1, 3))).toEqual([
			['Họ và tên', 'Số điện thoại'],
			['Ví dụ: Lò Thị Mai (xoá dòng này)', '0912345678'],
		])
	})

	test('an Excel upload gets the same preview as the CSV of the same list; the example row left in is refused with its reason', async () => {
		const [a, b] = [`07${String(Date.now()).slice(-8)}`, `07${String(Date.now() + 1).slice(-8)}`]
		const book = new ExcelJS.Workbook()
		const sheet = book.addWorksheet('Danh sách')
		sheet.addRow(['Họ và tên', 'Số điện thoại', 'Năm sinh', 'Giới tính'])
		sheet.addRow(['Ví dụ: Lò Thị Mai (xoá dòng này)', '0912345678', 1968, 'Nữ'])
		sheet.addRow(['Quàng Văn Excel', Number(a), 1971, 'Nam'])
		sheet.addRow(['Lường Thị Excel', b, 1990, 'Nữ'])
		const bytes = new Uint8Array(await book.xlsx.writeBuffer())
		const users = await prisma.user.count()
		const result = await call(importRoute, 'action', '/staff/import', 'staff', { body: upload(bytes, { name: 'danh-sach.xlsx' }) })
		expect(result.status).toBe(302)
		const jobId = result.response!.headers.get('Location')!.split('/').pop()!
		const job = await prisma.importJob.findUniqueOrThrow({ where: { id: jobId } })
		expect(job).toMatchObject({ fileName: 'danh-sach.xlsx', totalRows: 3, newRows: 2, invalidRows: 1 })
		expect(job.rows).toEqual([
			expect.objectContaining({ line: 2, status: 'invalid', reasons: [{ key: 'staff:import.reasons.exampleRow' }] }),
			expect.objectContaining({ line: 3, status: 'new', phone: a, fullName: 'Quàng Văn Excel' }),
			expect.objectContaining({ line: 4, status: 'new', phone: b }),
		])
		expect(await prisma.user.count()).toBe(users)
	})
})
