import { beforeAll, describe, expect, test } from 'vitest'
import { ETHNICITY_NOT_STATED, ethnicGroupName } from '#app/kernel/demographics.ts'
import { NOTICE_VERSION } from '#app/kernel/privacy.ts'
import { registerResident } from '#app/modules/people/people.server.ts'
import { completeProfile } from '#app/modules/people/vneid.server.ts'
import * as register from '#app/routes/_auth+/register.tsx'
import * as assisted from '#app/routes/staff+/residents.new.tsx'
import * as jobRoute from '#app/routes/staff+/import.$jobId.tsx'
import * as importRoute from '#app/routes/staff+/import._index.tsx'
import * as privacy from '#app/routes/privacy.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { getFixedT } from '#app/utils/i18n.server.ts'
import { sessionCookie, staff } from '#tests/utils/factories.ts'
import { callRoute } from '#tests/utils/route.ts'

/**
 * Notice and consent on every way in (ADR 018): self-registration, staff registration, CSV import and
 * VNeID each record the consents given, with the notice version, channel and staff member; nothing
 * is created without the notice agreed to (or confirmed by staff); an ethnic group is kept only with
 * its own consent, and "Không muốn trả lời" is a category of its own in the rollups.
 */
const COMMUNE = '03721' // Xã Thuận Châu, Sơn La
let seq = Math.floor(Math.random() * 8_000_000)
const nextPhone = () => `035${1_000_000 + seq++}`
let ip = 0
const nextIp = () => `10.88.${Math.floor(ip / 250) % 250}.${ip++ % 250}`

const profile = {
	fullName: 'Lò Thị Đồng Ý',
	birthYear: '1966',
	sex: 'FEMALE',
	learnerGroup: 'RESIDENT',
	provinceCode: '14',
	communeCode: COMMUNE,
}
const body = (fields: Record<string, string>) => new URLSearchParams(fields)
const post = (route: { action?: unknown }, url: string, fields: Record<string, string>, cookie?: string) =>
	callRoute(route, 'action', { url, body: body(fields), contentType: 'application/x-www-form-urlencoded', cookie, context: { clientIp: nextIp() } })
const errorsOf = (b: unknown) => (b as { result?: { error?: Record<string, string[]> } }).result?.error ?? {}
const consentsOf = (userId: string) =>
	prisma.consent.findMany({
		where: { userId },
		orderBy: { purpose: 'asc' },
		select: { purpose: true, noticeVersion: true, channel: true, givenById: true, withdrawnAt: true },
	})

let staffId: string
let staffCookie: string
beforeAll(async () => {
	staffId = await staff(COMMUNE)
	staffCookie = await sessionCookie(staffId)
})

describe('self-registration', () => {
	test('without ticking the notice nothing is created, and the box says why', async () => {
		const phone = nextPhone()
		const result = await post(register, '/register', { phone, ...profile, ethnicGroup: ETHNICITY_NOT_STATED, secretKind: 'PIN', secret: '592604' })
		expect(result.status).toBe(400)
		expect(errorsOf(result.body).consent).toEqual(['privacy:errors.consentRequired'])
		expect(await prisma.user.count({ where: { phone } })).toBe(0)
	})

	test('an ethnic group without its own consent is refused on that box; nothing is created', async () => {
		const phone = nextPhone()
		const result = await post(register, '/register', { phone, ...profile, ethnicGroup: '03', consent: 'on', secretKind: 'PIN', secret: '592604' })
		expect(result.status).toBe(400)
		expect(errorsOf(result.body).ethnicityConsent).toEqual(['privacy:errors.ethnicityConsentRequired'])
		expect(await prisma.user.count({ where: { phone } })).toBe(0)
	})

	test('"Không muốn trả lời": registered as not stated, with the learning consent only (self, this notice)', async () => {
		const phone = nextPhone()
		const result = await post(register, '/register', {
			phone,
			...profile,
			ethnicGroup: ETHNICITY_NOT_STATED,
			consent: 'on',
			secretKind: 'PIN',
			secret: '592604',
		})
		expect(result.status).toBe(302)
		const user = await prisma.user.findUniqueOrThrow({ where: { phone }, select: { id: true, ethnicGroup: true, registeredCommuneCode: true } })
		expect(user).toMatchObject({ ethnicGroup: ETHNICITY_NOT_STATED, registeredCommuneCode: COMMUNE })
		expect(await consentsOf(user.id)).toEqual([{ purpose: 'LEARNING', noticeVersion: NOTICE_VERSION, channel: 'SELF', givenById: null, withdrawnAt: null }])
	})

	test('an ethnic group with its consent: both consents recorded', async () => {
		const phone = nextPhone()
		const result = await post(register, '/register', {
			phone,
			...profile,
			ethnicGroup: '08',
			ethnicityConsent: 'on',
			consent: 'on',
			secretKind: 'PIN',
			secret: '592604',
		})
		expect(result.status).toBe(302)
		const user = await prisma.user.findUniqueOrThrow({ where: { phone }, select: { id: true, ethnicGroup: true } })
		expect(user.ethnicGroup).toBe('08')
		expect((await consentsOf(user.id)).map((c) => [c.purpose, c.channel])).toEqual([
			['LEARNING', 'SELF'],
			['ETHNICITY', 'SELF'],
		])
	})
})

