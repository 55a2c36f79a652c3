import { Prisma } from '#app/generated/prisma/client.ts'
import { ageBand } from '#app/kernel/demographics.ts'
import { periodsOf } from '#app/kernel/calendar.ts'
import { type AdditiveMetric, METRIC_IDS, type MetricId, zeros } from '#app/kernel/metrics.ts'
import { type Tx } from '#app/utils/db.server.ts'
import { executeAll, type Sql, viaPrisma } from '#app/utils/sql.server.ts'

/**
 * Rollups are written in the same transaction as the event they count (ADR 003), so reports can
 * never drift from the raw tables. Every event is counted in the commune and demographic cell the
 * learner had when it happened, in the month, quarter and year of its Vietnamese calendar day (UTC+7).
 */
export type { Tx } from '#app/utils/db.server.ts'

/** What an event bumps: an additive metric (app/kernel/metrics.ts); `active` is marked by `markActive`. */
export type Metric = AdditiveMetric

export interface LearnerCell {
	communeCode: string | null
	provinceCode: string | null
	sex: string | null
	birthYear: number | null
	ethnicGroup: string | null
	learnerGroup: string | null
	/**
	 * False for a person who holds a role (staff, officer, administrator): only residents are counted
	 * (docs/indicators.md). Their events are stored (and ActivePeriod rows written) but bump nothing;
	 * `recountPerson` adds or removes all of a person's figures when a role is granted or removed.
	 */
	counted?: boolean
}

/** Every metric is a column of both rollup tables. */
type PeriodMetric = MetricId
const PERIOD_METRICS = METRIC_IDS

/**
 * The rollup increments of one transaction, written together at its end (ADR 008): one
 * `INSERT … ON CONFLICT DO UPDATE` for the PeriodCellStat rows (breakdowns: commune × period ×
 * demographic cell, ADR 010) and one for the PeriodStat rows (indicators: commune × period ×
 * course), rows in key order, the tables always in that order. These rows are shared by the
 * commune's learners; each transaction holds their locks only from this flush to its COMMIT, and
 * the fixed order keeps two transactions from waiting on each other in a cycle.
 */
export class Rollups {
	private cells = new Map<string, { key: [string, string, string, string, string, string, string]; counts: Record<PeriodMetric, number> }>()
	private periods = new Map<string, { key: [string, string, string, string]; counts: Record<PeriodMetric, number> }>()

	/** Adds `by` (default 1) to one metric for the commune's month, quarter and year, in the learner's demographic cell and for the course. */
	add({ learner, at, metric, courseId = '', by = 1 }: { learner: LearnerCell; at: Date; metric: Metric; courseId?: string; by?: number }) {
		// Learners without a commune (e.g. a VNeID sign-in not yet completed) are not in any report; nor are people with a role.
		if (!learner.communeCode || !learner.provinceCode || learner.counted === false) return this
		const periods = periodsOf(at)
		this.addCells(learner.communeCode, learner.provinceCode, periods, cellOf(learner, at), metric, by)
		this.addPeriods(learner.communeCode, learner.provinceCode, periods, courseId, metric, by)
		return this
	}

	private addCells(communeCode: string, provinceCode: string, periods: string[], cell: [string, string, string, string], metric: PeriodMetric, by: number) {
		for (const period of periods) {
			const key: [string, string, string, string, string, string, string] = [communeCode, provinceCode, period, ...cell]
			const id = JSON.stringify([communeCode, period, ...cell])
			const row = this.cells.get(id) ?? { key, counts: zeros(PERIOD_METRICS) }
			row.counts[metric] += by
			this.cells.set(id, row)
		}
	}

	private addPeriods(communeCode: string, provinceCode: string, periods: string[], courseId: string, metric: PeriodMetric, by: number) {
		for (const period of periods) {
			const id = JSON.stringify([communeCode, period, courseId])
			const row = this.periods.get(id) ?? {
				key: [communeCode, provinceCode, period, courseId] as [string, string, string, string],
				counts: zeros(PERIOD_METRICS),
			}
			row.counts[metric] += by
			this.periods.set(id, row)
		}
	}

	/**
	 * Marks the learner active in the event's month, quarter and year (each counted once per
	 * learner). The ActivePeriod rows are the learner's own (no contention) and are written now;
	 * the `active` bumps they cause wait for `flush`.
	 */
	async markActive(sql: Sql, { userId, learner, at }: { userId: string; learner: LearnerCell; at: Date }) {
		const insert = activeInsert({ userId, learner, at })
		if (!insert) return
		const inserted = await sql.query<{ period: string }>(insert)
		this.addActive({ learner, at, periods: inserted.map((r) => r.period) })
	}

