import { DomainError } from '#app/kernel/errors.ts'
import { Prisma } from '#app/generated/prisma/client.ts'
import { reportingDb } from '#app/utils/db.server.ts'

/**
 * The literacy indicators (docs/indicators.md). The one function every figure on every page,
 * export and API answer comes from: the commune workspace, the province dashboard and the API read
 * the same rollups (PeriodStat, written in the same transaction as each event; ADR 006) through
 * `getIndicators`, so they cannot disagree.
 */
import { type Breakdown, BREAKDOWNS, type Granularity, GRANULARITIES, type TargetIndicator } from './constants.ts'
export { BREAKDOWNS, GRANULARITIES, TARGET_INDICATORS, type Breakdown, type Granularity, type TargetIndicator } from './constants.ts'

/** Counted per period. `active` is not additive across periods; the others are. */
export const PERIOD_METRICS = ['registered', 'enrolments', 'active', 'completions', 'basicSkills', 'certificates'] as const
export type PeriodMetric = (typeof PERIOD_METRICS)[number]
/** Counted from the start up to the end of the period. */
export const CUMULATIVE_METRICS = ['registered', 'enrolments', 'completions', 'basicSkills', 'certificates'] as const
export type CumulativeMetric = (typeof CUMULATIVE_METRICS)[number]


export type Rag = 'red' | 'amber' | 'green'

export interface Figures {
	registered: number
	enrolments: number
	active: number
	completions: number
	basicSkills: number
	certificates: number
	completionsByCourse: Record<string, number>
}

export interface Cumulative {
	registered: number
	enrolments: number
	completions: number
	basicSkills: number
	certificates: number
	completionsByCourse: Record<string, number>
}

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

function emptyFigures(): Figures {
	return { registered: 0, enrolments: 0, active: 0, completions: 0, basicSkills: 0, certificates: 0, completionsByCourse: {} }
}

function emptyCumulative(): Cumulative {
	return { registered: 0, enrolments: 0, completions: 0, basicSkills: 0, certificates: 0, completionsByCourse: {} }
}

type StatRow = { communeCode: string; period: string; courseId: string; registered: number; enrolments: number; completions: number; certificates: number; basicSkills: number; active: number }

function addInto(target: Figures | Cumulative, row: StatRow) {
	target.registered += row.registered
	target.enrolments += row.enrolments
	target.completions += row.completions
	target.basicSkills += row.basicSkills
	target.certificates += row.certificates
	if (row.courseId && row.completions) target.completionsByCourse[row.courseId] = (target.completionsByCourse[row.courseId] ?? 0) + row.completions
}

const round1 = (n: number) => Math.round(n * 10) / 10

