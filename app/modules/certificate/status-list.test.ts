import { checkStatus, decodeList } from '@digitalbazaar/vc-bitstring-status-list'
import { createLocalJWKSet, decodeProtectedHeader, type JWTPayload, jwtVerify } from 'jose'
import { beforeAll, describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { env } from '#app/utils/env.server.ts'
import { completeCourse } from '#tests/fixtures/learning.ts'
import { officer, resident, sessionCookie } from '#tests/utils/factories.ts'
import { callRoute } from '#tests/utils/route.ts'
import * as credentialRoute from '#app/routes/certificates+/$code.credential.tsx'
import * as statusRoute from '#app/routes/credentials+/status.$listId.tsx'
import * as jwksRoute from '#app/routes/[.]well-known.jwks[.]json.tsx'
import * as provinceCertificatesRoute from '#app/routes/province+/certificates.tsx'
import * as verifyCodeRoute from '#app/routes/verify+/$code.tsx'
import { STATUS_LIST_LENGTH, statusListPosition } from './status-list.server.ts'

/**
 * Revocation a standard verifier sees (issue #17, ADR 016). The credential's signature is checked
 * with `jose` against the published JWKS, and its status with Digital Bazaar's
 * @digitalbazaar/vc-bitstring-status-list (`checkStatus`, `decodeList`): nothing of the project's own
 * code decides whether a credential verifies. Everything goes through the routes a verifier and the
 * people use. Province 14, commune 03808 (the factories' default).
 */
let officerCookie = ''

beforeAll(async () => {
	officerCookie = await sessionCookie(await officer('14'))
})

async function certificateOf() {
	const userId = await resident({ fullName: 'Lò Thị Chứng Chỉ' })
	const { certificateCode } = await completeCourse(userId, 'smartphone')
	return { userId, code: certificateCode!, cookie: await sessionCookie(userId) }
}

async function download(code: string, cookie: string) {
	return callRoute(credentialRoute, 'loader', { url: `/certificates/${code}/credential`, params: { code }, cookie })
}

async function jwks() {
	const { response } = await callRoute(jwksRoute, 'loader', { url: '/.well-known/jwks.json' })
	return createLocalJWKSet(await response!.json())
}

/** GET of a status list URL as a verifier makes it, through the route. */
async function fetchStatusList(url: string, headers: Record<string, string> = {}) {
	const prefix = `${env.APP_ORIGIN}/credentials/status/`
	expect(url.startsWith(prefix)).toBe(true)
	const listId = url.slice(prefix.length)
	return callRoute(statusRoute, 'loader', { url: `/credentials/status/${listId}`, params: { listId }, headers })
}

/**
 * A verifier: the JWT's signature (jose), then its credentialStatus (the W3C library), whose
 * document loader fetches the status list credential and checks that JWT's signature with jose.
 */
async function verify(jwt: string) {
	const keys = await jwks()
	const { payload } = await jwtVerify(jwt, keys, { issuer: `${env.APP_ORIGIN}/` })
	const lists: JWTPayload[] = []
	const documentLoader = async (url: string) => {
		const { status, response } = await fetchStatusList(url)
		expect(status).toBe(200)
		expect(response!.headers.get('Content-Type')).toBe('application/vc+jwt')
		const listJwt = await response!.text()
		expect(decodeProtectedHeader(listJwt).typ).toBe('vc+jwt')
		const { payload: list } = await jwtVerify(listJwt, keys, { issuer: `${env.APP_ORIGIN}/` })
		lists.push(list)
		return { contextUrl: null, documentUrl: url, document: list }
	}
	const result = (await checkStatus({ credential: payload, documentLoader, verifyBitstringStatusListCredential: false, verifyMatchingIssuers: true })) as {
		verified: boolean
		error?: Error
		results?: { status: boolean }[]
	}
	if (!result.verified) throw result.error ?? new Error('status not verified')
	return { payload, revoked: result.results![0]!.status, list: lists[0]! }
}

async function revoke(code: string) {
	const body = new URLSearchParams({ code, reason: 'ISSUED_IN_ERROR' })
	const { status } = await callRoute(provinceCertificatesRoute, 'action', {
		url: '/province/certificates',
		cookie: officerCookie,
		body,
		contentType: 'application/x-www-form-urlencoded',
	})
	expect(status).toBe(200)
}

async function jwtOf(code: string, cookie: string) {
	const { status, response } = await download(code, cookie)
	expect(status).toBe(200)
	expect(response!.headers.get('Content-Type')).toBe('application/vc+jwt')
	return response!.text()
}

describe('the certificate credential carries a W3C Bitstring Status List entry', () => {
	test('a standard verifier sees it valid, then revoked; the revoked certificate is not signed again', async () => {
		const { code, cookie } = await certificateOf()
		const jwt = await jwtOf(code, cookie)

		const before = await verify(jwt)
		expect(before.revoked).toBe(false)
		const entry = before.payload.credentialStatus as Record<string, string>
		expect(entry).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation' })
		expect(entry.statusListCredential).toMatch(/^http:\/\/localhost\/credentials\/status\/[1-9]\d*$/)
		expect(entry.id).not.toBe(entry.statusListCredential)
		const subject = before.list.credentialSubject as { type: string; statusPurpose: string; encodedList: string; ttl: number }
		expect(before.list.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential'])
		expect(subject).toMatchObject({ type: 'BitstringStatusList', statusPurpose: 'revocation' })
		// W3C: at least 131,072 entries, so a set bit hides among many (herd privacy).
		expect((await decodeList({ encodedList: subject.encodedList })).length).toBeGreaterThanOrEqual(131_072)

		// The same certificate downloaded again names the same entry.
		expect((await verify(await jwtOf(code, cookie))).payload.credentialStatus).toEqual(entry)

		const { response: listBefore } = await fetchStatusList(entry.statusListCredential!)
		await revoke(code)

		// The credential downloaded before still has a valid signature; its status now says revoked.
		const after = await verify(jwt)
		expect(after.revoked).toBe(true)
		const { response: listAfter } = await fetchStatusList(entry.statusListCredential!)
		expect(listAfter!.headers.get('ETag')).not.toBe(listBefore!.headers.get('ETag'))

		// The owner cannot download it as a valid credential: 410 and a sentence saying when and why.
		const refused = await download(code, cookie)
		expect(refused.status).toBe(410)
		expect(refused.response!.headers.get('Content-Type')).toMatch(/^text\/html/)
		const text = await refused.response!.text()
		expect(text).toContain('đã bị thu hồi')
		expect(text).toContain('Cấp nhầm')
		expect(text).toContain(`/verify/${code}`)

		// The public verification page still answers, and says revoked.
		const page = await callRoute(verifyCodeRoute, 'loader', { url: `/verify/${code}`, params: { code } })
		expect(page.status).toBe(200)
		expect(JSON.stringify(page.body)).toContain('ISSUED_IN_ERROR')
	})

	test('the list holds exactly the revoked entries, and a certificate revoked before any download gets no entry', async () => {
		const certs = [await certificateOf(), await certificateOf(), await certificateOf()]
		for (const c of certs) await jwtOf(c.code, c.cookie)
		await revoke(certs[1]!.code)
		const neverDownloaded = await certificateOf()
		await revoke(neverDownloaded.code)
		expect((await download(neverDownloaded.code, neverDownloaded.cookie)).status).toBe(410)
		expect(await prisma.certificate.findUnique({ where: { code: neverDownloaded.code }, select: { statusListId: true } })).toEqual({ statusListId: null })

		const rows = await prisma.certificate.findMany({
			where: { statusListId: { not: null } },
			select: { code: true, statusListId: true, statusListIndex: true, revokedAt: true },
		})
		for (const listId of new Set(rows.map((r) => r.statusListId!))) {
			const { response } = await fetchStatusList(`${env.APP_ORIGIN}/credentials/status/${listId}`)
			const { payload } = await jwtVerify(await response!.text(), await jwks())
			const list = await decodeList({ encodedList: (payload.credentialSubject as { encodedList: string }).encodedList })
			const set: number[] = []
			for (let i = 0; i < list.length; i++) if (list.getStatus(i)) set.push(i)
			const revoked = rows.filter((r) => r.statusListId === listId && r.revokedAt).map((r) => r.statusListIndex!)
			expect(set).toEqual(revoked.sort((a, b) => a - b))
		}
		const mine = rows.filter((r) => certs.some((c) => c.code === r.code))
		expect(mine).toHaveLength(3)
		expect(new Set(mine.map((r) => `${r.statusListId}:${r.statusListIndex}`)).size).toBe(3)
	})

	test('two downloads at once give one entry', async () => {
		const { code, cookie } = await certificateOf()
		const [a, b] = await Promise.all([jwtOf(code, cookie), jwtOf(code, cookie)])
		const [va, vb] = [await verify(a), await verify(b)]
		expect(va.payload.credentialStatus).toEqual(vb.payload.credentialStatus)
	})

	test('the list is cacheable with an ETag; unknown or malformed list ids are 404', async () => {
		const { code, cookie } = await certificateOf()
		const { payload } = await verify(await jwtOf(code, cookie))
		const url = (payload.credentialStatus as { statusListCredential: string }).statusListCredential
		const first = await fetchStatusList(url)
		expect(first.response!.headers.get('Cache-Control')).toBe('public, max-age=300')
		const etag = first.response!.headers.get('ETag')!
		expect((await fetchStatusList(url, { 'If-None-Match': etag })).status).toBe(304)
		for (const listId of ['999999', '0', 'abc', '1e3', '-1']) {
			expect((await callRoute(statusRoute, 'loader', { url: `/credentials/status/${listId}`, params: { listId } })).status).toBe(404)
		}
	})
})

describe('positions in a list', () => {
	test('are a permutation of the whole list, keyed by the seed, not the issuance order', () => {
		const length = 1024
		const seen = new Set<number>()
		for (let n = 0; n < length; n++) seen.add(statusListPosition('seed-a', n, length))
		expect(seen.size).toBe(length)
		expect(Math.min(...seen)).toBe(0)
		expect(Math.max(...seen)).toBe(length - 1)
		const first = Array.from({ length: 16 }, (_, n) => statusListPosition('seed-a', n, length))
		expect(first).not.toEqual(Array.from({ length: 16 }, (_, n) => n))
		expect(first).not.toEqual(Array.from({ length: 16 }, (_, n) => statusListPosition('seed-b', n, length)))
		// The real size: every draw lands inside it.
		for (let n = STATUS_LIST_LENGTH - 50; n < STATUS_LIST_LENGTH; n++) expect(statusListPosition('seed-a', n)).toBeLessThan(STATUS_LIST_LENGTH)
		expect(() => statusListPosition('seed-a', STATUS_LIST_LENGTH)).toThrow(RangeError)
	})
})
