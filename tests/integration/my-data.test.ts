import fs from 'node:fs'
import { beforeAll, describe, expect, test } from 'vitest'
import * as downloadRoute from '#app/routes/me+/data.download.tsx'
import * as pageRoute from '#app/routes/me+/data.tsx'
import * as residentRoute from '#app/routes/staff+/residents.$residentId.tsx'
import * as listRoute from '#app/routes/staff+/residents._index.tsx'
import * as exportRoute from '#app/routes/staff+/export.tsx'
import { type MyData, SCHEMA_ID, SECTIONS } from '#app/features/mydata/my-data.server.ts'
import { getCourseById } from '#app/modules/course/course.server.ts'
import { enrolResident, recordLessonCompletion } from '#app/modules/progress/progress.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { recordCertificateCheck } from '#app/modules/audit/access-log.server.ts'
import { resident, sessionCookie, staff } from '#tests/utils/factories.ts'
import { callRoute } from '#tests/utils/route.ts'

/**
 * Issue #18 item 2: /me/data shows everything kept about me, and "Tải dữ liệu của tôi" downloads
 * the same as JSON (docs/personal-data-export.md) — my data and nobody else's.
 */
const COMMUNE = '03646'
const me = { id: '', phone: '0381234501', cookie: '' }
const neighbour = { id: '', phone: '0381234502', name: 'Lường Văn Hàng Xóm' }
const clerk = { id: '', phone: '0381234503', name: 'Cầm Văn Cán Bộ Dữ Liệu', cookie: '' }
let lessonId = ''

beforeAll(async () => {
	clerk.id = await staff(COMMUNE, { fullName: clerk.name, phone: clerk.phone })
	clerk.cookie = await sessionCookie(clerk.id)
	me.id = await resident({ fullName: 'Lường Thị Của Tôi', phone: me.phone, communeCode: COMMUNE, village: 'Bản Dữ Liệu', via: 'STAFF' })
	await prisma.user.update({ where: { id: me.id }, data: { registeredById: clerk.id } })
	neighbour.id = await resident({ fullName: neighbour.name, phone: neighbour.phone, communeCode: COMMUNE, village: 'Bản Dữ Liệu' })
	me.cookie = await sessionCookie(me.id)
	// Learning: enrolled by the clerk, one lesson completed in a class they recorded, a quiz, a certificate.
	const course = getCourseById('smartphone')!
	lessonId = course.lessons[0]!.id
	await enrolResident({ userId: me.id, courseId: course.id, enrolledById: clerk.id })
	await recordLessonCompletion({ userId: me.id, lessonId, clientEventId: crypto.randomUUID(), source: 'CLASS', recordedById: clerk.id })
	await prisma.quizAttempt.create({
		data: { clientId: crypto.randomUUID(), userId: me.id, lessonId, answers: { q1: 'b' }, correct: 1, total: 2, passed: false, occurredAt: new Date() },
	})
	const enrolment = await prisma.enrolment.findFirstOrThrow({ where: { userId: me.id } })
	await prisma.certificate.create({
		data: {
			code: 'MYDATA01',
			userId: me.id,
			enrolmentId: enrolment.id,
			courseId: course.id,
			communeCode: COMMUNE,
			provinceCode: '14',
			recipientName: 'Lường Thị Của Tôi',
		},
	})
	// The neighbour has learning of their own, which must not leak into mine.
	await enrolResident({ userId: neighbour.id, courseId: 'scam-safety', enrolledById: clerk.id })
	// The clerk looks: a search that shows both of us, my record, and an export of the commune.
	await callRoute(listRoute, 'loader', { url: '/staff/residents?village=B%E1%BA%A3n+D%E1%BB%AF+Li%E1%BB%87u', cookie: clerk.cookie })
	await callRoute(residentRoute, 'loader', { url: `/staff/residents/${me.id}`, params: { residentId: me.id }, cookie: clerk.cookie })
	await callRoute(residentRoute, 'loader', { url: `/staff/residents/${neighbour.id}`, params: { residentId: neighbour.id }, cookie: clerk.cookie })
	const exported = await callRoute(exportRoute, 'loader', { url: `/staff/export?format=csv&commune=${COMMUNE}`, cookie: clerk.cookie })
	if (exported.status !== 200) throw new Error(`export: ${exported.status} ${JSON.stringify(exported.body)}`)
})

