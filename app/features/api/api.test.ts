import { beforeAll, describe, expect, test } from 'vitest'
import { FieldError } from '#app/modules/people/people.server.ts'
import { grantRole, revokeAssignment } from '#app/modules/people/staff.server.ts'
import { enrolResident } from '#app/modules/progress/progress.server.ts'
import { toJson } from '#app/modules/reporting/export.server.ts'
import { getBreakdown, getIndicators } from '#app/modules/reporting/indicators.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { getFixedT } from '#app/utils/i18n.server.ts'
import { scopeFromRoles } from '#app/kernel/scope.ts'
import { limitKey } from '#app/utils/rate-limit.server.ts'
import { hashToken } from '#app/utils/session.server.ts'
import { completeCourse } from '#tests/fixtures/learning.ts'
import { resident } from '#tests/utils/factories.ts'
import { callRoute } from '#tests/utils/route.ts'
import * as indicatorsRoute from '#app/routes/api+/v1.indicators.tsx'
import * as openApiRoute from '#app/routes/api+/v1.openapi[.]json.tsx'
import { createApiToken, listApiTokens, revokeApiToken } from './api-token.server.ts'
import { API_PARAMETERS, API_RATE_LIMIT } from './indicators-api.server.ts'

/**
 * The machine API on a known data set built through the domain functions, in province 11
 * (Điện Biên), which no other test writes to.
 */
const PROVINCE = '11'
let A = ''
let B = ''
let officerId = ''
let token = ''
let tokenId = ''
const at = (iso: string) => new Date(`${iso}T10:00:00+07:00`)

const learner = (phone: string, communeCode: string, provinceCode: string, sex: 'MALE' | 'FEMALE', birthYear: number, when: string) =>
	resident({ phone, fullName: 'Người Học API', birthYear, sex, provinceCode, communeCode, at: at(when) })

const officerScope = () => scopeFromRoles([{ role: 'PROVINCE_OFFICER', provinceCode: PROVINCE, communeCode: null }])

async function get(query: string, bearer: string | null = token, extraHeaders: Record<string, string> = {}) {
	const headers = bearer === null ? extraHeaders : { ...extraHeaders, Authorization: `Bearer ${bearer}` }
	const { status, headers: answered, body } = await callRoute(indicatorsRoute, 'loader', { url: `/api/v1/indicators${query}`, headers })
	return { status, headers: answered, body: body as any }
}

beforeAll(async () => {
	const communes = await prisma.commune.findMany({ where: { provinceCode: PROVINCE }, orderBy: { code: 'asc' }, take: 2 })
	A = communes[0]!.code
	B = communes[1]!.code
	officerId = await learner('0356110000', A, PROVINCE, 'MALE', 1980, '2025-01-02')
	await grantRole({ userId: officerId, role: 'PROVINCE_OFFICER', provinceCode: PROVINCE, grantedById: null })
	const r1 = await learner('0356110001', A, PROVINCE, 'FEMALE', 1965, '2025-01-15')
	const r2 = await learner('0356110002', B, PROVINCE, 'MALE', 1995, '2025-02-10')
	for (const course of ['smartphone', 'vneid', 'public-services', 'scam-safety']) await completeCourse(r1, course, at('2025-02-20'))
	await completeCourse(r2, 'smartphone', at('2025-04-05'))
	await enrolResident({ userId: r2, courseId: 'vneid', at: at('2025-05-01') })
	await prisma.communePopulation.create({
		data: { communeCode: A, provinceCode: PROVINCE, adultPopulation: 50, source: 'Thống kê xã 2024', asOf: new Date('2025-01-01') },
	})
	await prisma.target.create({ data: { provinceCode: PROVINCE, communeCode: A, indicator: 'coverage', year: 2025, value: 4 } })
	;({ token, id: tokenId } = await createApiToken({ scope: officerScope(), actorId: officerId, provinceCode: PROVINCE, name: 'DHIS2 Sở KH&CN' }))
})

