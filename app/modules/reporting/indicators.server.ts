import { DomainError } from '#app/kernel/errors.ts'
import { Prisma } from '#app/generated/prisma/client.ts'
import { reportingDb } from '#app/utils/db.server.ts'
import { env } from '#app/utils/env.server.ts'
import { disclosureByArea, isSensitiveBreakdown, suppressRows } from '#app/kernel/disclosure.ts'

/**
 * The literacy indicators (docs/indicators.md). The one function every figure on every page,
 * export and API answer comes from: the commune workspace, the province dashboard and the API read
 * the same rollups (PeriodStat, written in the same transaction as each event; ADR 006) through
 * `getIndicators`, so they cannot disagree.
 */
import { type Breakdown, BREAKDOWNS, OTHER_ETHNIC_GROUP } from '#app/kernel/demographics.ts'
import { type Granularity, GRANULARITIES } from '#app/kernel/calendar.ts'
import {
	ADDITIVE_METRICS,
	type AdditiveMetric,
	byCourseKey,
	type Cumulative,
	CUMULATIVE_METRICS,
	emptyCumulative,
	emptyFigures,
	type Figures,
	type MetricId,
	NON_ADDITIVE_METRICS,
	type NonAdditiveMetric,
	PER_COURSE_METRICS,
	PERIOD_METRICS,
	type PeriodMetric,
	type TargetIndicator,
	zeros,
} from '#app/kernel/metrics.ts'
export { BREAKDOWNS, type Breakdown } from '#app/kernel/demographics.ts'
export { GRANULARITIES, type Granularity } from '#app/kernel/calendar.ts'
export {
	CUMULATIVE_METRICS,
	PERIOD_METRICS,
	TARGET_INDICATORS,
	type Cumulative,
	type CumulativeMetric,
	type Figures,
	type PeriodMetric,
	type TargetIndicator,
} from '#app/kernel/metrics.ts'

export type Rag = 'red' | 'amber' | 'green'

export interface Population {
	adults: number
	source: string
	asOf: string
}

export interface TargetStatus {
	indicator: TargetIndicator
	target: number
	/** What the target is compared with: coverage in %, the others cumulative counts. */
	actual: number | null
	/** The share of the yearly target expected by the end of the period (pro rata by month). */
	expected: number
	rag: Rag | null
}

export interface Row {
	communeCode: string
	period: string
	figures: Figures
	cumulative: Cumulative
	population: Population | null
	/** Residents with basic digital skills (cumulative) / adult population, in %; null when the population is missing. */
	coverage: number | null
	targets: TargetStatus[]
}

export interface IndicatorQuery {
	provinceCode: string
	/** A subset of the province's communes; all of them when absent. */
	communeCodes?: string[]
	/** First and last month of the range, 'YYYY-MM'; widened to whole periods of the granularity. */
	from: string
	to: string
	granularity: Granularity
}

export interface IndicatorReport {
	provinceCode: string
	granularity: Granularity
	from: string
	to: string
	periods: string[]
	communeCodes: string[]
	/** One row per commune and period, communes in code order, periods in time order. */
	rows: Row[]
	/** The province (or the selected communes) per period: sums of the rows, coverage over the summed population. */
	totals: Row[]
}

export class IndicatorQueryError extends DomainError {
	constructor(readonly reason: 'badMonth' | 'badRange' | 'rangeTooLong' | 'badGranularity' | 'unknownCommune') {
		super(`province:errors.${reason}`)
	}
}

const MONTH = /^(20\d\d)-(0[1-9]|1[0-2])$/
export const MAX_MONTHS = 120

function monthIndex(month: string) {
	const m = MONTH.exec(month)
	if (!m) throw new IndicatorQueryError('badMonth')
	return Number(m[1]) * 12 + Number(m[2]) - 1
}

function monthAt(index: number) {
	return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}

/** The period of the granularity that contains a month. */
export function periodOfMonth(month: string, granularity: Granularity): string {
	const year = month.slice(0, 4)
	if (granularity === 'year') return year
	if (granularity === 'quarter') return `${year}-Q${Math.ceil(Number(month.slice(5, 7)) / 3)}`
	return month
}

