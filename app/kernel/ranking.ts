/**
 * The province's ranking of communes (issue #17 item 6): by distance from what the yearly target
 * expects by the end of the period, so the list says who is ahead and who is furthest behind even when
 * every commune is red (a ranking by coverage alone was 75 identical red rows). Pure: safe in the browser.
 */

export interface RankInput {
	name: string
	/** Coverage in %; null when the commune has no population figure. */
	coverage: number | null
	/** What the target expects by the end of the period, in %; null when no coverage target is set. */
	expected: number | null
}

export type Ranked<T extends RankInput> = T & {
	/** coverage − expected, in percentage points (negative: behind); null without both. */
	gap: number | null
}

/**
 * Communes with a target first, the one furthest ahead of (or least behind) what is expected first
 * and the one furthest behind last; then communes without a target, by coverage; then those without a
 * population figure. Ties by coverage, then by name (Vietnamese order).
 */
export function rankByExpected<T extends RankInput>(rows: readonly T[]): Ranked<T>[] {
	const group = (r: Ranked<T>) => (r.coverage === null ? 2 : r.gap === null ? 1 : 0)
	return rows
		.map((r) => ({ ...r, gap: r.coverage !== null && r.expected !== null ? Math.round((r.coverage - r.expected) * 1000) / 1000 : null }))
		.sort((a, b) => group(a) - group(b) || (b.gap ?? 0) - (a.gap ?? 0) || (b.coverage ?? 0) - (a.coverage ?? 0) || a.name.localeCompare(b.name, 'vi'))
}