describe('API tokens', () => {
	test('a token is shown once and only its SHA-256 is stored; creation is audit-logged', async () => {
		expect(token).toMatch(/^hvs_[a-z2-7]{32}$/)
		const row = await prisma.apiToken.findUniqueOrThrow({ where: { id: tokenId } })
		expect(row).toMatchObject({ provinceCode: PROVINCE, name: 'DHIS2 Sở KH&CN', tokenHash: hashToken(token), createdById: officerId, revokedAt: null })
		expect(JSON.stringify(row)).not.toContain(token.slice(4))
		const audit = await prisma.auditLog.findFirst({ where: { action: 'api-token.create', provinceCode: PROVINCE } })
		expect(audit?.details).toEqual({ tokenId, name: 'DHIS2 Sở KH&CN' })
		expect(JSON.stringify(audit?.details)).not.toContain(token.slice(4))
	})

	test('officers create, list and revoke tokens of their own province only', async () => {
		const other = scopeFromRoles([{ role: 'PROVINCE_OFFICER', provinceCode: '12', communeCode: null }])
		await expect(createApiToken({ scope: other, actorId: officerId, provinceCode: PROVINCE, name: 'x' })).rejects.toBeInstanceOf(FieldError)
		await expect(
			createApiToken({ scope: { admin: true, provinceCodes: [], communeCodes: [] }, actorId: officerId, provinceCode: '99', name: 'x' }),
		).rejects.toBeInstanceOf(FieldError)
		expect((await listApiTokens(officerScope())).map((t) => t.id)).toContain(tokenId)
		expect((await listApiTokens(other)).map((t) => t.id)).not.toContain(tokenId)
		await expect(revokeApiToken({ scope: other, actorId: officerId, tokenId })).rejects.toBeInstanceOf(FieldError)
		expect((await prisma.apiToken.findUniqueOrThrow({ where: { id: tokenId } })).revokedAt).toBeNull()
	})
})

