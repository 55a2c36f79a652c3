import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { disclosureByArea, summariseSeries, suppressRows } from './disclosure.ts'

/**
 * The adversary of issue #16: they hold every answer the reports give (every month, quarter and
 * year of every commune, each total and each published cell; the rule is decided on the whole
 * history, so any other range is a part of this) and solve the linear system they make. A withheld
 * cell from 1 to k − 1 must not be determined by it.
 */
type Cell = { communeCode: string; period: string; value: string; n: number }
const METRICS = ['n'] as const
const MONTHS = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`)
const periodsOfMonth = (month: number) => [MONTHS[month]!, `2026-Q${Math.floor(month / 3) + 1}`, '2026']
const monthsOf = (period: string) =>
	MONTHS.map((_, i) => i).filter((i) => period === '2026' || period === MONTHS[i] || period === `2026-Q${Math.floor(i / 3) + 1}`)
const companion = (v: string) => (v === '' ? 'other' : '')

/** Every cell of every period (month, quarter, year) from monthly counts[commune][group][month]. */
function allCells(counts: number[][][], groups: string[]): Cell[] {
	const cells = new Map<string, Cell>()
	counts.forEach((byGroup, c) =>
		byGroup.forEach((byMonth, g) =>
			byMonth.forEach((n, month) => {
				if (!n) return
				for (const period of periodsOfMonth(month)) {
					const key = `${c}|${period}|${groups[g]}`
					const cell = cells.get(key) ?? { communeCode: `c${c}`, period, value: groups[g]!, n: 0 }
					cell.n += n
					cells.set(key, cell)
				}
			}),
		),
	)
	return [...cells.values()]
}

function publish(cells: Cell[], k: number) {
	const areas = disclosureByArea(summariseSeries(cells, METRICS, k), METRICS, companion)
	return suppressRows(cells, areas, METRICS, ({ communeCode, period }, value) => ({ communeCode, period, value, n: 0 }))
}

/** Whether `target` is a linear combination of `equations` (Gaussian elimination over the reals, 0/1 coefficients). */
function determined(equations: number[][], target: number[]): boolean {
	const basis: { pivot: number; row: number[] }[] = []
	const reduce = (v: number[]) => {
		const r = [...v]
		for (const { pivot, row } of basis) {
			const f = r[pivot]!
			if (Math.abs(f) > 1e-9) for (let j = 0; j < r.length; j++) r[j]! -= f * row[j]!
		}
		return r
	}
	for (const eq of equations) {
		const r = reduce(eq)
		const pivot = r.findIndex((x) => Math.abs(x) > 1e-9)
		if (pivot < 0) continue
		const p = r[pivot]!
		const row = r.map((x) => x / p)
		for (const b of basis) {
			const f = b.row[pivot]!
			if (Math.abs(f) > 1e-9) for (let j = 0; j < row.length; j++) b.row[j]! -= f * row[j]!
		}
		basis.push({ pivot, row })
	}
	return reduce(target).every((x) => Math.abs(x) < 1e-9)
}

describe('ethnic-group disclosure (app/kernel/disclosure.ts)', () => {
	test('a commune whose cells are all 0 or ≥ k is published; one small cell anywhere in its history withholds its every period', () => {
		const groups = ['01', '03', '04']
		// Commune 0: 5 Kinh in January, 6 Thái in March. Commune 1: 5 Kinh in January, 1 Hmong in March.
		const counts = [
			[[5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0], Array(12).fill(0)],
			[[5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], Array(12).fill(0), [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
		]
		const rows = publish(allCells(counts, groups), 5)
		const get = (c: string, period: string, v: string) => rows.find((r) => r.communeCode === c && r.period === period && r.value === v)
		// Commune 0 shown as counted, with every group it ever had in every period (zeros included).
		expect([get('c0', '2026-01', '01')?.n, get('c0', '2026-01', '03')?.n, get('c0', '2026-03', '01')?.n]).toEqual([5, 0, 0])
		// Commune 1: January (5 Kinh, nothing small in it) is withheld too, or the quarter minus January would give March.
		expect(rows.filter((r) => r.communeCode === 'c1').every((r) => r.n === null && r.suppressed?.includes('n'))).toBe(true)
		expect(rows.filter((r) => r.communeCode === 'c1' && r.period === '2026-01').map((r) => r.value)).toEqual(['01', '04'])
		// A group alone gets a companion ('not recorded'), withheld alike.
		const alone = publish(allCells([[Array(12).fill(0), Array(12).fill(0), [0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]], groups), 5)
		expect(alone.map((r) => [r.period, r.value, r.n])).toEqual([
			['2026', '', null],
			['2026', '04', null],
			['2026-02', '', null],
			['2026-02', '04', null],
			['2026-Q1', '', null],
			['2026-Q1', '04', null],
		])
	})

	test('no withheld cell from 1 to k − 1 can be solved from every total and published cell of every granularity', () => {
		const groups = ['', '01', '03', '04']
		fc.assert(
			fc.property(
				fc.integer({ min: 2, max: 6 }),
				fc.array(
					fc.array(fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.nat({ max: 9 })), { minLength: 12, maxLength: 12 }), { minLength: 1, maxLength: 4 }),
					{
						minLength: 1,
						maxLength: 2,
					},
				),
				(k, counts) => {
					const cells = allCells(counts, groups)
					const rows = publish(cells, k)
					// Unknowns: the monthly cell of each commune × group (every group the reports could name, the companion included).
					const names = [...groups, 'other']
					const index = (c: number, v: string, month: number) => (c * names.length + names.indexOf(v)) * 12 + month
					const size = counts.length * names.length * 12
					const vector = (c: number, values: string[], period: string) => {
						const v = Array<number>(size).fill(0)
						for (const value of values) for (const m of monthsOf(period)) v[index(c, value, m)] = 1
						return v
					}
					const equations: number[][] = []
					const periods = [...MONTHS, '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4', '2026']
					counts.forEach((_, c) => {
						const listed = new Set(rows.filter((r) => r.communeCode === `c${c}`).map((r) => r.value))
						// Groups never listed for the commune are known zeros.
						for (const v of names) if (!listed.has(v)) for (const m of MONTHS.keys()) equations.push(vector(c, [v], MONTHS[m]!))
						for (const period of periods) {
							const here = rows.filter((r) => r.communeCode === `c${c}` && r.period === period)
							// The commune's total of the period is published by every report (0 when it has no row).
							equations.push(vector(c, names, period))
							for (const r of here) if (r.n !== null) equations.push(vector(c, [r.value], period))
							for (const r of here) {
								// Every published cell is 0 or ≥ k.
								if (r.n !== null) expect(r.n === 0 || r.n >= k).toBe(true)
							}
						}
					})
					for (const cell of cells) {
						if (cell.n > 0 && cell.n < k) {
							const c = Number(cell.communeCode.slice(1))
							expect(determined(equations, vector(c, [cell.value], cell.period))).toBe(false)
						}
					}
				},
			),
			{ numRuns: 150 },
		)
	})
})
