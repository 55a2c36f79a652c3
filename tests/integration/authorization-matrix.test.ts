import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { MATRIX, OTHER_INPUTS, PERSON_INPUTS, SELF_ONLY } from '#tests/authorization/matrix.ts'
import { routeInputs } from '#tests/authorization/route-inputs.ts'
import { createFixture, type Fixture, PERSONAS, TARGET_KINDS } from '#tests/authorization/personas.ts'
import { callRouteAs } from '#tests/authorization/run.ts'

const ROUTES_DIR = path.join(process.cwd(), 'app', 'routes')
const IGNORED = [/\.server\./, /\.client\./, /\.test\./, /(^|\/)__/, /\.css$/, /(^|\/)\./]

function routeFiles(dir = ROUTES_DIR): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name)
		if (entry.isDirectory()) return routeFiles(full)
		const rel = path.relative(ROUTES_DIR, full).split(path.sep).join('/')
		return /\.(tsx?|jsx?)$/.test(entry.name) && !IGNORED.some((re) => re.test(rel)) ? [rel] : []
	})
}

let fixture: Fixture
beforeAll(async () => {
	fixture = await createFixture()
})

test('every route is in the authorization matrix', () => {
	const missing = routeFiles().filter((file) => !(file in MATRIX))
	expect(missing, `Add these routes to tests/authorization/matrix.ts`).toEqual([])
	const stale = Object.keys(MATRIX).filter((file) => !routeFiles().includes(file))
	expect(stale, 'These matrix entries name routes that no longer exist').toEqual([])
})

describe.each(Object.entries(MATRIX))('%s', (file, rule) => {
	test('loader and action are both covered', async () => {
		const module = await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))
		if (module.loader) expect(rule.loader, `${file} has a loader: add loader expectations`).toBeDefined()
		if (module.action) expect(rule.action, `${file} has an action: add action expectations`).toBeDefined()
	})

	test.each(PERSONAS)('as %s', async (persona) => {
		const module = await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))
		const url = rule.url(fixture)
		const params = rule.params?.(fixture) ?? {}
		if (module.loader && rule.loader) {
			const { outcome, status } = await callRouteAs({ module, kind: 'loader', url, params, persona, fixture, freshSession: rule.freshSession })
			expect({ loader: outcome, status }).toMatchObject({ loader: rule.loader[persona] })
		}
		if (module.action && rule.action) {
			const { outcome, status } = await callRouteAs({
				module,
				kind: 'action',
				url,
				params,
				persona,
				fixture,
				form: rule.action.form(fixture),
				freshSession: rule.freshSession,
			})
			expect({ action: outcome, status }).toMatchObject({ action: rule.action.expect[persona] })
		}
	})
})

describe('routes that take a person (their inputs, read from the syntax tree and types)', () => {
	let inputs: Map<string, Set<string>>
	beforeAll(() => {
		inputs = routeInputs(ROUTES_DIR, routeFiles())
	}, 120_000)

	test('every input a route reads is classified as naming a person or not', () => {
		const known = new Set<string>([...PERSON_INPUTS, ...OTHER_INPUTS])
		const unknown = [...inputs].flatMap(([file, names]) => [...names].filter((n) => !known.has(n)).map((n) => `${file}: ${n}`))
		expect(unknown, 'Classify these inputs in tests/authorization/matrix.ts (PERSON_INPUTS or OTHER_INPUTS)').toEqual([])
	})

	test('every route reading a person input says what happens for every kind of person (or acts on the caller alone)', () => {
		const person = new Set<string>(PERSON_INPUTS)
		const takes = [...inputs].filter(([, names]) => [...names].some((n) => person.has(n))).map(([file]) => file)
		const missing = takes.filter((file) => !MATRIX[file]?.targets && !(file in SELF_ONLY))
		expect(missing, 'Add `targets` (every TARGET_KINDS entry) to these routes in tests/authorization/matrix.ts').toEqual([])
		// Declarations that no longer match the code are stale.
		const declared = Object.entries(MATRIX)
			.filter(([, rule]) => rule.targets)
			.map(([file]) => file)
		expect(declared.filter((file) => !takes.includes(file))).toEqual([])
		expect(Object.keys(SELF_ONLY).filter((file) => !takes.includes(file))).toEqual([])
	})

	test('the scan finds what a route reads: path parameters, form and query fields, schema fields', () => {
		expect([...inputs.get('staff+/residents.$residentId.tsx')!]).toEqual(expect.arrayContaining(['residentId', 'intent', 'courseId']))
		expect([...inputs.get('staff+/classes.new.tsx')!]).toEqual(expect.arrayContaining(['attendeeIds', 'communeCode', 'heldOn']))
		expect([...inputs.get('province+/staff._index.tsx')!]).toEqual(expect.arrayContaining(['phone', 'role']))
		// Read by a function the route hands its request to (the report parameters).
		expect([...inputs.get('province+/export.tsx')!]).toEqual(expect.arrayContaining(['granularity', 'breakdown']))
	})
})

const targetCases = Object.entries(MATRIX).flatMap(([file, rule]) =>
	rule.targets
		? TARGET_KINDS.flatMap((kind) => [
				...(rule.targets!.loader ? [{ file, kind, what: 'loader', action: undefined }] : []),
				...(rule.targets!.actions ?? []).map((action) => ({ file, kind, what: `action ${action.name}`, action })),
			])
		: [],
)

describe.each(targetCases)('$file $what on $kind', ({ file, kind, action }) => {
	test.each(PERSONAS)('as %s', async (persona) => {
		const rule = MATRIX[file]!.targets!
		const expected = action ? action.expect[kind][persona] : rule.loader![kind][persona]
		if (expected === 'skip') return
		const module = await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))
		const id = fixture.targets[kind]
		const args = { module, url: rule.url(fixture, id), params: rule.params?.(fixture, id) ?? {}, persona, fixture }
		const { outcome, status } = action
			? await callRouteAs({ ...args, kind: 'action', form: action.form(fixture, id, fixture.targetPhones[kind]) })
			: await callRouteAs({ ...args, kind: 'loader' })
		expect({ outcome, status }).toMatchObject({ outcome: expected })
	})
})
