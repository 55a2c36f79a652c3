/**
 * The one list of indicators counted by the rollups (docs/indicators.md). Pure: safe in the browser.
 *
 * Every other place derives from `METRICS`: the rollup writer's columns, the `Figures` / `Cumulative`
 * types and the SQL that reads them, the breakdowns, the CSV / XLSX / JSON / DHIS2 / ADX columns, the
 * OpenAPI schemas, the yearly targets, and the rows of the dashboards, the trend, the definitions and
 * the commune workspace. Adding a metric touches this file, one migration and the locales, nothing else.
 * Worked example: residents who passed a quiz, counted when they passed it.
 *
 * 1. Here, where it should appear among the others (the order of every table, export and schema):
 *      { id: 'quizPasses', perPeriod: true, cumulative: true, additive: true, target: null, perCourse: null,
 *        column: 'quiz_passes', dataElement: 'HVS_QUIZ_PASSES', chartColour: null,
 *        labels: { indicator: 'province:indicators.quizPasses', definition: 'province:definitions.quizPasses',
 *                  workspace: 'workspace:dashboard.quizPasses' },
 *        api: 'quizzes passed' },
 * 2. prisma/schema.prisma: `quizPasses Int @default(0)` in PeriodStat and PeriodCellStat, and its migration
 *    (`npm run db:migration`): the rollup writer already lists every metric in its upserts.
 * 3. The locales, vi and en: province.json `indicators.quizPasses`, `definitions.quizPasses`,
 *    `columns.quiz_passes`, `columns.cumulative_quiz_passes`; workspace.json `dashboard.quizPasses`
 *    (app/kernel/metrics.test.ts fails until every key is there).
 * Then the event that counts it bumps it: `rollups.add({ learner, at, metric: 'quizPasses' })` where the
 * quiz is passed (an additive metric is a valid `metric` as soon as it is listed here).
 *
 * A metric that is not additive (counted as distinct learners per period, like `active`) cannot be summed
 * from months: it needs its own once-per-period record like ActivePeriod and `Rollups.markActive`.
 */

export interface MetricDefinition {
	/** The rollup column (PeriodStat, PeriodCellStat), the key in `Figures` / `Cumulative` and in the JSON export and API. */
	readonly id: string
	/** Counted within each period: a key of `Figures`, a column of every export, a row of the workspace. */
	readonly perPeriod: boolean
	/** Counted from the start up to the end of the period: a key of `Cumulative`. Only an additive metric can be. */
	readonly cumulative: boolean
	/**
	 * The sum of its months is its quarter's and its year's figure (read month by month). `false`: distinct
	 * learners per period, read at the granularity asked (a learner active in March and April is one in Q2).
	 */
	readonly additive: boolean
	/** A province can set a yearly target per commune, compared with the cumulative figure; the label of the target form. */
	readonly target: { readonly label: `province:population.targetIndicators.${string}` } | null
	/**
	 * Also counted per course (PeriodStat.courseId): `<id>ByCourse` in `Figures` and `Cumulative`, one export
	 * column per course (header `header`, with the course title), DHIS2 category option combos / ADX COURSE
	 * attributes, and `api` as the OpenAPI description of the map. Only an additive metric can be.
	 */
	readonly perCourse: { readonly header: `province:columns.${string}`; readonly api: string } | null
	/** Column code of the flat exports (CSV, XLSX), `cumulative_<column>` for the cumulative one; headers `province:columns.<code>`. */
	readonly column: string
	/** DHIS2 / ADX data element code; null: not sent to DHIS2. Raw counts only: receivers compute rates. */
	readonly dataElement: string | null
	/** The colour of its line on the trend chart; null: in the trend table only. */
	readonly chartColour: string | null
	/** Translation keys: its name on the province pages and exports, its definition, its name in the commune workspace. */
	readonly labels: {
		readonly indicator: `province:indicators.${string}`
		readonly definition: `province:definitions.${string}`
		readonly workspace: `workspace:dashboard.${string}`
	}
	/** What it counts, in English, for the OpenAPI document (which explains the metrics that do not add up across periods). */
	readonly api: string
}

