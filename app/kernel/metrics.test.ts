import { describe, expect, test } from 'vitest'
import { resources } from '#app/utils/i18n.ts'
import { CUMULATIVE_METRICS, emptyCumulative, emptyFigures, METRICS, NON_ADDITIVE_METRICS, PERIOD_METRICS, TARGET_INDICATORS } from './metrics.ts'

/** The value of `ns:a.b.c` in one language's resources, or undefined. */
function translation(lng: 'vi' | 'en', key: string): unknown {
	const [ns, path] = key.split(':') as [keyof (typeof resources)['vi'], string]
	let node: unknown = resources[lng][ns]
	for (const part of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[part]
	return node
}

describe('the one metric list', () => {
	test('every text a metric needs is translated in Vietnamese and English', () => {
		const keys = METRICS.flatMap((m) => [
			...Object.values(m.labels),
			...(m.target ? [m.target.label] : []),
			...(m.perCourse ? [m.perCourse.header] : []),
			...(m.perPeriod ? [`province:columns.${m.column}`] : []),
			...(m.cumulative ? [`province:columns.cumulative_${m.column}`] : []),
		])
		for (const lng of ['vi', 'en'] as const) {
			const missing = keys.filter((key) => typeof translation(lng, key) !== 'string' || !String(translation(lng, key)).trim())
			expect(missing, lng).toEqual([])
		}
	})

	test('ids, export columns and data elements are unique; the rules the readers rely on hold', () => {
		const unique = (xs: unknown[]) => new Set(xs).size === xs.length
		expect(unique(METRICS.map((m) => m.id))).toBe(true)
		expect(unique(METRICS.map((m) => m.column))).toBe(true)
		expect(unique(METRICS.flatMap((m) => (m.dataElement ? [m.dataElement] : [])))).toBe(true)
		for (const m of METRICS) {
			if (m.cumulative || m.perCourse || m.target) expect(m.additive, m.id).toBe(true)
			expect(m.id).toMatch(/^[a-z][A-Za-z]*$/)
			expect(m.column).toMatch(/^[a-z][a-z_]*$/)
		}
	})

	test('the lists the exports and the API have always had', () => {
		expect(PERIOD_METRICS).toEqual(['registered', 'enrolments', 'active', 'completions', 'basicSkills', 'certificates'])
		expect(CUMULATIVE_METRICS).toEqual(['registered', 'enrolments', 'completions', 'basicSkills', 'certificates'])
		expect(NON_ADDITIVE_METRICS).toEqual(['active'])
		expect(TARGET_INDICATORS).toEqual(['coverage', 'registered', 'basicSkills', 'certificates'])
		expect(JSON.stringify(emptyFigures())).toBe(
			'{"registered":0,"enrolments":0,"active":0,"completions":0,"basicSkills":0,"certificates":0,"completionsByCourse":{}}',
		)
		expect(JSON.stringify(emptyCumulative())).toBe('{"registered":0,"enrolments":0,"completions":0,"basicSkills":0,"certificates":0,"completionsByCourse":{}}')
	})
})