/** First and last month of a period ('2026', '2026-Q2' or '2026-05'). */
export function monthsOfPeriod(period: string): [string, string] {
	if (/^\d{4}$/.test(period)) return [`${period}-01`, `${period}-12`]
	const q = /^(\d{4})-Q([1-4])$/.exec(period)
	if (q) {
		const first = (Number(q[2]) - 1) * 3 + 1
		return [`${q[1]}-${String(first).padStart(2, '0')}`, `${q[1]}-${String(first + 2).padStart(2, '0')}`]
	}
	return [period, period]
}

/** The months of the range widened to whole periods, and the periods in order. */
export function periodRange(from: string, to: string, granularity: Granularity) {
	if (!GRANULARITIES.includes(granularity)) throw new IndicatorQueryError('badGranularity')
	const a = monthIndex(from)
	const b = monthIndex(to)
	if (b < a) throw new IndicatorQueryError('badRange')
	if (b - a >= MAX_MONTHS) throw new IndicatorQueryError('rangeTooLong')
	const periods: string[] = []
	for (let i = a; i <= b; i++) {
		const p = periodOfMonth(monthAt(i), granularity)
		if (periods.at(-1) !== p) periods.push(p)
	}
	return { periods, firstMonth: monthsOfPeriod(periods[0]!)[0], lastMonth: monthsOfPeriod(periods.at(-1)!)[1] }
}

/** The additive metrics of one month (or of a sum of months), with the per-course counts. */
type Counts = Record<AdditiveMetric, number> & { byCourse: Record<string, Record<string, number>> }
type StatRow = { communeCode: string; period: string; courseId: string } & Record<AdditiveMetric, number>

const emptyCounts = (): Counts => ({ ...zeros(ADDITIVE_METRICS), byCourse: Object.fromEntries(PER_COURSE_METRICS.map((m) => [m, {}])) })

function addInto(target: Counts, row: StatRow) {
	for (const m of ADDITIVE_METRICS) target[m] += row[m]
	if (row.courseId) for (const m of PER_COURSE_METRICS) if (row[m]) target.byCourse[m]![row.courseId] = (target.byCourse[m]![row.courseId] ?? 0) + row[m]
}

/** Adds `counts` to `target`, per-course entries in their order. */
function addCounts(target: Counts, counts: Counts) {
	for (const m of ADDITIVE_METRICS) target[m] += counts[m]
	for (const m of PER_COURSE_METRICS)
		for (const [course, n] of Object.entries(counts.byCourse[m]!)) target.byCourse[m]![course] = (target.byCourse[m]![course] ?? 0) + n
}

/** The figures of a period: its additive counts and its distinct-learner counts, keys in the order of METRICS. */
function figuresOf(counts: Counts, distinct: Partial<Record<NonAdditiveMetric, number>>): Figures {
	const figures = emptyFigures() as Record<string, unknown>
	for (const m of PERIOD_METRICS) figures[m] = isAdditive(m) ? counts[m] : (distinct[m] ?? 0)
	for (const m of PER_COURSE_METRICS) if (byCourseKey(m) in figures) figures[byCourseKey(m)] = counts.byCourse[m]
	return figures as Figures
}

function cumulativeOf(counts: Counts): Cumulative {
	const cumulative = emptyCumulative() as Record<string, unknown>
	for (const m of CUMULATIVE_METRICS) cumulative[m] = counts[m]
	for (const m of PER_COURSE_METRICS) if (byCourseKey(m) in cumulative) cumulative[byCourseKey(m)] = structuredClone(counts.byCourse[m])
	return cumulative as Cumulative
}

const isAdditive = (m: MetricId): m is AdditiveMetric => (ADDITIVE_METRICS as MetricId[]).includes(m)
const columnList = (ids: readonly MetricId[]) => Prisma.raw(ids.map((m) => `"${m}"`).join(', '))

const round1 = (n: number) => Math.round(n * 10) / 10

/**
 * Coverage in % with one decimal, and two significant digits below 1 %, so early progress never
 * reads as 0 (27 people of 900 000 adults: 0.003, shown "< 0,1%"); null when the population is missing or zero.
 */