/** In the order of every table, export column and schema property. */
export const METRICS = [
	{
		id: 'registered',
		perPeriod: true,
		cumulative: true,
		additive: true,
		target: { label: 'province:population.targetIndicators.registered' },
		perCourse: null,
		column: 'registered',
		dataElement: 'HVS_REGISTERED',
		chartColour: '#1d4ed8',
		labels: { indicator: 'province:indicators.registered', definition: 'province:definitions.registered', workspace: 'workspace:dashboard.registered' },
		api: 'residents registered',
	},
	{
		id: 'enrolments',
		perPeriod: true,
		cumulative: true,
		additive: true,
		target: null,
		perCourse: null,
		column: 'enrolments',
		dataElement: 'HVS_ENROLMENTS',
		chartColour: null,
		labels: { indicator: 'province:indicators.enrolments', definition: 'province:definitions.enrolments', workspace: 'workspace:dashboard.enrolments' },
		api: 'enrolments in a course',
	},
	{
		id: 'active',
		perPeriod: true,
		cumulative: false,
		additive: false,
		target: null,
		perCourse: null,
		column: 'active',
		dataElement: 'HVS_ACTIVE_LEARNERS',
		chartColour: '#b45309',
		labels: { indicator: 'province:indicators.active', definition: 'province:definitions.active', workspace: 'workspace:dashboard.active' },
		api: 'distinct learners with any progress',
	},
	{
		id: 'completions',
		perPeriod: true,
		cumulative: true,
		additive: true,
		target: null,
		perCourse: { header: 'province:columns.completionsOf', api: 'Completions per course id (only courses with completions).' },
		column: 'completions',
		dataElement: 'HVS_COMPLETIONS',
		chartColour: null,
		labels: { indicator: 'province:indicators.completions', definition: 'province:definitions.completions', workspace: 'workspace:dashboard.completions' },
		api: 'courses completed in full',
	},
	{
		id: 'basicSkills',
		perPeriod: true,
		cumulative: true,
		additive: true,
		target: { label: 'province:population.targetIndicators.basicSkills' },
		perCourse: null,
		column: 'basic_skills',
		dataElement: 'HVS_BASIC_DIGITAL_SKILLS',
		chartColour: '#15803d',
		labels: { indicator: 'province:indicators.basicSkills', definition: 'province:definitions.basicSkills', workspace: 'workspace:dashboard.basicSkills' },
		api: 'residents who completed every core course',
	},
	{
		id: 'certificates',
		perPeriod: true,
		cumulative: true,
		additive: true,
		target: { label: 'province:population.targetIndicators.certificates' },
		perCourse: null,
		column: 'certificates',
		dataElement: 'HVS_CERTIFICATES',
		chartColour: null,
		labels: { indicator: 'province:indicators.certificates', definition: 'province:definitions.certificates', workspace: 'workspace:dashboard.certificates' },
		api: 'certificates issued',
	},
] as const satisfies readonly MetricDefinition[]

type Definition = (typeof METRICS)[number]
type Flag = 'perPeriod' | 'cumulative' | 'additive'
/** The definitions with `flag` set. */
type With<F extends Flag> = Extract<Definition, Record<F, true>>

export type MetricId = Definition['id']
/** Keys of `Figures`. */
export type PeriodMetric = With<'perPeriod'>['id']
/** Keys of `Cumulative`. */
export type CumulativeMetric = With<'cumulative'>['id']
/** Summed from months; the only metrics an event may bump (`Rollups.add`). */
export type AdditiveMetric = With<'additive'>['id']
/** Distinct learners per period. */
export type NonAdditiveMetric = Exclude<MetricId, AdditiveMetric>
export type TargetMetric = Exclude<Definition, { target: null }>['id']
export type PerCourseMetric = Exclude<Definition, { perCourse: null }>['id']

