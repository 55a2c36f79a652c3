import { describe, expect, test } from 'vitest'
import { rankByExpected } from './ranking.ts'

describe('ranking communes against what is expected', () => {
	test('furthest ahead of the expected level first, furthest behind last, even when every commune is behind', () => {
		const ranked = rankByExpected([
			{ name: 'Xã A', coverage: 0.003, expected: 36.7 },
			{ name: 'Xã B', coverage: 12, expected: 36.7 },
			{ name: 'Xã C', coverage: 5, expected: 10 },
			{ name: 'Xã D', coverage: 0, expected: 36.7 },
		])
		// C is 5 points behind, B 24.7, A 36.697, D 36.7: all red, yet each has its place.
		expect(ranked.map((r) => r.name)).toEqual(['Xã C', 'Xã B', 'Xã A', 'Xã D'])
		expect(ranked.map((r) => r.gap)).toEqual([-5, -24.7, -36.697, -36.7])
	})

	test('communes without a target come after, by coverage; those without a population figure last', () => {
		const ranked = rankByExpected([
			{ name: 'Xã Không Dân', coverage: null, expected: 20 },
			{ name: 'Xã Ít', coverage: 1, expected: null },
			{ name: 'Xã Nhiều', coverage: 3, expected: null },
			{ name: 'Xã Vượt', coverage: 30, expected: 20 },
		])
		expect(ranked.map((r) => r.name)).toEqual(['Xã Vượt', 'Xã Nhiều', 'Xã Ít', 'Xã Không Dân'])
		expect(ranked[0]!.gap).toBe(10)
		expect(ranked[3]!.gap).toBeNull()
	})

	test('ties are ordered by name, the Vietnamese way', () => {
		const ranked = rankByExpected([
			{ name: 'Xã Ớt', coverage: 0, expected: 10 },
			{ name: 'Xã Ô', coverage: 0, expected: 10 },
			{ name: 'Xã O', coverage: 0, expected: 10 },
		])
		expect(ranked.map((r) => r.name)).toEqual(['Xã O', 'Xã Ô', 'Xã Ớt'])
	})
})