/** Coverage in % with one decimal (two below 1 %, so early progress does not read as 0); null when the population is missing or zero. */
export function coverageOf(basicSkills: number, population: Population | null): number | null {
	if (!population || population.adults <= 0) return null
	const percent = (basicSkills * 100) / population.adults
	return percent < 1 ? Math.round(percent * 100) / 100 : round1(percent)
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
		SELECT "communeCode", "period", "courseId", "registered", "enrolments", "completions", "certificates", "basicSkills", 0 AS "active"
		FROM "PeriodStat"
		WHERE "provinceCode" = ${query.provinceCode} AND "communeCode" IN (${communeList})
		  AND length("period") = 7 AND substr("period", 6, 1) <> 'Q' AND "period" <= ${lastMonth}`
	// Active learners are distinct per period, so they are read at the requested granularity.
	const activeRows = await reportingDb.$queryRaw<{ communeCode: string; period: string; active: number }[]>`
		SELECT "communeCode", "period", "active" FROM "PeriodStat"
		WHERE "provinceCode" = ${query.provinceCode} AND "communeCode" IN (${communeList})
		  AND "courseId" = '' AND "period" IN (${Prisma.join(periods)}) AND "active" > 0`
	const targets = await reportingDb.target.findMany({
		where: { provinceCode: query.provinceCode, communeCode: { in: communeCodes }, year: { in: [...new Set(periods.map((p) => Number(p.slice(0, 4))))] } },
		select: { communeCode: true, indicator: true, year: true, value: true },
	})
	const pops = await populations(communeCodes)

	const periodIndex = new Map(periods.map((p, i) => [p, i]))
	const perPeriod = new Map<string, Figures[]>(communeCodes.map((c) => [c, periods.map(emptyFigures)]))
	// cumulativeBefore[c] = totals up to the month before the range; then each period adds its own.
	const before = new Map<string, Cumulative>(communeCodes.map((c) => [c, emptyCumulative()]))
	for (const row of monthly) {
		if (row.period < firstMonth) {
			addInto(before.get(row.communeCode)!, row)
			continue
		}
		const i = periodIndex.get(periodOfMonth(row.period, query.granularity))!
		addInto(perPeriod.get(row.communeCode)![i]!, row)
	}
	for (const row of activeRows) perPeriod.get(row.communeCode)![periodIndex.get(row.period)!]!.active = Number(row.active)

	const rows: Row[] = []
	for (const communeCode of communeCodes) {
		const running = structuredClone(before.get(communeCode)!)
		periods.forEach((period, i) => {
			const figures = perPeriod.get(communeCode)![i]!
			addInto(running, { ...figures, communeCode, period, courseId: '', active: 0 })
			for (const [course, n] of Object.entries(figures.completionsByCourse)) running.completionsByCourse[course] = (running.completionsByCourse[course] ?? 0) + n
			const cumulative = structuredClone(running)
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
		totals: totalsOf(periods, rows, activeTotals(periods, activeRows)),
	}
}

function targetStatus(indicator: TargetIndicator, target: number, period: string, cumulative: Cumulative, coverage: number | null): TargetStatus {
	const actual = indicator === 'coverage' ? coverage : cumulative[indicator]
	return { indicator, target, actual, ...ragFor(actual, target, period) }
}

function activeTotals(periods: string[], activeRows: { period: string; active: number }[]) {
	const totals = new Map(periods.map((p) => [p, 0]))
	for (const r of activeRows) totals.set(r.period, totals.get(r.period)! + Number(r.active))
	return totals
}

/**
 * Sums per period. Coverage is the summed basic skills over the summed population of the communes
 * that have one (and missing when none has); active learners are the sum of the communes' (a
 * learner who moved commune within a period counts in both).
 */
function totalsOf(periods: string[], rows: Row[], active: Map<string, number>): Row[] {
	return periods.map((period) => {
		const figures = emptyFigures()
		const cumulative = emptyCumulative()
		let adults = 0
		let covered = 0
		let withPopulation = 0
		for (const row of rows) {
			if (row.period !== period) continue
			addInto(figures, { ...row.figures, communeCode: '', period, courseId: '', active: 0 })
			addInto(cumulative, { ...row.cumulative, communeCode: '', period, courseId: '', active: 0 })
			for (const [c, n] of Object.entries(row.figures.completionsByCourse)) figures.completionsByCourse[c] = (figures.completionsByCourse[c] ?? 0) + n
			for (const [c, n] of Object.entries(row.cumulative.completionsByCourse)) cumulative.completionsByCourse[c] = (cumulative.completionsByCourse[c] ?? 0) + n
			if (row.population) {
				adults += row.population.adults
				covered += row.cumulative.basicSkills
				withPopulation++
			}
		}
		figures.active = active.get(period) ?? 0
		const population = withPopulation ? { adults, source: `${withPopulation}`, asOf: '' } : null
		return { communeCode: '', period, figures, cumulative, population, coverage: coverageOf(covered, population), targets: [] }
	})
}

export interface BreakdownRow {
	communeCode: string
	period: string
	value: string
	registered: number
	enrolments: number
	active: number
	completions: number
	basicSkills: number
	certificates: number
}

/**
 * Figures per period split by one learner attribute ('' = not recorded), from the breakdown rollup
 * (PeriodCellStat). Sums over the values equal the period figures of `getIndicators`.
 */
export async function getBreakdown(query: IndicatorQuery, by: Breakdown): Promise<BreakdownRow[]> {
	if (!BREAKDOWNS.includes(by)) throw new IndicatorQueryError('badGranularity')
	const { periods } = periodRange(query.from, query.to, query.granularity)
	const communeCodes = await communesOf(query)
	if (!communeCodes.length) return []
	const column = Prisma.raw(`"${by}"`)
	// One rollup row per commune × period × demographic cell (ADR 010): a province's year of months
	// is a few thousand rows, whatever the number of residents.
	const rows = await reportingDb.$queryRaw<BreakdownRow[]>`
		SELECT "communeCode", "period", ${column} AS "value",
		       SUM("registered")::int AS "registered", SUM("enrolments")::int AS "enrolments", SUM("completions")::int AS "completions",
		       SUM("basicSkills")::int AS "basicSkills", SUM("certificates")::int AS "certificates", SUM("active")::int AS "active"
		FROM "PeriodCellStat"
		WHERE "provinceCode" = ${query.provinceCode} AND "communeCode" IN (${Prisma.join(communeCodes)}) AND "period" IN (${Prisma.join(periods)})
		GROUP BY 1, 2, 3`
	return rows.sort((a, b) => a.communeCode.localeCompare(b.communeCode) || a.period.localeCompare(b.period) || a.value.localeCompare(b.value))
}
