import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, test } from 'vitest'
import { previousMonth, vietnamDay } from '#app/kernel/calendar.ts'
import { BREAKDOWNS } from '#app/kernel/demographics.ts'
import { getManifest } from '#app/modules/course/course.server.ts'
import { communeDashboard } from '#app/features/workspace/workspace.server.ts'
import { ERASURE_COVERS, eraseResident, ErasureError, reapplyErasures, readLedgerFile, scrub } from '#app/modules/people/erasure.server.ts'
import { issueSetupCode } from '#app/modules/people/setup-code.server.ts'
import { enrolResident, recordLessonCompletion, recordQuizAttempt } from '#app/modules/progress/progress.server.ts'
import { buildExport } from '#app/modules/reporting/export.server.ts'
import { getBreakdown, getIndicators } from '#app/modules/reporting/indicators.server.ts'
import { revokedCertificates } from '#app/modules/reporting/revoked.server.ts'
import { verifyLogin } from '#app/utils/auth.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { getFixedT } from '#app/utils/i18n.server.ts'
import { hashSecret } from '#app/utils/password.server.ts'
import { completeCourse } from '#tests/fixtures/learning.ts'
import { resident, sessionCookie, staff } from '#tests/utils/factories.ts'
import { yearlyDrift } from '#tests/utils/load-check.ts'
import { callRoute } from '#tests/utils/route.ts'
import * as meErase from '#app/routes/me+/erase.tsx'
import * as staffErase from '#app/routes/staff+/residents.$residentId_.erase.tsx'
import * as residentPage from '#app/routes/staff+/residents.$residentId.tsx'
import * as residentList from '#app/routes/staff+/residents._index.tsx'
import * as residentExport from '#app/routes/staff+/export.tsx'
import * as classPage from '#app/routes/staff+/classes.$classId.tsx'
import * as staffHome from '#app/routes/staff+/index.tsx'
import * as verifyPage from '#app/routes/verify+/$code.tsx'

/**
 * Issue #18 item 4 and 7 (ADR 020): an erased person leaves no personal data and no trace on any
 * staff page, search or export; every report figure, for every period and breakdown, is the same
 * before and after; the rollups still equal a raw recomputation (the load run's oracle); the ledger
 * erases them again after a restore brought their rows back.
 */
const COMMUNE = '03646'
const NAME = 'Quàng Thị Xoá Sạch'
const VILLAGE = 'Bản Nà Xoá'
const PIN = '482916'
const core = getManifest()
	.courses.filter((c) => c.core)
	.map((c) => c.id)

let staffCookie: string
let erased: { id: string; phone: string; certificate: string }
let self: { id: string; phone: string; cookie: string }
let other: string
let classId: string
let importId: string

/** Every report figure the province and the commune see: indicators and each breakdown at each granularity over 13 months, the export files, the commune dashboard. */
async function allFigures() {
	const to = vietnamDay(new Date()).slice(0, 7)
	let from = to
	for (let i = 0; i < 12; i++) from = previousMonth(from)
	const t = await getFixedT('vi')
	const out: Record<string, unknown> = {}
	for (const granularity of ['month', 'quarter', 'year'] as const) {
		const query = { provinceCode: '14', from, to, granularity }
		const report = await getIndicators(query)
		out[`indicators.${granularity}`] = report
		for (const by of BREAKDOWNS) {
			const rows = await getBreakdown(query, by)
			out[`breakdown.${granularity}.${by}`] = rows
			const json = await buildExport('json', { report, breakdown: { by, rows }, lng: 'vi', t })
			out[`json.${granularity}.${by}`] = String(json.body)
		}
		// XLSX is the CSV's table in a zip whose bytes carry the time it was made: the CSV stands for it.
		for (const format of ['csv', 'dhis2', 'adx'] as const) {
			const file = await buildExport(format, { report, lng: 'vi', t })
			out[`${format}.${granularity}`] = String(file.body).replace(/exported="[^"]*"/g, '')
		}
	}
	out.dashboard = await communeDashboard({ code: COMMUNE, provinceCode: '14' })
	// "of which N revoked" beside the certificates issued (province dashboard and report).
	out.revoked = (await revokedCertificates({ provinceCode: '14', communeCodes: [COMMUNE], lastMonth: to })).total
	return out
}