	/**
	 * The `active` bumps of the periods `activeInsert` inserts (for a caller that sends it with its
	 * own writes): what `markActive` adds after its own insert.
	 */
	addActive({ learner, at, periods }: { learner: LearnerCell; at: Date; periods: string[] }) {
		if (!learner.communeCode || !learner.provinceCode || learner.counted === false) return
		const cell = cellOf(learner, at)
		this.addCells(learner.communeCode, learner.provinceCode, periods, cell, 'active', 1)
		this.addPeriods(learner.communeCode, learner.provinceCode, periods, '', 'active', 1)
	}

	/** Adds `by` to `active` for one ActivePeriod row (its own period and cell): `recountPerson` only. */
	addActiveRow(
		row: { communeCode: string; provinceCode: string; period: string; sex: string; ageBand: string; ethnicGroup: string; learnerGroup: string },
		by: number,
	) {
		const cell: [string, string, string, string] = [row.sex, row.ageBand, row.ethnicGroup, row.learnerGroup]
		this.addCells(row.communeCode, row.provinceCode, [row.period], cell, 'active', by)
		this.addPeriods(row.communeCode, row.provinceCode, [row.period], '', 'active', by)
		return this
	}

	async flush(sql: Sql) {
		await executeAll(sql, this.statements())
	}

	/** The upserts `flush` would run (cells, then periods; rows in key order), for a caller that sends them with its own writes. */
	statements(): Prisma.Sql[] {
		const cells = [...this.cells]
		const periods = [...this.periods]
		this.cells.clear()
		this.periods.clear()
		return [upsertCounts(CELL_UPSERT, cells), upsertCounts(PERIOD_UPSERT, periods)].filter((s): s is Prisma.Sql => s !== null)
	}
}

/**
 * The learner's ActivePeriod rows for the event's month, quarter and year (each once: ON CONFLICT
 * DO NOTHING), returning the periods newly inserted, for `markActive`; or only the periods a caller
 * found missing under the learner's lock, sent with its last writes (progress.server.ts
 * `markActiveOnce`, ADR 037). Null for a learner without a commune (in no report).
 */
export function activeInsert({
	userId,
	learner,
	at,
	periods = periodsOf(at),
}: {
	userId: string
	learner: LearnerCell
	at: Date
	/** Which of the periods of `at` (default all three). */
	periods?: string[]
}) {
	if (!learner.communeCode || !learner.provinceCode) return null
	const cell = cellOf(learner, at)
	const values = Prisma.join(periods.map((p) => Prisma.sql`(${userId}, ${p}, ${learner.communeCode}, ${learner.provinceCode}, ${Prisma.join(cell)})`))
	const columns = Prisma.raw('"userId","period","communeCode","provinceCode","sex","ageBand","ethnicGroup","learnerGroup"')
	return Prisma.sql`
		INSERT INTO "ActivePeriod" (${columns})
		VALUES ${values}
		ON CONFLICT DO NOTHING
		RETURNING "period"`
}

/**
 * The SQL around the values of a rollup upsert, built once at start: the conflict target is the
 * key without provinceCode (the commune implies it); counts are added to what is there.
 */
function upsertSql(table: string, keyColumns: string[]) {
	const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(',')
	return {
		insert: Prisma.raw(`INSERT INTO "${table}" (${quoted([...keyColumns, ...PERIOD_METRICS])}) VALUES`),
		onConflict: Prisma.raw(
			`ON CONFLICT (${quoted(keyColumns.filter((c) => c !== 'provinceCode'))}) DO UPDATE SET ${PERIOD_METRICS.map((m) => `"${m}" = "${table}"."${m}" + EXCLUDED."${m}"`).join(', ')}`,
		),
	}
}
const CELL_UPSERT = upsertSql('PeriodCellStat', ['communeCode', 'provinceCode', 'period', 'sex', 'ageBand', 'ethnicGroup', 'learnerGroup'])
const PERIOD_UPSERT = upsertSql('PeriodStat', ['communeCode', 'provinceCode', 'period', 'courseId'])

/** The statement adding the counts of `rows` (id → key columns and counts), rows in id order; rows with nothing to add are left out (null: nothing to add). */
function upsertCounts(upsert: ReturnType<typeof upsertSql>, rows: [string, { key: string[]; counts: Record<PeriodMetric, number> }][]): Prisma.Sql | null {
	const changed = rows
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([, row]) => row)
		.filter((r) => PERIOD_METRICS.some((m) => r.counts[m]))
	if (!changed.length) return null
	const values = Prisma.join(changed.map(({ key, counts }) => Prisma.sql`(${Prisma.join(key)}, ${Prisma.join(PERIOD_METRICS.map((m) => counts[m]))})`))
	return Prisma.sql`${upsert.insert} ${values} ${upsert.onConflict}`
}