export function coverageOf(basicSkills: number, population: Population | null): number | null {
	if (!population || population.adults <= 0) return null
	const percent = (basicSkills * 100) / population.adults
	return percent < 1 ? Number(percent.toPrecision(2)) : round1(percent)
}

/**
 * Red / amber / green against a yearly target, pro rata by month (Resolution 57 monitoring style):
 * green when the actual value has reached what the target expects by the end of the period,
 * amber when it has reached at least 80 % of that, red below.
 */
export function ragFor(actual: number | null, target: number, period: string): { expected: number; rag: Rag | null } {
	const lastMonth = Number(monthsOfPeriod(period)[1].slice(5, 7))
	const expected = round1((target * lastMonth) / 12)
	if (actual === null) return { expected, rag: null }
	if (actual >= expected) return { expected, rag: 'green' }
	if (actual >= expected * 0.8) return { expected, rag: 'amber' }
	return { expected, rag: 'red' }
}

async function communesOf(query: IndicatorQuery): Promise<string[]> {
	const rows = await reportingDb.commune.findMany({ where: { provinceCode: query.provinceCode }, select: { code: true }, orderBy: { code: 'asc' } })
	const all = rows.map((r) => r.code)
	if (!query.communeCodes) return all
	const known = new Set(all)
	const wanted = [...new Set(query.communeCodes)]
	if (wanted.some((c) => !known.has(c))) throw new IndicatorQueryError('unknownCommune')
	return wanted.sort()
}

/** Population figures per commune, newest first. */
async function populations(communeCodes: string[]) {
	const rows = await reportingDb.communePopulation.findMany({
		where: { communeCode: { in: communeCodes } },
		orderBy: [{ communeCode: 'asc' }, { asOf: 'desc' }],
		select: { communeCode: true, adultPopulation: true, source: true, asOf: true },
	})
	const byCommune = new Map<string, Population[]>()
	for (const r of rows) {
		const list = byCommune.get(r.communeCode) ?? []
		list.push({ adults: r.adultPopulation, source: r.source, asOf: r.asOf.toISOString().slice(0, 10) })
		byCommune.set(r.communeCode, list)
	}
	return byCommune
}

/** The newest figure dated on or before the end of the period, else the oldest one after it. */
function populationAt(list: Population[] | undefined, lastMonth: string): Population | null {
	if (!list?.length) return null
	const end = `${lastMonth}-31`
	return list.find((p) => p.asOf <= end) ?? list.at(-1)!
}

