import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { cellsToSuppress } from './disclosure.ts'

describe('cellsToSuppress', () => {
	test('withholds every cell from 1 to k − 1, publishes zeros and cells of k or more', () => {
		expect([...cellsToSuppress([0, 5, 7, 2, 3], 5)].sort()).toEqual([3, 4])
		expect([...cellsToSuppress([0, 5, 7, 12], 5)]).toEqual([])
	})

	test('a single small cell takes the next smallest cell with it, even a zero', () => {
		expect([...cellsToSuppress([9, 1, 6], 5)].sort()).toEqual([1, 2])
		expect([...cellsToSuppress([9, 1, 0], 5)].sort()).toEqual([1, 2])
	})

	test('no withheld cell can be recovered from the published cells and the published total', () => {
		fc.assert(
			fc.property(fc.array(fc.nat({ max: 12 }), { minLength: 2, maxLength: 12 }), fc.integer({ min: 2, max: 10 }), (cells, k) => {
				const withheld = cellsToSuppress(cells, k)
				const total = cells.reduce((s, n) => s + n, 0)
				const published = cells.filter((_, i) => !withheld.has(i))
				// Every small cell is withheld.
				cells.forEach((n, i) => {
					if (n > 0 && n < k) expect(withheld.has(i)).toBe(true)
				})
				// Subtraction gives the sum of the withheld cells: a single cell only if one alone is withheld.
				expect(withheld.size).not.toBe(1)
				expect(total - published.reduce((s, n) => s + n, 0)).toBe([...withheld].reduce((s, i) => s + cells[i]!, 0))
				// With two or more withheld and a sum above zero, the whole sum could sit in any one of them: none is determined.
				if (withheld.size) expect(total - published.reduce((s, n) => s + n, 0)).toBeGreaterThan(0)
			}),
		)
	})
})
