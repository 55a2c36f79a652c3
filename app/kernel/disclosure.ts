import { type Breakdown } from './demographics.ts'

/**
 * Statistical disclosure control for the breakdowns (issue #16). Pure: safe in the browser.
 *
 * Ethnic origin is sensitive personal data (Decree 13/2023/NĐ-CP, art. 2.4): a count of 1 Hmong
 * learner in a commune and month points at a person. Sex and age band are basic personal data
 * (art. 2.3) and their counts are the usual published statistics, so only the ethnic-group
 * breakdown is protected.
 *
 * The figures published together (dashboard, XLSX/JSON exports, the API; any range and any
 * granularity, asked for as often as one likes) are, per commune: the total of each metric for
 * every month, quarter and year, and the ethnic-group cells of the same periods. Months add up to
 * quarters and quarters to years, so protecting each commune × period on its own is not enough (a
 * quarter's cell minus two months' cells gives the third month), and complementary suppression
 * leaks too when the rule is public (the companion cell is known to be 0 or ≥ k, so a withheld sum
 * below k is all the small cell's). The rule is therefore decided once per **commune and metric**,
 * over every period of every granularity the commune has ever had, and applied to all of them:
 *
 * - when every ethnic-group cell of the commune for the metric, in every period, is 0 or ≥ k, the
 *   cells are published (and every sum of them is 0 or ≥ k too);
 * - otherwise every ethnic-group cell of the commune for that metric is withheld, in every period:
 *   what is left to subtract from is the commune's total, which is published anyway;
 * - every period of a commune lists the same groups (every group ever counted there, zeros where
 *   it had none), so a row's presence never tells that a withheld cell is above zero; a withheld
 *   group alone in its commune gets a companion ('not recorded', or 'other'), withheld alike, or
 *   the commune's total would be its cell.
 *
 * No withheld cell can then be recovered by any combination of published figures: every
 * published cell is 0 or ≥ k, and a withheld block gives nothing beyond the commune's totals.
 * No breakdown is published for more than one commune (no province row) nor per course, and CSV,
 * DHIS2 and ADX carry none; one that is must apply the same rule to its own cells (SECURITY.md).
 */
export const SENSITIVE_BREAKDOWNS: readonly Breakdown[] = ['ethnicGroup']

export function isSensitiveBreakdown(by: Breakdown): boolean {
	return SENSITIVE_BREAKDOWNS.includes(by)
}

/** One group of one commune over its whole history: whether any of its cells (any period, any granularity) is from 1 to k − 1. */
export interface SeriesSummary<M extends string> {
	communeCode: string
	value: string
	small: Record<M, boolean>
}

/** What is published of each area: the metrics withheld in it, and the groups every period of it lists. */
export interface AreaDisclosure<M extends string> {
	withheld: Set<M>
	values: string[]
}

/** Summaries of the series in `cells`: every period of every granularity, one cell per area × period × value. */
export function summariseSeries<M extends string>(
	cells: readonly ({ communeCode: string; value: string } & Record<M, number>)[],
	metrics: readonly M[],
	threshold: number,
): SeriesSummary<M>[] {
	const out = new Map<string, SeriesSummary<M>>()
	for (const c of cells) {
		const key = `${c.communeCode}|${c.value}`
		let s = out.get(key)
		if (!s) {
			s = { communeCode: c.communeCode, value: c.value, small: Object.fromEntries(metrics.map((m) => [m, false])) as Record<M, boolean> }
			out.set(key, s)
		}
		for (const m of metrics) if (c[m] > 0 && c[m] < threshold) s.small[m] = true
	}
	return [...out.values()]
}

/**
 * Per area: a metric is withheld when any group's series of it has a small cell; the groups are
 * those ever counted, and `companion(value)` beside a group alone in an area with a withheld metric.
 */
export function disclosureByArea<M extends string>(
	summaries: readonly SeriesSummary<M>[],
	metrics: readonly M[],
	companion: (value: string) => string,
): Map<string, AreaDisclosure<M>> {
	const out = new Map<string, AreaDisclosure<M>>()
	for (const s of summaries) {
		let area = out.get(s.communeCode)
		if (!area) {
			area = { withheld: new Set(), values: [] }
			out.set(s.communeCode, area)
		}
		area.values.push(s.value)
		for (const m of metrics) if (s.small[m]) area.withheld.add(m)
	}
	for (const area of out.values()) {
		if (area.withheld.size && area.values.length === 1) area.values.push(companion(area.values[0]!))
		area.values.sort((a, b) => a.localeCompare(b))
	}
	return out
}

/**
 * The published rows: each area × period that has a row lists every group of the area (missing
 * ones as zeros); withheld cells become null, named in `suppressed`. Sorted by area, period, value.
 */
export function suppressRows<M extends string, R extends { communeCode: string; period: string; value: string } & Record<M, number>>(
	rows: readonly R[],
	areas: Map<string, AreaDisclosure<M>>,
	metrics: readonly M[],
	blank: (like: R, value: string) => R,
): (Omit<R, M> & Record<M, number | null> & { suppressed?: M[] })[] {
	const groups = new Map<string, Map<string, R>>()
	for (const row of rows) {
		const key = `${row.communeCode}|${row.period}`
		const group = groups.get(key) ?? new Map<string, R>()
		group.set(row.value, row)
		groups.set(key, group)
	}
	type Published = Omit<R, M> & Record<M, number | null> & { suppressed?: M[] }
	const out: Published[] = []
	const ordered = [...groups.values()].map((g) => [...g.values()]).map((rows) => ({ like: rows[0]!, byValue: new Map(rows.map((r) => [r.value, r])) }))
	ordered.sort((a, b) => a.like.communeCode.localeCompare(b.like.communeCode) || a.like.period.localeCompare(b.like.period))
	for (const { like, byValue } of ordered) {
		const area = areas.get(like.communeCode)
		const values = [...new Set([...(area?.values ?? []), ...byValue.keys()])].sort((a, b) => a.localeCompare(b))
		for (const value of values) {
			const published = { ...(byValue.get(value) ?? blank(like, value)) } as Published
			const withheld = metrics.filter((m) => area?.withheld.has(m))
			for (const m of withheld) published[m] = null as never
			if (withheld.length) published.suppressed = withheld
			out.push(published)
		}
	}
	return out
}

/** The marker a table shows in place of a withheld cell: "<5". */
export function suppressedMarker(threshold: number): string {
	return `<${threshold}`
}
