import { type Breakdown } from './demographics.ts'

/**
 * Statistical disclosure control for the breakdowns (issue #16). Pure: safe in the browser.
 *
 * Ethnic origin is sensitive personal data (Decree 13/2023/NĐ-CP, art. 2.4): a count of 1 Hmong
 * learner in a commune and month points at a person. Sex and age band are basic personal data
 * (art. 2.3) and their counts are the usual published statistics, so only the ethnic-group
 * breakdown is protected. A cell from 1 to k − 1 is withheld (primary suppression); a true zero is
 * published. The commune's figure for the period (the row total) is published by every report,
 * so a row with a single withheld cell would give it back by subtraction: the next smallest cell
 * of that row is withheld too (complementary suppression).
 */
export const SENSITIVE_BREAKDOWNS: readonly Breakdown[] = ['ethnicGroup']

export function isSensitiveBreakdown(by: Breakdown): boolean {
	return SENSITIVE_BREAKDOWNS.includes(by)
}

/**
 * The indexes of the cells of one group (cells that add up to a published total) to withhold.
 * Never exactly one: total − published cells then equals only a sum of two or more withheld
 * cells. A group of a single cell cannot be protected this way: `padGroup` gives it a second.
 */
export function cellsToSuppress(cells: readonly number[], threshold: number): Set<number> {
	const withheld = new Set<number>()
	cells.forEach((n, i) => {
		if (n > 0 && n < threshold) withheld.add(i)
	})
	if (withheld.size === 1) {
		let next = -1
		cells.forEach((n, i) => {
			if (!withheld.has(i) && (next < 0 || n < cells[next]!)) next = i
		})
		if (next >= 0) withheld.add(next)
	}
	return withheld
}

/** The marker a table shows in place of a withheld cell: "<5". */
export function suppressedMarker(threshold: number): string {
	return `<${threshold}`
}
