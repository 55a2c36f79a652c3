import { Prisma } from '#app/generated/prisma/client.ts'

/**
 * Rollups are written in the same transaction as the event they count (ADR 003), so reports can
 * never drift from the raw tables. Every event is counted in the commune and demographic cell the
 * learner had when it happened, on its Vietnamese calendar day (UTC+7).
 */
export type Tx = Prisma.TransactionClient

export type Metric = 'registered' | 'enrolments' | 'completions' | 'certificates' | 'basicSkills'

export interface LearnerCell {
	communeCode: string | null
	provinceCode: string | null
	sex: string | null
	birthYear: number | null
	ethnicGroup: string | null
	learnerGroup: string | null
}

export function vietnamDay(at: Date): string {
	return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10)
}

export function vietnamMonth(at: Date): string {
	return `${vietnamDay(at).slice(0, 7)}-01`
}

/** The month, quarter and year an event falls in (Vietnamese calendar): '2026-03', '2026-Q1', '2026'. */
export function periodsOf(at: Date): [string, string, string] {
	const day = vietnamDay(at)
	const year = day.slice(0, 4)
	const month = Number(day.slice(5, 7))
	return [day.slice(0, 7), `${year}-Q${Math.ceil(month / 3)}`, year]
}

export const AGE_BANDS = ['under-15', '15-24', '25-39', '40-59', '60+'] as const

export function ageBand(birthYear: number | null | undefined, at: Date): string {
	if (!birthYear) return ''
	const age = Number(vietnamDay(at).slice(0, 4)) - birthYear
	if (age < 15) return 'under-15'
	if (age < 25) return '15-24'
	if (age < 40) return '25-39'
	if (age < 60) return '40-59'
	return '60+'
}

/**
 * Adds `by` (default 1) to one metric for the learner's cell on the event's day (DailyStat, for
 * breakdowns) and for the commune's month, quarter and year (PeriodStat, for the indicators).
 */
export async function bumpDailyStat(
	tx: Tx,
	{ learner, at, metric, courseId = '', by = 1 }: { learner: LearnerCell; at: Date; metric: Metric; courseId?: string; by?: number },
) {
	// Learners without a commune (e.g. a VNeID sign-in not yet completed) are not in any report.
	if (!learner.communeCode || !learner.provinceCode) return
	const column = Prisma.raw(`"${metric}"`)
	await tx.$executeRaw`
		INSERT INTO "DailyStat" ("communeCode","provinceCode","day","courseId","sex","ageBand","ethnicGroup","learnerGroup",${column})
		VALUES (${learner.communeCode}, ${learner.provinceCode}, ${vietnamDay(at)}::date, ${courseId}, ${learner.sex ?? ''},
		        ${ageBand(learner.birthYear, at)}, ${learner.ethnicGroup ?? ''}, ${learner.learnerGroup ?? ''}, ${by})
		ON CONFLICT ("communeCode","day","courseId","sex","ageBand","ethnicGroup","learnerGroup")
		DO UPDATE SET ${column} = "DailyStat".${column} + ${by}`
	await bumpPeriods(tx, { communeCode: learner.communeCode, provinceCode: learner.provinceCode, periods: periodsOf(at), column, courseId, by })
}

async function bumpPeriods(
	tx: Tx,
	{ communeCode, provinceCode, periods, column, courseId, by }: { communeCode: string; provinceCode: string; periods: string[]; column: Prisma.Sql; courseId: string; by: number },
) {
	if (!periods.length) return
	const values = Prisma.join(periods.map((p) => Prisma.sql`(${communeCode}, ${provinceCode}, ${p}, ${courseId}, ${by})`))
	await tx.$executeRaw`
		INSERT INTO "PeriodStat" ("communeCode","provinceCode","period","courseId",${column})
		VALUES ${values}
		ON CONFLICT ("communeCode","period","courseId") DO UPDATE SET ${column} = "PeriodStat".${column} + ${by}`
}

/** Marks the learner active in the event's month, quarter and year (each counted once per learner). */
export async function markActive(tx: Tx, { userId, learner, at }: { userId: string; learner: LearnerCell; at: Date }) {
	if (!learner.communeCode || !learner.provinceCode) return
	const cell = [learner.communeCode, learner.provinceCode, learner.sex ?? '', ageBand(learner.birthYear, at), learner.ethnicGroup ?? '', learner.learnerGroup ?? ''] as const
	const values = Prisma.join(periodsOf(at).map((p) => Prisma.sql`(${userId}, ${p}, ${Prisma.join(cell)})`))
	const inserted = await tx.$queryRaw<{ period: string }[]>`
		INSERT INTO "ActivePeriod" ("userId","period","communeCode","provinceCode","sex","ageBand","ethnicGroup","learnerGroup")
		VALUES ${values}
		ON CONFLICT DO NOTHING
		RETURNING "period"`
	await bumpPeriods(tx, {
		communeCode: learner.communeCode,
		provinceCode: learner.provinceCode,
		periods: inserted.map((r) => r.period),
		column: Prisma.raw('"active"'),
		courseId: '',
		by: 1,
	})
}