export async function getIndicators(query: IndicatorQuery): Promise<IndicatorReport> {
	const { periods, firstMonth, lastMonth } = periodRange(query.from, query.to, query.granularity)
	const communeCodes = await communesOf(query)
	const communeList = communeCodes.length ? Prisma.join(communeCodes) : Prisma.sql`NULL`
	// Additive metrics: every month up to the end of the range (for the cumulative figures too).
	// Months are the only 7-character periods.
	const monthly = await reportingDb.$queryRaw<StatRow[]>`
		SELECT "communeCode", "period", "courseId", ${columnList(ADDITIVE_METRICS)}
		FROM "PeriodStat"
		WHERE "provinceCode" = ${query.provinceCode} AND "communeCode" IN (${communeList})
		  AND length("period") = 7 AND substr("period", 6, 1) <> 'Q' AND "period" <= ${lastMonth}`
	// Active learners (the metrics that are not additive) are distinct per period, so they are read at the requested granularity.
	const distinctRows = NON_ADDITIVE_METRICS.length
		? await reportingDb.$queryRaw<({ communeCode: string; period: string } & Record<NonAdditiveMetric, number>)[]>`
		SELECT "communeCode", "period", ${columnList(NON_ADDITIVE_METRICS)} FROM "PeriodStat"
		WHERE "provinceCode" = ${query.provinceCode} AND "communeCode" IN (${communeList})
		  AND "courseId" = '' AND "period" IN (${Prisma.join(periods)}) AND (${Prisma.raw(NON_ADDITIVE_METRICS.map((m) => `"${m}" > 0`).join(' OR '))})`
		: []
	const targets = await reportingDb.target.findMany({
		where: { provinceCode: query.provinceCode, communeCode: { in: communeCodes }, year: { in: [...new Set(periods.map((p) => Number(p.slice(0, 4))))] } },
		select: { communeCode: true, indicator: true, year: true, value: true },
	})
	const pops = await populations(communeCodes)

	const periodIndex = new Map(periods.map((p, i) => [p, i]))
	const perPeriod = new Map<string, Counts[]>(communeCodes.map((c) => [c, periods.map(emptyCounts)]))
	const distinct = new Map<string, Partial<Record<NonAdditiveMetric, number>>[]>(communeCodes.map((c) => [c, periods.map(() => ({}))]))
	// before[c] = totals up to the month before the range; then each period adds its own.
	const before = new Map<string, Counts>(communeCodes.map((c) => [c, emptyCounts()]))
	for (const row of monthly) {
		if (row.period < firstMonth) {
			addInto(before.get(row.communeCode)!, row)
			continue
		}
		const i = periodIndex.get(periodOfMonth(row.period, query.granularity))!
		addInto(perPeriod.get(row.communeCode)![i]!, row)
	}
	for (const row of distinctRows) {
		const values = distinct.get(row.communeCode)![periodIndex.get(row.period)!]!
		for (const m of NON_ADDITIVE_METRICS) values[m] = Number(row[m])
	}

	const rows: Row[] = []
	for (const communeCode of communeCodes) {
		const running = structuredClone(before.get(communeCode)!)
		periods.forEach((period, i) => {
			const counts = perPeriod.get(communeCode)![i]!
			const figures = figuresOf(counts, distinct.get(communeCode)![i]!)
			addCounts(running, counts)
			const cumulative = cumulativeOf(running)
			const population = populationAt(pops.get(communeCode), monthsOfPeriod(period)[1])
			const coverage = coverageOf(cumulative.basicSkills, population)
			const year = Number(period.slice(0, 4))
			const statuses = targets
				.filter((t) => t.communeCode === communeCode && t.year === year)
				.map((t) => targetStatus(t.indicator as TargetIndicator, t.value, period, cumulative, coverage))
			rows.push({ communeCode, period, figures, cumulative, population, coverage, targets: statuses })
		})
	}
	return {
		provinceCode: query.provinceCode,
		granularity: query.granularity,
		from: firstMonth,
		to: lastMonth,
		periods,
		communeCodes,
		rows,
		totals: totalsOf(periods, rows),
	}
}

function targetStatus(indicator: TargetIndicator, target: number, period: string, cumulative: Cumulative, coverage: number | null): TargetStatus {
	const actual = indicator === 'coverage' ? coverage : cumulative[indicator]
	return { indicator, target, actual, ...ragFor(actual, target, period) }
}

/**
 * Sums per period. Coverage is the summed basic skills over the summed population of the communes
 * that have one (and missing when none has); active learners are the sum of the communes' (a
 * learner who moved commune within a period counts in both).
 */
function totalsOf(periods: string[], rows: Row[]): Row[] {
	return periods.map((period) => {
		const figures = emptyFigures()
		const cumulative = emptyCumulative()
		let adults = 0
		let covered = 0
		let withPopulation = 0
		for (const row of rows) {
			if (row.period !== period) continue
			sumInto(figures, row.figures, PERIOD_METRICS)
			sumInto(cumulative, row.cumulative, CUMULATIVE_METRICS)
			if (row.population) {
				adults += row.population.adults
				covered += row.cumulative.basicSkills
				withPopulation++
			}
		}
		const population = withPopulation ? { adults, source: `${withPopulation}`, asOf: '' } : null
		return { communeCode: '', period, figures, cumulative, population, coverage: coverageOf(covered, population), targets: [] }
	})
}