/** The per-course map of a metric: `completionsByCourse`. */
export type ByCourseKey<M extends PerCourseMetric = PerCourseMetric> = `${M}ByCourse`
export type ByCourse<M extends PerCourseMetric> = { [K in M as ByCourseKey<K>]: Record<string, number> }

/** Counted within the period (per-course maps only list courses with a count). */
export type Figures = Record<PeriodMetric, number> & ByCourse<PerCourseMetric & PeriodMetric>
/** Counted from the start up to the end of the period. */
export type Cumulative = Record<CumulativeMetric, number> & ByCourse<PerCourseMetric & CumulativeMetric>

// The rules the readers rely on, checked by the compiler: a cumulative figure is a sum of months, a target
// is compared with a cumulative figure, and per-course counts are read month by month.
type Holds<T extends true> = T
export type MetricRules = [
	Holds<CumulativeMetric extends AdditiveMetric ? true : false>,
	Holds<TargetMetric extends CumulativeMetric ? true : false>,
	Holds<PerCourseMetric extends AdditiveMetric ? true : false>,
]

const idsWith = <F extends Flag>(flag: F) => METRICS.filter((m) => m[flag]).map((m) => m.id) as With<F>['id'][]

export const METRIC_IDS: MetricId[] = METRICS.map((m) => m.id)
export const PERIOD_METRICS: PeriodMetric[] = idsWith('perPeriod')
export const CUMULATIVE_METRICS: CumulativeMetric[] = idsWith('cumulative')
export const ADDITIVE_METRICS: AdditiveMetric[] = idsWith('additive')
export const NON_ADDITIVE_METRICS = METRIC_IDS.filter((id): id is NonAdditiveMetric => !(ADDITIVE_METRICS as MetricId[]).includes(id))
export const PER_COURSE_METRICS = METRICS.filter((m): m is Exclude<Definition, { perCourse: null }> => m.perCourse !== null).map((m) => m.id)

/** Indicators a province can set a yearly target for, per commune: coverage (not a count, see docs/indicators.md) and the target metrics. */
export const TARGET_INDICATORS = [
	'coverage',
	...METRICS.filter((m): m is Exclude<Definition, { target: null }> => m.target !== null).map((m) => m.id),
] as const satisfies readonly ['coverage', ...TargetMetric[]]
export type TargetIndicator = (typeof TARGET_INDICATORS)[number]

const BY_ID = new Map<string, MetricDefinition>(METRICS.map((m) => [m.id, m]))

/** The definition of one metric. */
export function metric(id: MetricId): MetricDefinition {
	return BY_ID.get(id)!
}

export function isPerCourse(id: MetricId): id is PerCourseMetric {
	return (PER_COURSE_METRICS as MetricId[]).includes(id)
}

export function byCourseKey<M extends PerCourseMetric>(id: M): ByCourseKey<M> {
	return `${id}ByCourse`
}

/** Zero for every metric of `ids`, in their order (the order of the JSON export's keys). */
export function zeros<M extends MetricId>(ids: readonly M[]): Record<M, number> {
	return Object.fromEntries(ids.map((id) => [id, 0])) as Record<M, number>
}

/** Figures of nothing: every period metric 0, then the per-course maps, empty. */
export function emptyFigures(): Figures {
	return { ...zeros(PERIOD_METRICS), ...emptyByCourse(PER_COURSE_METRICS.filter((m) => (PERIOD_METRICS as MetricId[]).includes(m))) } as Figures
}

/** Cumulative figures of nothing: every cumulative metric 0, then the per-course maps, empty. */
export function emptyCumulative(): Cumulative {
	return { ...zeros(CUMULATIVE_METRICS), ...emptyByCourse(PER_COURSE_METRICS.filter((m) => (CUMULATIVE_METRICS as MetricId[]).includes(m))) } as Cumulative
}

function emptyByCourse(ids: PerCourseMetric[]) {
	return Object.fromEntries(ids.map((id) => [byCourseKey(id), {} as Record<string, number>]))
}