/** The commune's rollups against a raw recount of every year (the load run's oracle, scoped to the commune this file writes). */
async function oracle() {
	return (await yearlyDrift(prisma, [COMMUNE])).map((d) => `${d.communeCode}:${d.period}`).sort()
}

beforeAll(async () => {
	const staffId = await staff(COMMUNE)
	staffCookie = await sessionCookie(staffId)
	const phone = '0912870001'
	const id = await resident({ fullName: NAME, phone, communeCode: COMMUNE, village: VILLAGE, ethnicGroup: '03', birthYear: 1970 })
	let certificate = ''
	for (const courseId of core) certificate = (await completeCourse(id, courseId)).certificateCode ?? certificate
	const lesson =
		getManifest()
			.courses.find((c) => !c.core)
			?.lessons.find((l) => l.quiz.vi?.length) ?? null
	if (lesson) await recordQuizAttempt({ userId: id, lessonId: lesson.id, clientEventId: randomUUID(), answers: {} }).catch(() => null)
	await issueSetupCode({ userId: id, purpose: 'RESET', createdById: staffId })
	await sessionCookie(id)
	erased = { id, phone, certificate }

	const selfPhone = '0912870002'
	const selfId = await resident({ fullName: 'Lò Văn Tự Xoá', phone: selfPhone, communeCode: COMMUNE, village: 'Bản Tự' })
	await completeCourse(selfId, core[0]!)
	await prisma.user.update({ where: { id: selfId }, data: { passwordHash: await hashSecret(PIN), credentialKind: 'PIN' } })
	self = { id: selfId, phone: selfPhone, cookie: await sessionCookie(selfId) }

	other = await resident({ fullName: 'Cầm Văn Ở Lại', communeCode: COMMUNE, village: VILLAGE })
	await completeCourse(other, core[0]!)
	await resident({ fullName: 'Lường Thị Xã Khác', communeCode: '03721' })

	const session = await prisma.classSession.create({
		data: {
			clientId: randomUUID(),
			communeCode: COMMUNE,
			provinceCode: '14',
			courseId: core[0]!,
			heldOn: new Date('2026-01-05'),
			place: 'Nhà văn hoá',
			lessonIds: [],
			createdById: staffId,
			attendees: { create: [{ userId: id }, { userId: other }] },
		},
	})
	classId = session.id
	const job = await prisma.importJob.create({
		data: {
			communeCode: COMMUNE,
			provinceCode: '14',
			createdById: staffId,
			fileName: 'ds.csv',
			fileHash: randomUUID(),
			rows: [
				{ line: 2, status: 'present', fullName: NAME, phone },
				{ line: 3, status: 'invalid', fullName: NAME, phone: '+84 912 870 001', reasons: [] },
				{ line: 4, status: 'new', fullName: 'Người Khác', phone: '0912870999' },
			],
			totalRows: 3,
			newRows: 1,
			presentRows: 1,
			invalidRows: 1,
		},
	})
	importId = job.id
	// A staff note about someone else that names the person.
	await prisma.auditLog.create({
		data: { actorId: staffId, action: 'certificate.revoke', communeCode: COMMUNE, details: { code: 'X', note: `đã gọi ${phone}` } },
	})
	await prisma.auditLog.create({
		data: {
			actorId: staffId,
			action: 'resident.update',
			targetUserId: id,
			communeCode: COMMUNE,
			details: { before: { fullName: NAME }, after: { village: VILLAGE } },
		},
	})
})

