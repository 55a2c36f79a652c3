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

/** Adds `by` (default 1) to one metric for the learner's cell on the event's day. */
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
}

/** Marks the learner active in the event's month (counted once per learner and month). */
export async function markActive(tx: Tx, { userId, learner, at }: { userId: string; learner: LearnerCell; at: Date }) {
	if (!learner.communeCode || !learner.provinceCode) return
	await tx.$executeRaw`
		INSERT INTO "MonthlyActivity" ("userId","month","communeCode","provinceCode")
		VALUES (${userId}, ${vietnamMonth(at)}::date, ${learner.communeCode}, ${learner.provinceCode})
		ON CONFLICT DO NOTHING`
}