async function download(cookie: string) {
	const { status, response } = await callRoute(downloadRoute, 'loader', { url: '/me/data/download', cookie })
	return { status, response: response!, text: await response!.text() }
}

describe('the JSON download', () => {
	test('is an attachment that is never stored, and parses', async () => {
		const { status, response, text } = await download(me.cookie)
		expect(status).toBe(200)
		expect(response.headers.get('Content-Type')).toMatch(/^application\/json/)
		expect(response.headers.get('Content-Disposition')).toMatch(/^attachment; filename="hoc-vu-so_du-lieu-cua-toi_\d{4}-\d{2}-\d{2}\.json"$/)
		expect(response.headers.get('Cache-Control')).toContain('no-store')
		expect(JSON.parse(text).$schema).toBe(SCHEMA_ID)
	})

	test('holds every profile field, who registered me, my learning, quiz, certificate', async () => {
		const data = JSON.parse((await download(me.cookie)).text) as MyData
		expect(data.person).toMatchObject({
			fullName: 'Lường Thị Của Tôi',
			phone: me.phone,
			birthYear: 1961,
			sex: 'FEMALE',
			ethnicGroup: { code: '03' },
			learnerGroup: 'RESIDENT',
			province: { code: '14' },
			commune: { code: COMMUNE },
			village: 'Bản Dữ Liệu',
			signInWith: 'PIN',
			vneidLinked: false,
		})
		expect(data.registration).toMatchObject({ via: 'STAFF', by: { kind: 'COMMUNE_STAFF', name: clerk.name } })
		expect(data.enrolments).toHaveLength(1)
		expect(data.enrolments[0]).toMatchObject({ courseId: 'smartphone', enrolledBy: { kind: 'COMMUNE_STAFF', name: clerk.name } })
		expect(data.enrolments[0]!.lessons[0]).toMatchObject({ lessonId, source: 'CLASS', recordedBy: { name: clerk.name } })
		expect(data.quizAttempts).toEqual([expect.objectContaining({ lessonId, correct: 1, total: 2, passed: false, answers: { q1: 'b' } })])
		expect(data.certificates).toEqual([expect.objectContaining({ code: 'MYDATA01', nameOnCertificate: 'Lường Thị Của Tôi' })])
		expect(data.sessions.length).toBeGreaterThan(0)
	})

	test('holds every view, search (with my place) and export of my record', async () => {
		const data = JSON.parse((await download(me.cookie)).text) as MyData
		const by = { kind: 'COMMUNE_STAFF', name: clerk.name }
		expect(data.accessLog).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ action: 'resident.view', by: expect.objectContaining(by), place: null }),
				expect.objectContaining({
					action: 'resident.search',
					by: expect.objectContaining(by),
					filter: expect.objectContaining({ list: 'residents', village: 'Bản Dữ Liệu' }),
					place: 1,
				}),
				expect.objectContaining({ action: 'export.residents', by: expect.objectContaining(by), filter: expect.objectContaining({ format: 'csv' }) }),
			]),
		)
		// The neighbour's view is theirs, not mine.
		expect(data.accessLog.filter((a) => a.action === 'resident.view')).toHaveLength(1)
	})

	test('holds nobody else’s data: no other resident, and staff by role, name and unit only', async () => {
		const { text } = await download(me.cookie)
		for (const other of [neighbour.name, neighbour.phone, neighbour.id, 'scam-safety', clerk.phone, clerk.id]) expect(text, other).not.toContain(other)
		// A list's size would tell how many others were in it.
		expect(text).not.toMatch(/"count"/)
		const { text: theirs } = await download(await sessionCookie(neighbour.id))
		expect(theirs).toContain(neighbour.name)
		expect(theirs).not.toContain('Lường Thị Của Tôi')
		expect(theirs).not.toContain(me.phone)
	})

	test('follows the documented JSON Schema', async () => {
		const schema = JSON.parse(fs.readFileSync('docs/schemas/personal-data-export.schema.json', 'utf8'))
		// Someone checked my certificate on the public page: an entry by a `visitor` (ADR 028).
		await recordCertificateCheck('MYDATA01')
		expect(JSON.parse((await download(me.cookie)).text).accessLog).toContainEqual(
			expect.objectContaining({ action: 'certificate.verify', by: { kind: 'visitor', name: null, unit: null } }),
		)
		for (const cookie of [me.cookie, clerk.cookie]) {
			const data = JSON.parse((await download(cookie)).text)
			expect(conform(schema, data, schema)).toEqual([])
		}
		// The checker is not a rubber stamp.
		expect(conform(schema, { ...JSON.parse((await download(me.cookie)).text), person: { fullName: 1 } }, schema)).not.toEqual([])
	})
})