/** Adds `source` to `target`: the metrics of `ids` and every per-course map the two hold, entries in their order. */
function sumInto<T extends Figures | Cumulative>(target: T, source: T, ids: readonly MetricId[]) {
	const into = target as unknown as Record<string, number | Record<string, number>>
	const from = source as unknown as Record<string, number | Record<string, number>>
	for (const m of ids) (into[m] as number) += from[m] as number
	for (const m of PER_COURSE_METRICS) {
		const map = into[byCourseKey(m)] as Record<string, number> | undefined
		if (map) for (const [course, n] of Object.entries(from[byCourseKey(m)] as Record<string, number>)) map[course] = (map[course] ?? 0) + n
	}
}

export type BreakdownRow = { communeCode: string; period: string; value: string } & Record<PeriodMetric, number | null> & {
		/** The metrics withheld in this row (null above), for an ethnic-group breakdown (app/kernel/disclosure.ts); absent when none is. */
		suppressed?: PeriodMetric[]
	}
type CountRow = { communeCode: string; period: string; value: string } & Record<PeriodMetric, number>

/**
 * Figures per period split by one learner attribute ('' = not recorded), from the breakdown rollup
 * (PeriodCellStat). Sums over the values equal the period figures of `getIndicators`.
 */
export async function getBreakdown(query: IndicatorQuery, by: Breakdown, threshold = env.SMALL_CELL_THRESHOLD): Promise<BreakdownRow[]> {
	if (!BREAKDOWNS.includes(by)) throw new IndicatorQueryError('badGranularity')
	const { periods } = periodRange(query.from, query.to, query.granularity)
	const communeCodes = await communesOf(query)
	if (!communeCodes.length) return []
	const column = Prisma.raw(`"${by}"`)
	// One rollup row per commune × period × demographic cell (ADR 010): a province's year of months
	// is a few thousand rows, whatever the number of residents.
	const rows = await reportingDb.$queryRaw<CountRow[]>`
		SELECT "communeCode", "period", ${column} AS "value", ${BREAKDOWN_SUMS}
		FROM "PeriodCellStat"
		WHERE "provinceCode" = ${query.provinceCode} AND "communeCode" IN (${Prisma.join(communeCodes)}) AND "period" IN (${Prisma.join(periods)})
		GROUP BY 1, 2, 3`
	const sorted = rows.sort((a, b) => a.communeCode.localeCompare(b.communeCode) || a.period.localeCompare(b.period) || a.value.localeCompare(b.value))
	if (!isSensitiveBreakdown(by)) return sorted
	// Decided over every period the communes have ever had (app/kernel/disclosure.ts), whatever the
	// range asked for, so that no two answers can be subtracted from each other.
	const small = Prisma.raw(PERIOD_METRICS.map((m) => `BOOL_OR("${m}" BETWEEN 1 AND ${Math.max(1, Math.trunc(threshold)) - 1}) AS "${m}"`).join(', '))
	const summaries = await reportingDb.$queryRaw<({ communeCode: string; value: string } & Record<PeriodMetric, boolean>)[]>`
		SELECT "communeCode", "value", ${small}
		FROM (
			SELECT "communeCode", "period", ${column} AS "value", ${BREAKDOWN_SUMS}
			FROM "PeriodCellStat"
			WHERE "provinceCode" = ${query.provinceCode} AND "communeCode" IN (${Prisma.join(communeCodes)})
			GROUP BY 1, 2, 3
		) AS "cells"
		GROUP BY 1, 2`
	const areas = disclosureByArea(
		summaries.map(({ communeCode, value, ...small }) => ({ communeCode, value, small })),
		PERIOD_METRICS,
		(value) => (value === '' ? OTHER_ETHNIC_GROUP : ''),
	)
	return suppressRows(sorted, areas, PERIOD_METRICS, ({ communeCode, period }, value) => ({ communeCode, period, value, ...zeros(PERIOD_METRICS) }))
}

// The additive metrics first, then the others: the key order of the breakdown rows in the JSON export and API since they began.
const BREAKDOWN_SUMS = Prisma.raw(
	[...PERIOD_METRICS.filter(isAdditive), ...PERIOD_METRICS.filter((m) => !isAdditive(m))].map((m) => `SUM("${m}")::int AS "${m}"`).join(', '),
)