describe('erasure', () => {
	let before: Awaited<ReturnType<typeof allFigures>>
	let oracleBefore: Awaited<ReturnType<typeof oracle>>

	test('staff record a request made in person: confirmation first, then the person is erased', async () => {
		before = await allFigures()
		// The rollups against a raw recount, before and after: the erasure changes neither. (Compared
		// with each other, not with zero drift: other files of this worker share the database.)
		oracleBefore = await oracle()

		const page = await callRoute(staffErase, 'loader', { url: `/staff/residents/${erased.id}/erase`, params: { residentId: erased.id }, cookie: staffCookie })
		expect(page.status).toBe(200)
		const unconfirmed = await callRoute(staffErase, 'action', {
			params: { residentId: erased.id },
			cookie: staffCookie,
			body: new URLSearchParams({}),
			contentType: 'application/x-www-form-urlencoded',
		})
		expect(unconfirmed.status).toBe(400)
		expect((await prisma.user.findUniqueOrThrow({ where: { id: erased.id } })).erasedAt).toBeNull()
		const done = await callRoute(staffErase, 'action', {
			params: { residentId: erased.id },
			cookie: staffCookie,
			body: new URLSearchParams({ confirm: 'yes' }),
			contentType: 'application/x-www-form-urlencoded',
		})
		expect(done.location).toBe('/staff/residents?erased=1')
	})

	test('no personal field, secret, session, code, progress, answer or activity cell is left', async () => {
		const user = await prisma.user.findUniqueOrThrow({ where: { id: erased.id } })
		expect(user).toMatchObject({
			phone: null,
			fullName: '',
			birthYear: null,
			sex: null,
			ethnicGroup: null,
			village: null,
			passwordHash: null,
			credentialKind: null,
			vneidSubject: null,
		})
		expect(user.erasedAt).not.toBeNull()
		expect(await prisma.session.count({ where: { userId: erased.id } })).toBe(0)
		expect(await prisma.setupCode.count({ where: { userId: erased.id } })).toBe(0)
		expect(await prisma.lessonProgress.count({ where: { userId: erased.id } })).toBe(0)
		expect(await prisma.quizAttempt.count({ where: { userId: erased.id } })).toBe(0)
		expect(await prisma.activePeriod.count({ where: { userId: erased.id } })).toBe(0)
		const events = await prisma.clientEvent.findMany({ where: { userId: erased.id } })
		expect(events.map((e) => [e.kind, e.result])).toEqual([['basic-skills', null]])
		expect(await prisma.classAttendance.count({ where: { userId: erased.id } })).toBe(0)
		expect(await prisma.classAttendance.count({ where: { classSessionId: classId } })).toBe(2)
		const job = await prisma.importJob.findUniqueOrThrow({ where: { id: importId } })
		expect(JSON.stringify(job.rows)).not.toContain('870 001')
		expect(JSON.stringify(job.rows)).not.toContain(NAME)
		expect(job.rows).toHaveLength(1)
		const audit = JSON.stringify(await prisma.auditLog.findMany({ select: { details: true } }))
		expect(audit).not.toContain(erased.phone)
		expect(audit).not.toContain(NAME)
		expect(audit).not.toContain(VILLAGE)
		expect(await verifyLogin(erased.phone, PIN)).toBeNull()
		// A write already past sign-in when the erasure committed records nothing.
		const lesson = getManifest().courses.find((c) => c.id === core[0])!.lessons[0]!
		await expect(recordLessonCompletion({ userId: erased.id, lessonId: lesson.id, clientEventId: randomUUID() })).rejects.toMatchObject({ status: 404 })
		await expect(enrolResident({ userId: erased.id, courseId: core.at(-1)! })).rejects.toMatchObject({ status: 404 })
		expect(await prisma.erasureLedger.findUnique({ where: { userId: erased.id } })).toMatchObject({ via: 'STAFF' })
	})

	test('every report figure is the same, and the rollups still equal a raw recomputation', async () => {
		expect(await allFigures()).toEqual(before)
		const after = await oracle()
		expect(after).toEqual(oracleBefore)
	})

	test('the certificate verifies as revoked at the holder’s request, without a name', async () => {
		expect(erased.certificate).toMatch(/^[A-Z2-9]{10}$/)
		const v = await callRoute(verifyPage, 'loader', { params: { code: erased.certificate } })
		expect(v.body).toMatchObject({ found: true, valid: false, reason: 'HOLDER_REQUEST', name: null })
	})

	test('the person is on no staff page, search, class or export', async () => {
		const get = (module: Parameters<typeof callRoute>[0], url: string, params = {}) => callRoute(module, 'loader', { url, params, cookie: staffCookie })
		expect((await get(residentPage, `/staff/residents/${erased.id}`, { residentId: erased.id })).status).toBe(404)
		expect((await get(staffErase, `/staff/residents/${erased.id}/erase`, { residentId: erased.id })).status).toBe(404)
		for (const q of ['', NAME, 'Xoá', erased.phone, erased.phone.slice(-6)]) {
			const list = await get(residentList, `/staff/residents?commune=${COMMUNE}&q=${encodeURIComponent(q)}`)
			const ids = (list.body as { rows: { id: string }[] }).rows.map((r) => r.id)
			expect(ids).not.toContain(erased.id)
		}
		const everyone = await get(residentList, `/staff/residents?commune=${COMMUNE}`)
		expect((everyone.body as { rows: { id: string }[] }).rows.map((r) => r.id)).toContain(other)
		const csv = await get(residentExport, `/staff/export?format=csv&commune=${COMMUNE}`)
		const text = await csv.response!.text()
		expect(text).toContain('Cầm Văn Ở Lại')
		expect(text).not.toContain(NAME)
		expect(text).not.toMatch(/870 ?001/)
		const lines = text.trim().split('\n')
		const blank = lines.filter((l) => /^"?,/.test(l) || l.startsWith('""'))
		expect(blank).toEqual([])
		const cls = await get(classPage, `/staff/classes/${classId}`, { classId })
		expect(JSON.stringify(cls.body)).not.toContain(erased.id)
		// The class still says two came: one named, one who had their data erased.
		expect(cls.body).toMatchObject({ people: [{ id: other }], erased: 1 })
		const home = await get(staffHome, `/staff?commune=${COMMUNE}`)
		expect(JSON.stringify(home.body)).not.toContain(erased.id)
	})

	test('a resident erases themself with their PIN; a wrong PIN or no confirmation erases nothing', async () => {
		const post = (form: Record<string, string>) =>
			callRoute(meErase, 'action', { cookie: self.cookie, body: new URLSearchParams(form), contentType: 'application/x-www-form-urlencoded' })
		expect((await post({ secret: PIN })).status).toBe(400)
		expect((await post({ secret: '000000', confirm: 'yes' })).status).toBe(400)
		expect((await prisma.user.findUniqueOrThrow({ where: { id: self.id } })).erasedAt).toBeNull()
		const done = await post({ secret: PIN, confirm: 'yes' })
		expect(done.location).toBe('/me/erase?done=1')
		expect(done.headers.get('Set-Cookie')).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/)
		expect(await prisma.user.findUniqueOrThrow({ where: { id: self.id } })).toMatchObject({ phone: null, fullName: '' })
		expect(await prisma.erasureLedger.findUnique({ where: { userId: self.id } })).toMatchObject({ via: 'SELF' })
		// Their old session is gone: the page now only says it is done.
		const page = await callRoute(meErase, 'loader', { url: '/me/erase?done=1', cookie: self.cookie })
		expect(page.body).toMatchObject({ done: true })
		expect(await allFigures()).toEqual(before)
	})

	test('staff, officers and administrators are refused with a reason; nothing changes', async () => {
		const staffId = await staff(COMMUNE, { fullName: 'Cán Bộ Muốn Xoá' })
		await expect(eraseResident({ userId: staffId, via: 'SELF', actorId: staffId })).rejects.toBeInstanceOf(ErasureError)
		const refused = await callRoute(meErase, 'action', {
			cookie: await sessionCookie(staffId),
			body: new URLSearchParams({ secret: PIN, confirm: 'yes' }),
			contentType: 'application/x-www-form-urlencoded',
		})
		expect(refused.status).toBe(409)
		expect(refused.body).toEqual({ error: 'erasure:errors.hasRole' })
		expect((await prisma.user.findUniqueOrThrow({ where: { id: staffId } })).fullName).toBe('Cán Bộ Muốn Xoá')
		await expect(eraseResident({ userId: erased.id, via: 'STAFF', actorId: staffId })).rejects.toMatchObject({ key: 'erasure:errors.already' })
	})
})