describe('GET /api/v1/indicators', () => {
	test('returns exactly the JSON export of getIndicators for the token’s province', async () => {
		const { status, body, headers } = await get('?from=2025-01&to=2025-06&granularity=quarter')
		expect(status).toBe(200)
		expect(headers.get('Cache-Control')).toBe('private, no-store')
		const query = { provinceCode: PROVINCE, from: '2025-01', to: '2025-06', granularity: 'quarter' as const }
		const expected = await toJson({ report: await getIndicators(query), lng: 'vi', t: await getFixedT('vi') })
		expect(body).toEqual(JSON.parse(JSON.stringify(expected)))
		// The known data set: r1 in A (January; the officer registered there too, but holds a role), r2 in B (February).
		const row = (c: string, p: string) => body.rows.find((r: { communeCode: string; period: string }) => r.communeCode === c && r.period === p)
		expect(row(A, '2025-Q1').figures).toEqual({
			// r1 only: the officer holds a role, so is no resident (docs/indicators.md), though registered there first.
			registered: 1,
			enrolments: 4,
			active: 1,
			completions: 4,
			basicSkills: 1,
			certificates: 4,
			completionsByCourse: { smartphone: 1, vneid: 1, 'public-services': 1, 'scam-safety': 1 },
		})
		expect(row(A, '2025-Q1').coverage).toBe(2)
		expect(row(A, '2025-Q1').targets).toEqual([{ indicator: 'coverage', target: 4, actual: 2, expected: 1, rag: 'green' }])
		expect(row(B, '2025-Q1').figures).toMatchObject({ registered: 1, enrolments: 0, active: 0, completions: 0 })
		expect(row(B, '2025-Q2').figures).toEqual({
			registered: 0,
			enrolments: 2,
			active: 1,
			completions: 1,
			basicSkills: 0,
			certificates: 1,
			completionsByCourse: { smartphone: 1 },
		})
		expect(row(B, '2025-Q2').population).toBeNull()
		expect(row(B, '2025-Q2').coverage).toBeNull()
		expect(body.totals.map((t: { figures: { registered: number } }) => t.figures.registered)).toEqual([2, 0])
		expect(body.totals[1].cumulative).toMatchObject({ registered: 2, enrolments: 6, completions: 5, basicSkills: 1, certificates: 5 })
	})

	test('communes, breakdown and language are those of the JSON export', async () => {
		const { status, body } = await get(`?year=2025&communes=${B}&breakdown=sex&lng=en&province=${PROVINCE}`)
		expect(status).toBe(200)
		const query = { provinceCode: PROVINCE, communeCodes: [B], from: '2025-01', to: '2025-12', granularity: 'month' as const }
		const expected = await toJson({
			report: await getIndicators(query),
			breakdown: { by: 'sex', rows: await getBreakdown(query, 'sex') },
			lng: 'en',
			t: await getFixedT('en'),
		})
		expect(body).toEqual(JSON.parse(JSON.stringify(expected)))
		expect(body.rows.every((r: { communeCode: string }) => r.communeCode === B)).toBe(true)
		expect(body.breakdown.rows.filter((r: { period: string }) => r.period === '2025-04')).toEqual([
			{ communeCode: B, period: '2025-04', value: 'MALE', registered: 0, enrolments: 1, active: 1, completions: 1, basicSkills: 0, certificates: 1 },
		])
	})

	test("an ethnic-group breakdown withholds a commune's counts of a metric in every period when any is below 5, as null with a flag", async () => {
		const { status, body } = await get('?year=2025&breakdown=ethnicGroup')
		expect(status).toBe(200)
		expect(body.breakdown.by).toBe('ethnicGroup')
		expect(body.breakdown.suppressedBelow).toBe(5)
		const rows = body.breakdown.rows as Record<string, unknown>[]
		expect(rows.length).toBeGreaterThan(0)
		for (const row of rows)
			for (const m of ['registered', 'enrolments', 'active', 'completions', 'basicSkills', 'certificates']) {
				const v = row[m] as number | null
				// Published cells are 0 or at least 5; a withheld one is null and named in `suppressed`.
				if (v === null) expect(row.suppressed).toContain(m)
				else expect(v === 0 || v >= 5, `${row.communeCode} ${row.period} ${row.value} ${m} = ${v}`).toBe(true)
			}
		// Commune A, January: r1 registered (the officer, appointed since, is no resident): their small cell is withheld, and a complementary one.
		const january = rows.filter((r) => r.communeCode === A && r.period === '2025-01')
		expect(january.map((r) => [r.value, r.registered])).toEqual([
			['', null],
			['03', null],
		])
		// Per commune and period, never exactly one withheld cell of a metric: the commune total cannot give it back.
		const groups = new Map<string, Record<string, unknown>[]>()
		for (const r of rows) groups.set(`${r.communeCode}|${r.period}`, [...(groups.get(`${r.communeCode}|${r.period}`) ?? []), r])
		for (const group of groups.values())
			for (const m of ['registered', 'enrolments', 'active', 'completions', 'basicSkills', 'certificates'])
				expect(group.filter((r) => r[m] === null).length).not.toBe(1)
	})

	test('every call is audit-logged as an indicator export, naming the token', async () => {
		await get('?year=2025')
		const entry = await prisma.auditLog.findFirst({ where: { action: 'export.indicators', provinceCode: PROVINCE }, orderBy: { id: 'desc' } })
		expect(entry).toMatchObject({ actorId: null, details: { format: 'api', tokenId, from: '2025-01', to: '2025-12', granularity: 'month', communes: 'all' } })
	})

	test('no token, an unknown or malformed token, or a session cookie alone: 401 with a JSON error', async () => {
		for (const bearer of [null, `hvs_${'a'.repeat(32)}`, 'not-a-token', '']) {
			const { status, body, headers } = await get('?year=2025', bearer)
			expect(status, String(bearer)).toBe(401)
			expect(body.error).toMatchObject({ status: 401, code: 'unauthorized' })
			expect(body.error.message).toMatch(/token/i)
			expect(body.error.messageVi).toMatch(/khoá/)
			expect(headers.get('WWW-Authenticate')).toMatch(/^Bearer realm="hoc-vu-so"/)
		}
		const { status } = await get('?year=2025', null, { Cookie: 'hvs_session=abcdefghijklmnopqrstuvwxyz234567' })
		expect(status).toBe(401)
	})

	test('a token stops working when its creator no longer holds a role covering its province', async () => {
		const creatorId = await learner('0356110009', A, PROVINCE, 'FEMALE', 1985, '2025-01-03')
		await grantRole({ userId: creatorId, role: 'PROVINCE_OFFICER', provinceCode: PROVINCE, grantedById: null })
		const { token: t3 } = await createApiToken({ scope: officerScope(), actorId: creatorId, provinceCode: PROVINCE, name: 'Cán bộ cũ' })
		expect((await get('?year=2025', t3)).status).toBe(200)
		// An officer role in another province does not cover this token.
		await grantRole({ userId: creatorId, role: 'PROVINCE_OFFICER', provinceCode: '12', grantedById: null })
		const role = await prisma.roleAssignment.findFirstOrThrow({ where: { userId: creatorId, role: 'PROVINCE_OFFICER', provinceCode: PROVINCE } })
		const admin = { admin: true, provinceCodes: [], communeCodes: [] }
		expect(await revokeAssignment({ scope: admin, actorId: officerId, assignmentId: role.id })).toBe(true)
		const { status, body } = await get('?year=2025', t3)
		expect(status).toBe(401)
		expect(body.error.code).toBe('unauthorized')
		// Appointed again: the token works again (it was never revoked, only its authority lapsed).
		await grantRole({ userId: creatorId, role: 'PROVINCE_OFFICER', provinceCode: PROVINCE, grantedById: null })
		expect((await get('?year=2025', t3)).status).toBe(200)
	})

	test('a revoked token is refused at once', async () => {
		const { token: t2, id } = await createApiToken({ scope: officerScope(), actorId: officerId, provinceCode: PROVINCE, name: 'Tạm thời' })
		expect((await get('?year=2025', t2)).status).toBe(200)
		expect(await revokeApiToken({ scope: officerScope(), actorId: officerId, tokenId: id })).toEqual({ revoked: true, name: 'Tạm thời' })
		const { status, body } = await get('?year=2025', t2)
		expect(status).toBe(401)
		expect(body.error.code).toBe('unauthorized')
		expect(await prisma.auditLog.count({ where: { action: 'api-token.revoke', provinceCode: PROVINCE } })).toBe(1)
		// Revoking again changes nothing and is not logged again.
		expect((await revokeApiToken({ scope: officerScope(), actorId: officerId, tokenId: id })).revoked).toBe(false)
		expect(await prisma.auditLog.count({ where: { action: 'api-token.revoke', provinceCode: PROVINCE } })).toBe(1)
	})

	test("a token of one province cannot read another's", async () => {
		const forbidden = await get('?year=2025&province=12')
		expect(forbidden.status).toBe(403)
		expect(forbidden.body.error).toMatchObject({ status: 403, code: 'forbidden' })
		expect(forbidden.body.error.message).toContain(PROVINCE)
		// A commune of province 14 named with a province-11 token: not in this province.
		const commune = await get('?year=2025&communes=03646')
		expect(commune.status).toBe(400)
		expect(commune.body.error.code).toBe('unknownCommune')
		// Province 12's own token reads 12, never 11.
		const officer12 = scopeFromRoles([{ role: 'PROVINCE_OFFICER', provinceCode: '12', communeCode: null }])
		// A token works only while its creator holds a role covering its province.
		await grantRole({ userId: officerId, role: 'PROVINCE_OFFICER', provinceCode: '12', grantedById: null })
		const { token: t12 } = await createApiToken({ scope: officer12, actorId: officerId, provinceCode: '12', name: 'Lai Châu' })
		const other = await get('?year=2025', t12)
		expect(other.status).toBe(200)
		expect(other.body.provinceCode).toBe('12')
		expect(other.body.rows.some((r: { communeCode: string }) => r.communeCode === A || r.communeCode === B)).toBe(false)
		expect((await get(`?year=2025&province=${PROVINCE}`, t12)).status).toBe(403)
	})

	test('bad parameters: 400 with a code and a message in English and Vietnamese', async () => {
		const cases: [string, string][] = [
			['?from=2025-13', 'badMonth'],
			['?from=2025-06&to=2025-01', 'badRange'],
			['?from=2010-01&to=2025-01', 'rangeTooLong'],
			['?granularity=week', 'badGranularity'],
			['?breakdown=religion', 'badBreakdown'],
			['?communes=1234', 'unknownCommune'],
			['?province=xyz', 'badProvince'],
			['?year=1999', 'badMonth'],
			['?lng=fr', 'badLanguage'],
			['?format=csv', 'unknownParameter'],
		]
		for (const [query, code] of cases) {
			const { status, body } = await get(query)
			expect({ query, status, code: body.error?.code }).toEqual({ query, status: 400, code })
			expect(body.error.message.length, query).toBeGreaterThan(5)
			expect(body.error.messageVi.length, query).toBeGreaterThan(5)
			expect(body.error.message).not.toBe(body.error.messageVi)
		}
	})

	test('rate limited per token: 429 with Retry-After once the window is full', async () => {
		const { token: t3, id } = await createApiToken({ scope: officerScope(), actorId: officerId, provinceCode: PROVINCE, name: 'Giới hạn' })
		const first = await get('?year=2025', t3)
		expect(first.status).toBe(200)
		expect(first.headers.get('X-RateLimit-Limit')).toBe(String(API_RATE_LIMIT.limit))
		expect(first.headers.get('X-RateLimit-Remaining')).toBe(String(API_RATE_LIMIT.limit - 1))
		// Fill the rest of the window as if the calls had been made.
		await prisma.rateLimit.update({ where: { key: limitKey(API_RATE_LIMIT, id) }, data: { count: API_RATE_LIMIT.limit } })
		const limited = await get('?year=2025', t3)
		expect(limited.status).toBe(429)
		expect(limited.body.error).toMatchObject({ status: 429, code: 'rateLimited' })
		const retryAfter = Number(limited.headers.get('Retry-After'))
		expect(retryAfter).toBeGreaterThan(0)
		expect(retryAfter).toBeLessThanOrEqual(API_RATE_LIMIT.windowSeconds)
		// Other tokens are not affected; the window ends and the token works again.
		expect((await get('?year=2025')).status).toBe(200)
		await prisma.rateLimit.update({ where: { key: limitKey(API_RATE_LIMIT, id) }, data: { resetAt: new Date(Date.now() - 1000) } })
		expect((await get('?year=2025', t3)).status).toBe(200)
	})

	test('lastUsedAt is recorded, and written at most once a minute', async () => {
		const { token: t4, id } = await createApiToken({ scope: officerScope(), actorId: officerId, provinceCode: PROVINCE, name: 'Dùng lần cuối' })
		expect((await prisma.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).toBeNull()
		await get('?year=2025', t4)
		const first = (await prisma.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt!
		expect(Date.now() - first.getTime()).toBeLessThan(10_000)
		await get('?year=2025', t4)
		expect((await prisma.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).toEqual(first)
		const old = new Date(Date.now() - 2 * 60_000)
		await prisma.apiToken.update({ where: { id }, data: { lastUsedAt: old } })
		await get('?year=2025', t4)
		expect((await prisma.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt!.getTime()).toBeGreaterThan(old.getTime())
	})
})

describe('GET /api/v1/openapi.json', () => {
	type Schema = Record<string, any>
	let doc: Schema

	beforeAll(async () => {
		const { status, response } = await callRoute(openApiRoute, 'loader', { url: '/api/v1/openapi.json' })
		expect(status).toBe(200)
		doc = JSON.parse(await response!.text())
	})

	function resolve(ref: string): Schema {
		expect(ref.startsWith('#/'), ref).toBe(true)
		let node: any = doc
		for (const part of ref.slice(2).split('/')) node = node?.[part]
		expect(node, `unresolved ${ref}`).toBeDefined()
		return node
	}

	/** A small JSON Schema (2020-12 subset) validator: enough for the schemas the document uses. */
	function validate(schema: Schema, value: unknown, path = '$'): string[] {
		if (schema.$ref) return validate(resolve(schema.$ref), value, path)
		const errors: string[] = []
		const types: string[] = schema.type ? [schema.type].flat() : []
		const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v)
		if (types.length && !types.some((t) => t === typeOf(value) || (t === 'number' && typeOf(value) === 'integer')))
			return [`${path}: ${typeOf(value)} is not ${types.join('|')}`]
		if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: ${String(value)} not in enum`)
		if ('const' in schema && schema.const !== value) errors.push(`${path}: not ${schema.const}`)
		if (schema.pattern && typeof value === 'string' && !new RegExp(schema.pattern).test(value))
			errors.push(`${path}: ${value} does not match ${schema.pattern}`)
		if (schema.minimum !== undefined && typeof value === 'number' && value < schema.minimum) errors.push(`${path}: below minimum`)
		if (Array.isArray(value) && schema.items) value.forEach((v, i) => errors.push(...validate(schema.items, v, `${path}[${i}]`)))
		if (value && typeof value === 'object' && !Array.isArray(value)) {
			const obj = value as Record<string, unknown>
			for (const key of schema.required ?? []) if (!(key in obj)) errors.push(`${path}.${key}: missing`)
			for (const [key, v] of Object.entries(obj)) {
				if (schema.properties?.[key]) errors.push(...validate(schema.properties[key], v, `${path}.${key}`))
				else if (schema.additionalProperties === false) errors.push(`${path}.${key}: not in the schema`)
				else if (typeof schema.additionalProperties === 'object') errors.push(...validate(schema.additionalProperties, v, `${path}.${key}`))
			}
		}
		return errors
	}

	test('is the document published before the one metric list, byte for byte (golden file)', async () => {
		const response = (await openApiRoute.loader({ request: new Request('http://localhost/api/v1/openapi.json'), params: {}, context: {} })) as Response
		await expect(await response.text()).toMatchFileSnapshot('./__golden__/openapi.json')
	})

	test('is an OpenAPI 3.1 document whose references all resolve', () => {
		expect(doc.openapi).toBe('3.1.0')
		expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) })
		expect(doc.components.securitySchemes.bearerToken).toMatchObject({ type: 'http', scheme: 'bearer' })
		expect(doc.security).toEqual([{ bearerToken: [] }])
		const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? []
		expect(refs.length).toBeGreaterThan(5)
		for (const ref of refs) resolve(JSON.parse(`{${ref}}`).$ref)
		const op = doc.paths['/api/v1/indicators'].get
		expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '403', '429'])
		for (const p of op.parameters)
			expect(p, p.name).toMatchObject({ name: expect.any(String), in: 'query', schema: expect.any(Object), description: expect.any(String) })
	})

	test('documents exactly the parameters the endpoint accepts, and each documented value is accepted', async () => {
		const op = doc.paths['/api/v1/indicators'].get
		const names = op.parameters.map((p: Schema) => p.name)
		expect([...names].sort()).toEqual([...API_PARAMETERS].sort())
		for (const p of op.parameters) {
			const values: string[] = [...new Set([p.example, ...(p.schema.enum ?? [])].filter(Boolean))]
			expect(values.length, p.name).toBeGreaterThan(0)
			for (const value of values) {
				// Example commune codes are Sơn La's: use this province's own.
				const v = p.name === 'commune' ? A : p.name === 'communes' ? `${A},${B}` : p.name === 'province' ? PROVINCE : value
				// `to` alone would start in January of the current year: give it an earlier start.
				const companion: Record<string, string> = p.name === 'to' ? { from: '2025-01' } : {}
				const { status, body } = await get(`?${new URLSearchParams({ ...companion, [p.name]: v })}`)
				expect({ parameter: p.name, value: v, status, error: body.error?.code }).toEqual({ parameter: p.name, value: v, status: 200, error: undefined })
				expect(validate(doc.components.schemas.IndicatorReport, body), `${p.name}=${v}`).toEqual([])
			}
		}
		const undocumented = await get('?granularty=month')
		expect(undocumented.status).toBe(400)
	})

	test('answers and errors match the documented schemas', async () => {
		const op = doc.paths['/api/v1/indicators'].get
		const ok = await get('?year=2025&granularity=quarter&breakdown=ageBand')
		expect(validate(op.responses['200'].content['application/json'].schema, ok.body)).toEqual([])
		const withheld = await get('?year=2025&breakdown=ethnicGroup')
		expect(withheld.body.breakdown.rows.some((r: { suppressed?: string[] }) => r.suppressed)).toBe(true)
		expect(validate(op.responses['200'].content['application/json'].schema, withheld.body)).toEqual([])
		for (const [query, bearer, status] of [
			['?from=x', token, '400'],
			['?year=2025', null, '401'],
			['?province=12', token, '403'],
		] as const) {
			const r = await get(query, bearer)
			expect(String(r.status)).toBe(status)
			expect(validate(op.responses[status].content['application/json'].schema, r.body), query).toEqual([])
		}
	})
})