describe('registration by staff', () => {
	const form = (phone: string) => ({ phone, ...profile, fullName: 'Cầm Văn Được Báo', ethnicGroup: '03', ethnicityConsent: 'on' })

	test('refused until staff confirm they gave the notice; nothing is created', async () => {
		const phone = nextPhone()
		const result = await post(assisted, '/staff/residents/new', form(phone), staffCookie)
		expect(result.status).toBe(400)
		expect(errorsOf(result.body).noticeGiven).toEqual(['privacy:errors.noticeGivenRequired'])
		expect(await prisma.user.count({ where: { phone } })).toBe(0)
	})

	test('confirmed: the consents name the staff member and the staff channel', async () => {
		const phone = nextPhone()
		const result = await post(assisted, '/staff/residents/new', { ...form(phone), noticeGiven: 'on' }, staffCookie)
		expect(result.status).toBe(302)
		const user = await prisma.user.findUniqueOrThrow({ where: { phone }, select: { id: true } })
		expect(await consentsOf(user.id)).toEqual([
			{ purpose: 'LEARNING', noticeVersion: NOTICE_VERSION, channel: 'STAFF', givenById: staffId, withdrawnAt: null },
			{ purpose: 'ETHNICITY', noticeVersion: NOTICE_VERSION, channel: 'STAFF', givenById: staffId, withdrawnAt: null },
		])
	})
})

describe('CSV import', () => {
	async function preview(rows: string[]) {
		const form = new FormData()
		form.set('communeCode', COMMUNE)
		const csv = `\uFEFFHọ và tên;Số điện thoại;Năm sinh;Giới tính;Dân tộc\r\n${rows.join('\r\n')}\r\n`
		form.set('file', new File([csv], 'danh-sach.csv', { type: 'text/csv' }))
		const uploaded = await callRoute(importRoute, 'action', { url: '/staff/import', body: form, cookie: staffCookie })
		return uploaded.location!.split('/').pop()!
	}
	const confirm = (jobId: string, fields: Record<string, string>) =>
		callRoute(jobRoute, 'action', {
			url: `/staff/import/${jobId}`,
			params: { jobId },
			body: body({ intent: 'confirm', ...fields }),
			contentType: 'application/x-www-form-urlencoded',
			cookie: staffCookie,
		})
	async function waitForDone(jobId: string) {
		for (let i = 0; i < 200; i++) {
			const job = await prisma.importJob.findUniqueOrThrow({ where: { id: jobId } })
			if (job.status === 'DONE' || job.status === 'FAILED') return job
			await new Promise((r) => setTimeout(r, 50))
		}
		throw new Error('import did not finish')
	}

	test('confirming without the notice box imports nobody and says why', async () => {
		const phone = nextPhone()
		const jobId = await preview([`Lò Văn Chưa Báo;${phone};1970;Nam;Thái`])
		const result = await confirm(jobId, {})
		expect(result.status).toBe(400)
		expect(result.body).toEqual({ message: 'privacy:errors.noticeGivenImport' })
		expect((await prisma.importJob.findUniqueOrThrow({ where: { id: jobId } })).status).toBe('PREVIEW')
		expect(await prisma.user.count({ where: { phone } })).toBe(0)
	})

	test("notice confirmed, ethnicity not: the file's ethnic groups are not kept; consents name the staff member", async () => {
		const [a, b] = [nextPhone(), nextPhone()]
		const jobId = await preview([`Lò Văn Nhập;${a};1970;Nam;Thái`, `Quàng Thị Nhập;${b};1972;Nữ;Không muốn trả lời`])
		expect((await confirm(jobId, { noticeGiven: 'on' })).status).toBe(302)
		expect((await waitForDone(jobId)).imported).toBe(2)
		const users = await prisma.user.findMany({ where: { phone: { in: [a, b] } }, select: { id: true, ethnicGroup: true, registeredCommuneCode: true } })
		expect(users.map((u) => u.ethnicGroup)).toEqual([ETHNICITY_NOT_STATED, ETHNICITY_NOT_STATED])
		expect(users.map((u) => u.registeredCommuneCode)).toEqual([COMMUNE, COMMUNE])
		for (const u of users) {
			expect(await consentsOf(u.id)).toEqual([{ purpose: 'LEARNING', noticeVersion: NOTICE_VERSION, channel: 'IMPORT', givenById: staffId, withdrawnAt: null }])
		}
	})

	test('ethnicity confirmed too: a stated group is kept with its consent, "Không muốn trả lời" is not stated', async () => {
		const [a, b] = [nextPhone(), nextPhone()]
		const jobId = await preview([`Lò Văn Đồng Ý;${a};1970;Nam;Thái`, `Quàng Thị Không Nêu;${b};1972;Nữ;Không muốn trả lời`])
		expect((await confirm(jobId, { noticeGiven: 'on', ethnicityConsent: 'on' })).status).toBe(302)
		await waitForDone(jobId)
		const stated = await prisma.user.findUniqueOrThrow({ where: { phone: a }, select: { id: true, ethnicGroup: true } })
		const declined = await prisma.user.findUniqueOrThrow({ where: { phone: b }, select: { id: true, ethnicGroup: true } })
		expect(stated.ethnicGroup).toBe('03')
		expect(declined.ethnicGroup).toBe(ETHNICITY_NOT_STATED)
		expect((await consentsOf(stated.id)).map((c) => c.purpose)).toEqual(['LEARNING', 'ETHNICITY'])
		expect((await consentsOf(declined.id)).map((c) => c.purpose)).toEqual(['LEARNING'])
	})
})