/**
 * Adds `by` (default 1) to one metric for the commune's month, quarter and year (PeriodStat, for
 * the indicators; PeriodCellStat in the learner's demographic cell, for the breakdowns), now.
 * Several bumps in one transaction: collect them in a `Rollups` and flush it last.
 */
export async function bumpRollups(tx: Tx, bump: { learner: LearnerCell; at: Date; metric: Metric; courseId?: string; by?: number }) {
	await new Rollups().add(bump).flush(viaPrisma(tx))
}

/** The learner's demographic cell for an event at `at`: sex, age band then, ethnic group, learner group. */
function cellOf(learner: LearnerCell, at: Date): [string, string, string, string] {
	return [learner.sex ?? '', ageBand(learner.birthYear, at), learner.ethnicGroup ?? '', learner.learnerGroup ?? '']
}

/**
 * Adds (`by` 1) or removes (`by` -1) every figure of one person, read back from the raw tables, in
 * the communes, cells and periods where each was counted: their registration (the day the account
 * was created, in their commune), enrolments, completions, certificates, basic skills and active
 * periods. Used when a person starts or stops holding a role, in the same transaction as the
 * grant or removal and under the person's row lock (docs/indicators.md: only residents count).
 */
export async function recountPerson(sql: Sql, rollups: Rollups, userId: string, by: 1 | -1) {
	const [user] = await sql.query<LearnerCell & { createdAt: Date; registeredCommuneCode: string | null; registeredProvinceCode: string | null }>(Prisma.sql`
		SELECT "communeCode", "provinceCode", sex::text AS sex, "birthYear", "ethnicGroup", "learnerGroup"::text AS "learnerGroup", "createdAt",
			"registeredCommuneCode", "registeredProvinceCode"
		FROM "User" WHERE id = ${userId}`)
	if (!user) return rollups
	const { registeredCommuneCode, registeredProvinceCode, createdAt, ...cell } = user
	const learner: LearnerCell = { ...cell, counted: true }
	// The registration where it was counted (a person who moved keeps it in the old commune, ADR 018).
	const registeredIn = registeredCommuneCode
		? { ...learner, communeCode: registeredCommuneCode, provinceCode: registeredProvinceCode ?? learner.provinceCode }
		: learner
	rollups.add({ learner: registeredIn, at: createdAt, metric: 'registered', by })
	const enrolments = await sql.query<{
		courseId: string
		communeCode: string | null
		provinceCode: string | null
		createdAt: Date
		completedAt: Date | null
	}>(Prisma.sql`
		SELECT "courseId", "communeCode", "provinceCode", "createdAt", "completedAt" FROM "Enrolment" WHERE "userId" = ${userId}`)
	for (const e of enrolments) {
		const cell = { ...learner, communeCode: e.communeCode, provinceCode: e.provinceCode }
		rollups.add({ learner: cell, at: e.createdAt, metric: 'enrolments', courseId: e.courseId, by })
		if (e.completedAt) rollups.add({ learner: cell, at: e.completedAt, metric: 'completions', courseId: e.courseId, by })
	}
	const certificates = await sql.query<{ courseId: string; communeCode: string | null; provinceCode: string | null; issuedAt: Date }>(Prisma.sql`
		SELECT "courseId", "communeCode", "provinceCode", "issuedAt" FROM "Certificate" WHERE "userId" = ${userId}`)
	for (const c of certificates) {
		rollups.add({
			learner: { ...learner, communeCode: c.communeCode, provinceCode: c.provinceCode },
			at: c.issuedAt,
			metric: 'certificates',
			courseId: c.courseId,
			by,
		})
	}
	const [basic] = await sql.query<{ occurredAt: Date; result: { communeCode?: string | null; provinceCode?: string | null } | null }>(
		Prisma.sql`SELECT "occurredAt", result FROM "ClientEvent" WHERE id = ${basicSkillsEventId(userId)}`,
	)
	// Basic skills where they were counted (kept with the event since ADR 018).
	const reachedIn = basic?.result?.communeCode
		? { ...learner, communeCode: basic.result.communeCode, provinceCode: basic.result.provinceCode ?? learner.provinceCode }
		: learner
	if (basic) rollups.add({ learner: reachedIn, at: basic.occurredAt, metric: 'basicSkills', by })
	const active = await sql.query<{
		communeCode: string
		provinceCode: string
		period: string
		sex: string
		ageBand: string
		ethnicGroup: string
		learnerGroup: string
	}>(Prisma.sql`
		SELECT "communeCode", "provinceCode", period, sex, "ageBand", "ethnicGroup", "learnerGroup" FROM "ActivePeriod" WHERE "userId" = ${userId}`)
	for (const row of active) rollups.addActiveRow(row, by)
	return rollups
}

/** The client event that records when (and that) a person reached basic digital skills. */
export function basicSkillsEventId(userId: string) {
	return `basic-skills:${userId}`
}