test('every table that holds a person’s id is covered by erasure', async () => {
	const rows = await prisma.$queryRaw<{ table: string }[]>`
		SELECT DISTINCT table_name::text AS "table" FROM information_schema.columns
		WHERE table_schema = current_schema() AND lower(column_name) IN ('userid', 'targetuserid', 'actorid', 'subjectid', 'residentid', 'personid', 'viewerid')`
	const tables = [...rows.map((r) => r.table), 'User'].sort()
	// The query finds the tables it should (a query that found none would let anything through).
	expect(tables).toEqual(expect.arrayContaining(['Session', 'ClassAttendance', 'AuditLog', 'ActivePeriod']))
	expect(tables.filter((t) => !(t in ERASURE_COVERS))).toEqual([])
})

describe('the ledger after a restore', () => {
	test('a restore older than the erasure brings the person back; reapplyErasures() erases them again', async () => {
		const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-ledger-')), 'erasure-ledger.jsonl')
		const id = await resident({ fullName: 'Điêu Thị Sao Lưu', phone: '0912870003', communeCode: COMMUNE })
		await completeCourse(id, core[0]!)
		const backup = {
			user: await prisma.user.findUniqueOrThrow({ where: { id } }),
			progress: await prisma.lessonProgress.findMany({ where: { userId: id } }),
			certificates: await prisma.certificate.findMany({ where: { userId: id } }),
		}
		await eraseResident({ userId: id, via: 'STAFF', actorId: id })
		// The ledger file is written by the server (ERASURE_LEDGER_FILE); here, the entry the erasure wrote to the table.
		const entry = await prisma.erasureLedger.findUniqueOrThrow({ where: { userId: id } })
		fs.writeFileSync(file, `${JSON.stringify({ userId: id, erasedAt: entry.erasedAt.toISOString(), via: 'STAFF' })}\nnot json\n`)
		expect(readLedgerFile(file)).toHaveLength(1)
		const figures = await allFigures()

		// The restore: the backup's rows are back, and its ledger table never had the entry.
		// Generated columns (nameFolded, villageFolded) are the database's own: never written back.
		const { id: _, nameFolded: _name, villageFolded: _village, ...userRow } = backup.user
		await prisma.user.update({ where: { id }, data: userRow })
		await prisma.lessonProgress.createMany({ data: backup.progress })
		for (const c of backup.certificates) await prisma.certificate.update({ where: { id: c.id }, data: c })
		await prisma.session.create({ data: { id: `restored-${id}`, userId: id, expiresAt: new Date(Date.now() + 86_400_000) } })
		await prisma.erasureLedger.delete({ where: { userId: id } })
		expect((await prisma.user.findUniqueOrThrow({ where: { id } })).fullName).toBe('Điêu Thị Sao Lưu')

		const result = await reapplyErasures({ file })
		expect(result.erasedAgain).toEqual([id])
		const user = await prisma.user.findUniqueOrThrow({ where: { id } })
		expect(user).toMatchObject({ fullName: '', phone: null, credentialKind: null })
		expect(user.erasedAt?.toISOString()).toBe(entry.erasedAt.toISOString())
		expect(await prisma.lessonProgress.count({ where: { userId: id } })).toBe(0)
		expect(await prisma.session.count({ where: { userId: id } })).toBe(0)
		expect((await prisma.certificate.findMany({ where: { userId: id } })).map((c) => [c.recipientName, c.revocationReason])).toEqual(
			backup.certificates.map(() => ['', 'HOLDER_REQUEST']),
		)
		expect(await prisma.erasureLedger.findUnique({ where: { userId: id } })).not.toBeNull()
		expect(await allFigures()).toEqual(figures)
		// Again: nothing left to do.
		expect((await reapplyErasures({ file })).erasedAgain).toEqual([])
	})

	test('scrub replaces mentions anywhere and personal fields in the person’s own entries', () => {
		expect(scrub({ note: 'gọi 0912870001', n: 3, list: ['Ông A', 'khác'] }, ['0912870001', 'Ông A'], false)).toEqual({
			note: '[erased]',
			n: 3,
			list: ['[erased]', 'khác'],
		})
		expect(scrub({ before: { fullName: 'B' }, courseId: 'x' }, [], true)).toEqual({ before: '[erased]', courseId: 'x' })
	})
})