test('a section added later (consents) is in the download and on the page, and still follows the schema', async () => {
	SECTIONS.consents = async (userId) => [{ purpose: 'learning', givenAt: '2026-12-01T00:00:00.000Z', mine: userId === me.id }]
	try {
		const data = JSON.parse((await download(me.cookie)).text)
		expect(data.consents).toEqual([{ purpose: 'learning', givenAt: '2026-12-01T00:00:00.000Z', mine: true }])
		const { body } = await callRoute(pageRoute, 'loader', { url: '/me/data', cookie: me.cookie })
		expect((body as { data: MyData }).data.consents).toEqual(data.consents)
	} finally {
		delete SECTIONS.consents
	}
})

describe('the page', () => {
	test('shows the same document as the download', async () => {
		const { status, body } = await callRoute(pageRoute, 'loader', { url: '/me/data', cookie: me.cookie })
		expect(status).toBe(200)
		const page = (body as { data: MyData }).data
		const file = JSON.parse((await download(me.cookie)).text) as MyData
		expect({ ...page, generatedAt: '', sessions: [] }).toEqual({ ...file, generatedAt: '', sessions: [] })
	})

	test('needs a signed-in person', async () => {
		expect((await callRoute(pageRoute, 'loader', { url: '/me/data' })).status).toBe(302)
		expect((await callRoute(downloadRoute, 'loader', { url: '/me/data/download' })).status).toBe(302)
	})
})

/** The parts of JSON Schema 2020-12 the schema file uses: type, const, enum, oneOf, $ref, properties, required, additionalProperties, items. */
function conform(schema: Record<string, unknown>, value: unknown, root: Record<string, unknown>, at = '$'): string[] {
	if (typeof schema.$ref === 'string') return conform(resolve(root, schema.$ref), value, root, at)
	const errors: string[] = []
	if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) errors.push(`${at}: not ${JSON.stringify(schema.const)}`)
	if (Array.isArray(schema.enum) && !schema.enum.some((e) => e === value)) errors.push(`${at}: ${JSON.stringify(value)} not in enum`)
	if (Array.isArray(schema.oneOf) && schema.oneOf.filter((s) => conform(s as Record<string, unknown>, value, root, at).length === 0).length !== 1)
		errors.push(`${at}: not exactly one of oneOf`)
	if (schema.type) {
		const types = Array.isArray(schema.type) ? schema.type : [schema.type]
		const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value
		if (!types.includes(actual) && !(actual === 'integer' && types.includes('number'))) return [...errors, `${at}: ${actual} is not ${types.join('|')}`]
	}
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		const object = value as Record<string, unknown>
		const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>
		for (const key of (schema.required ?? []) as string[]) if (!(key in object)) errors.push(`${at}.${key}: missing`)
		for (const [key, v] of Object.entries(object)) {
			if (properties[key]) errors.push(...conform(properties[key]!, v, root, `${at}.${key}`))
			else if (schema.additionalProperties === false) errors.push(`${at}.${key}: not in the schema`)
		}
	}
	if (Array.isArray(value) && schema.items) value.forEach((v, i) => errors.push(...conform(schema.items as Record<string, unknown>, v, root, `${at}[${i}]`)))
	return errors
}

function resolve(root: Record<string, unknown>, ref: string) {
	return ref
		.replace(/^#\//, '')
		.split('/')
		.reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, root)
}