describe('VNeID and the domain function', () => {
	test('a VNeID account made before ADR 028 completing its profile records its consents through the VNeID channel, and its registration commune', async () => {
		// Such accounts were made at the first sign-in, before the notice (now nothing is made until it is agreed to).
		const { id: userId } = await prisma.user.create({
			data: { vneidSubject: `consent-${Date.now()}`, phone: nextPhone(), fullName: 'Lường Văn Định Danh', registeredVia: 'VNEID' },
		})
		expect(await consentsOf(userId)).toEqual([])
		await completeProfile(userId, {
			...profile,
			fullName: 'Lường Văn Định Danh',
			birthYear: 1980,
			sex: 'MALE',
			ethnicGroup: '03',
			ethnicityConsent: true,
			learnerGroup: 'RESIDENT',
		})
		expect((await consentsOf(userId)).map((c) => [c.purpose, c.channel, c.noticeVersion])).toEqual([
			['LEARNING', 'VNEID', NOTICE_VERSION],
			['ETHNICITY', 'VNEID', NOTICE_VERSION],
		])
		expect((await prisma.user.findUniqueOrThrow({ where: { id: userId } })).registeredCommuneCode).toBe(COMMUNE)
	})

	test('an ethnic group reaching registerResident without its consent is not kept (defence in depth)', async () => {
		const { id } = await registerResident({
			phone: nextPhone(),
			profile: { ...profile, birthYear: 1970, sex: 'FEMALE', ethnicGroup: '03', learnerGroup: 'RESIDENT' },
			passwordHash: { kind: 'PIN', hash: 'x' },
			via: 'SELF',
		})
		expect((await prisma.user.findUniqueOrThrow({ where: { id } })).ethnicGroup).toBe(ETHNICITY_NOT_STATED)
		expect((await consentsOf(id)).map((c) => c.purpose)).toEqual(['LEARNING'])
	})
})

describe('"not stated" in the figures', () => {
	test('is its own breakdown cell (not the "never recorded" one) and has its own name', async () => {
		const commune = '03808'
		const before = await cells(commune)
		await registerResident({
			phone: nextPhone(),
			profile: { ...profile, communeCode: commune, birthYear: 1970, sex: 'FEMALE', ethnicGroup: ETHNICITY_NOT_STATED, learnerGroup: 'RESIDENT' },
			passwordHash: { kind: 'PIN', hash: 'x' },
			via: 'SELF',
		})
		const after = await cells(commune)
		expect((after.get(ETHNICITY_NOT_STATED) ?? 0) - (before.get(ETHNICITY_NOT_STATED) ?? 0)).toBe(1)
		expect((after.get('') ?? 0) - (before.get('') ?? 0)).toBe(0)
		expect(ethnicGroupName(ETHNICITY_NOT_STATED, 'vi')).toBe('Không nêu')
		expect(ethnicGroupName(ETHNICITY_NOT_STATED, 'en')).toBe('Not stated')
	})

	async function cells(communeCode: string) {
		const rows = await prisma.periodCellStat.groupBy({
			by: ['ethnicGroup'],
			where: { communeCode, period: { not: { contains: '-' } } },
			_sum: { registered: true },
		})
		return new Map(rows.map((r) => [r.ethnicGroup, r._sum.registered ?? 0]))
	}
})

describe('the notice', () => {
	test('/privacy is public and says what is kept, why, who sees it, for how long and the rights, in Vietnamese and English', async () => {
		expect(typeof privacy.default).toBe('function')
		for (const lng of ['vi', 'en'] as const) {
			const t = await getFixedT(lng)
			for (const key of ['what', 'why', 'who', 'howLong', 'rights']) expect(t(`privacy:short.${key}`)).not.toBe(`short.${key}`)
			for (const key of ['what', 'why', 'who', 'rights']) expect((t(`privacy:page.${key}`, { returnObjects: true }) as string[]).length).toBeGreaterThan(2)
		}
		const vi = await getFixedT('vi')
		expect(vi('privacy:page.lead')).toContain('91/2025/QH15')
		expect(vi('privacy:page.ethnicity')).toContain('13/2023')
		expect(vi('privacy:short.rights')).toMatch(/xem.*sửa.*tải về.*rút lại.*xóa/)
	})
})
