import { beforeAll, describe, expect, test } from 'vitest'
import { registerResident } from '#app/modules/people/people.server.ts'
import { grantRole } from '#app/modules/people/staff.server.ts'
import { acceptNotice } from '#app/modules/people/consent.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { createSession, serializeSessionCookie } from '#app/utils/session.server.ts'
import { completeCourse } from '#tests/fixtures/learning.ts'
import * as provinceCertificatesRoute from '#app/routes/province+/certificates.tsx'
import * as verifyCodeRoute from '#app/routes/verify+/$code.tsx'
import * as verifyIndexRoute from '#app/routes/verify+/_index.tsx'

/**
 * Revocation reasons (issue #16): the public page shows a reason from a fixed list in localised
 * words, never the officer's free text, which stays on the province page. Province 20, phones
 * 035720…, which no other test uses.
 */
const PROVINCE = '20'
let commune = ''
let officerCookie = ''
let holderId = ''

async function person(phone: string) {
	const { id } = await registerResident({
		phone,
		profile: {
			fullName: 'Lò Thị Xuân',
			birthYear: 1970,
			sex: 'FEMALE',
			ethnicGroup: '03',
			learnerGroup: 'RESIDENT',
			provinceCode: PROVINCE,
			communeCode: commune,
		},
		passwordHash: { kind: 'PIN', hash: 'x' },
		via: 'SELF',
	})
	return id
}

async function call(
	module: Record<string, unknown>,
	kind: 'loader' | 'action',
	url: string,
	{ params = {}, form, cookie }: { params?: Record<string, string>; form?: Record<string, string>; cookie?: string } = {},
) {
	const headers = new Headers({ Origin: 'http://localhost' })
	if (cookie) headers.set('Cookie', cookie)
	if (form) headers.set('Content-Type', 'application/x-www-form-urlencoded')
	const request = new Request(new URL(url, 'http://localhost'), { method: form ? 'POST' : 'GET', headers, body: form ? new URLSearchParams(form) : undefined })
	let result: unknown
	try {
		result = await (module[kind] as (args: unknown) => Promise<unknown>)({ request, params, context: {} })
	} catch (thrown) {
		result = thrown
	}
	if (result instanceof Response) return { status: result.status, location: result.headers.get('Location'), body: null as unknown }
	const wrapped = result as { type?: string; data?: unknown; init?: { status?: number } }
	if (wrapped && wrapped.type === 'DataWithResponseInit') return { status: wrapped.init?.status ?? 200, location: null, body: wrapped.data }
	return { status: 200, location: null, body: result }
}

async function newCertificate(phone: string) {
	holderId = await person(phone)
	const { certificateCode } = await completeCourse(holderId, 'smartphone')
	return certificateCode!
}

beforeAll(async () => {
	commune = (await prisma.commune.findFirstOrThrow({ where: { provinceCode: PROVINCE }, orderBy: { code: 'asc' } })).code
	const officerId = await person('0357200000')
	await grantRole({ userId: officerId, role: 'PROVINCE_OFFICER', provinceCode: PROVINCE, grantedById: null })
	await acceptNotice({ userId: officerId, kind: 'staff', channel: 'SEED' }) // read the staff notice (ADR 028)
	const { token } = await createSession(officerId)
	officerCookie = (await serializeSessionCookie(token)).split(';')[0]!
})

describe('revoking a certificate', () => {
	test('the public page shows the reason from the list in words; the note stays on the province page and in the audit log', async () => {
		const code = await newCertificate('0357200001')
		const note = 'Bà Xuân, thôn Nà Sự, SĐT 0912345678, nhờ cán bộ thu hồi'
		const revoked = await call(provinceCertificatesRoute, 'action', '/province/certificates', {
			cookie: officerCookie,
			form: { code: code.toLowerCase(), reason: 'WRONG_PERSON', note },
		})
		expect(revoked.status).toBe(200)
		// The confirmation names the certificate (a pasted lower-case code is confirmed as stored).
		expect(revoked.body).toEqual({ ok: true, message: 'learning:certificate.revokedDone', code })
		const row = await prisma.certificate.findUniqueOrThrow({ where: { code } })
		expect(row).toMatchObject({ revocationReason: 'WRONG_PERSON', revokedNote: note })
		expect(row.revokedAt).not.toBeNull()

		const page = await call(verifyCodeRoute, 'loader', `/verify/${code}`, { params: { code } })
		expect(page.body).toMatchObject({ found: true, valid: false, reason: 'WRONG_PERSON' })
		expect(JSON.stringify(page.body)).not.toContain('0912345678')
		expect(JSON.stringify(page.body)).not.toContain('Nà Sự')

		const province = await call(provinceCertificatesRoute, 'loader', '/province/certificates', { cookie: officerCookie })
		expect((province.body as { revoked: { code: string; reason: string; note: string }[] }).revoked).toContainEqual(
			expect.objectContaining({ code, reason: 'WRONG_PERSON', note }),
		)
		const audit = await prisma.auditLog.findFirst({ where: { action: 'certificate.revoke', targetUserId: holderId } })
		expect(audit?.details).toEqual({ code, reason: 'WRONG_PERSON', note })
	})

	test('free text or an unknown reason is refused with a message and changes nothing', async () => {
		const code = await newCertificate('0357200002')
		const forms: Record<string, string>[] = [
			{ code, reason: 'Cấp nhầm cho bà Xuân 0912345678' },
			{ code, reason: '' },
			{ code },
			{ code, reason: 'FRAUD', note: 'x'.repeat(301) },
		]
		for (const form of forms) {
			const result = await call(provinceCertificatesRoute, 'action', '/province/certificates', { cookie: officerCookie, form })
			expect(result.status, JSON.stringify(form)).toBe(400)
			expect(result.body).toEqual({ ok: false, message: 'learning:certificate.reasonRequired' })
		}
		const row = await prisma.certificate.findUniqueOrThrow({ where: { code } })
		expect(row).toMatchObject({ revokedAt: null, revocationReason: null, revokedNote: null })
	})

	test('a reason without a note: the note stays empty', async () => {
		const code = await newCertificate('0357200003')
		expect(
			(
				await call(provinceCertificatesRoute, 'action', '/province/certificates', {
					cookie: officerCookie,
					form: { code, reason: 'HOLDER_REQUEST', note: '  ' },
				})
			).status,
		).toBe(200)
		expect(await prisma.certificate.findUniqueOrThrow({ where: { code } })).toMatchObject({ revocationReason: 'HOLDER_REQUEST', revokedNote: null })
	})
})

describe('/verify without a code', () => {
	test('shows the form; a pasted code (spaces, dashes, lower case) goes to /verify/<code>', async () => {
		expect(await call(verifyIndexRoute, 'loader', '/verify')).toEqual({ status: 200, location: null, body: { error: null, code: '' } })
		const go = await call(verifyIndexRoute, 'loader', '/verify?code=abcd-23 4567')
		expect(go).toMatchObject({ status: 302, location: '/verify/ABCD234567' })
	})

	test('a malformed code gets a localised error and stays on the form', async () => {
		for (const code of ['', 'ABC', 'ABCD2345671', 'ABCD234561', '../../login', 'x'.repeat(500)]) {
			const result = await call(verifyIndexRoute, 'loader', `/verify?code=${encodeURIComponent(code)}`)
			expect(result.status, code).toBe(400)
			expect((result.body as { error: string }).error).toBe('learning:certificate.badCode')
		}
	})
})
