import { describe, expect, test } from 'vitest'
import { CreateApiTokenSchema } from '#app/features/api/api-token.schema.ts'
import { checkRows } from '#app/modules/people/import.server.ts'
import { FullNameSchema, ProfileSchema } from '#app/modules/people/people.schema.ts'
import { PopulationSchema, validateRows } from '#app/modules/reporting/denominators.server.ts'
import { ClassSessionSchema } from '#app/features/workspace/classes.server.ts'
import { cleanSearchText, escapeLike, freeText } from './input.ts'

/** Issue #16, item 8: the one free-text rule, and every schema of text people type that uses it. */
const HOSTILE = [
	['NUL', 'Bản\u0000Nà'],
	['a C0 control', 'Bản\u0007Nà'],
	['a C1 control', 'Bản\u0085Nà'],
	['a tab', 'Bản\tNà'],
	['a line break', 'Bản\nNà'],
	['a lone high surrogate', 'Bản\uD800Nà'],
	['a lone low surrogate', 'Bản\uDC00Nà'],
	['a right-to-left override', 'Bản\u202ENà'],
	['a bidi isolate', '\u2066Bản Nà\u2069'],
	['a zero-width space', 'Bản\u200BNà'],
	['a zero-width joiner', 'Bản\u200DNà'],
	['a byte order mark inside', 'Bản\uFEFFNà'],
	['a formula', '=HYPERLINK("http://evil.example","x")'],
	['a plus first', '+cmd|x'],
	['an at sign first', '@SUM(1)'],
	['a minus first', '-2+3'],
	['an apostrophe first', "'=1+1"],
	['HTML', '<script>alert(1)</script>'],
	['a full-width equals sign', '＝1+1'],
] as const

const village = freeText({ max: 100, messages: { tooLong: 'long', invalid: 'invalid' } })

describe('freeText', () => {
	test.each(HOSTILE)('refuses %s', (_name, value) => {
		const result = village.safeParse(value)
		expect(result.success).toBe(false)
		expect(result.error?.issues[0]?.message).toBe('invalid')
	})

	test("accepts what names and places need: Vietnamese (NFC), digits, spaces and . , - ' / ( )", () => {
		expect(village.parse('Bản Nà Sản')).toBe('Bản Nà Sản')
		expect(village.parse('Tổ 3, khu 2 (Phường Tô Hiệu) - số 12/4')).toBe('Tổ 3, khu 2 (Phường Tô Hiệu) - số 12/4')
		expect(village.parse("Bản Co' Mạ")).toBe("Bản Co' Mạ")
		// Decomposed input (NFD, as some keyboards send it) is stored composed.
		expect(village.parse('Bản Nà Sản'.normalize('NFD'))).toBe('Bản Nà Sản'.normalize('NFC'))
		// Excel's non-breaking spaces and runs of spaces become one space; ends are trimmed.
		expect(village.parse('  Bản\u00A0\u00A0Nà   Sản ')).toBe('Bản Nà Sản')
		expect(village.parse('')).toBe('')
		expect(village.parse('   ')).toBe('')
	})

	test('limits the length, and refuses a 100 000-character value without working on it', () => {
		expect(village.safeParse('a'.repeat(100)).success).toBe(true)
		expect(village.safeParse('a'.repeat(101)).error?.issues[0]?.message).toBe('long')
		expect(village.safeParse('\u0000'.repeat(100_000)).error?.issues[0]?.message).toBe('long')
		const started = performance.now()
		expect(village.safeParse('é'.repeat(100_000)).success).toBe(false)
		expect(performance.now() - started).toBeLessThan(50)
	})

	test("a person's name takes no digits, and no punctuation beyond ' . -", () => {
		expect(FullNameSchema.parse('  Lò   Thị Hoa ')).toBe('Lò Thị Hoa')
		expect(FullNameSchema.parse("H'Hen Niê")).toBe("H'Hen Niê")
		for (const bad of ['Lò Thị 2', 'Lò (Hoa)', 'Lò/Hoa', '\u202EHoa Lò', 'Hoa\u0000'])
			expect(FullNameSchema.safeParse(bad).error?.issues[0]?.message).toBe('auth:errors.nameInvalid')
	})
})

describe('every schema of free text uses it, with its own message on its own field', () => {
	const profile = {
		fullName: 'Lò Thị Hoa',
		birthYear: 1970,
		sex: 'FEMALE',
		ethnicGroup: '03',
		ethnicityConsent: true,
		learnerGroup: 'RESIDENT',
		provinceCode: '14',
		communeCode: '03646',
	}
	test.each(HOSTILE)('%s', (_name, value) => {
		const issue = (result: { error?: { issues: { path: (string | number)[]; message: string }[] } }) =>
			result.error?.issues.map((i) => [i.path.join('.'), i.message])
		// Registration, assisted registration, profile completion: the village.
		expect(issue(ProfileSchema.safeParse({ ...profile, village: value }))).toEqual([['village', 'auth:errors.villageInvalid']])
		// The resident import: the row is invalid, with the village as its reason.
		const [row] = checkRows([
			{ line: 2, values: { fullName: 'Lò Thị Hoa', phone: '0912345678', birthYear: '1970', sex: 'Nữ', ethnicGroup: 'Thái', village: value } },
		])
		expect(row).toMatchObject({ status: 'invalid', reasons: [{ key: 'auth:errors.villageInvalid' }] })
		// The province population form and its CSV import: the source.
		const population = { communeCode: '03646', adultPopulation: '1200', asOf: '2025-01-01', source: value }
		expect(issue(PopulationSchema.safeParse(population))).toEqual([['source', 'province:population.errors.sourceInvalid']])
		expect(() => validateRows(PopulationSchema, [population])).toThrow(
			expect.objectContaining({ problems: [{ line: 2, field: 'source', key: 'province:population.errors.sourceInvalid' }] }),
		)
		// A class's place.
		const session = {
			clientId: crypto.randomUUID(),
			communeCode: '03646',
			courseId: 'smartphone',
			heldOn: '2025-06-01',
			lessonIds: ['a'],
			attendeeIds: ['b'],
			place: value,
		}
		expect(issue(ClassSessionSchema.safeParse(session))).toEqual([['place', 'workspace:classes.errors.placeInvalid']])
		// An API token's name.
		expect(issue(CreateApiTokenSchema.safeParse({ intent: 'create', provinceCode: '14', name: value }))).toEqual([['name', 'province:api.errors.nameInvalid']])
	})
})

describe('search text', () => {
	test('loses control, bidi and zero-width characters and lone surrogates; LIKE wildcards are escaped', () => {
		expect(cleanSearchText('\u0000Bản\u200B \u202ENà\uD800 ')).toBe('Bản Nà')
		expect(cleanSearchText('a'.repeat(500))).toHaveLength(100)
		expect(escapeLike('100%_\\')).toBe('100\\%\\_\\\\')
	})
})
