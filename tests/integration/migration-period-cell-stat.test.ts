import { expect, test } from 'vitest'
import { databaseJustBefore } from '#tests/utils/migration.ts'

/**
 * ADR 010's migration on a database that has data: DailyStat (per Vietnamese day × course × cell)
 * and ActivePeriod become PeriodCellStat (per month, quarter and year × cell, courses together),
 * then DailyStat is dropped. A fresh database has no rows to convert, so this test builds the
 * schema just before that migration, fills it, and applies the migration as a deployment would.
 */
const MIGRATION = '20261129090204_period_cell_stat'
const before = databaseJustBefore(MIGRATION)

type Cell = [sex: string, ageBand: string, ethnicGroup: string, learnerGroup: string]
const cellA: Cell = ['FEMALE', '60+', '03', 'RESIDENT']
const cellB: Cell = ['MALE', '15-34', '01', 'STUDENT']
// Cells that differ from A in one column only: the migration must keep each column of the key.
const cellAge: Cell = ['FEMALE', '35-59', '03', 'RESIDENT']
const cellEthnic: Cell = ['FEMALE', '60+', '04', 'RESIDENT']
const cellGroup: Cell = ['FEMALE', '60+', '03', 'CIVIL_SERVANT']

test('DailyStat and ActivePeriod rows become per-period cells with the same sums; DailyStat is dropped', async () => {
	const runner = before.runner
	// Two communes, days across a month, a quarter and a year boundary, two courses and the
	// course-less registrations, two cells; counts chosen so every sum is distinct.
	const daily: [string, string, string, Cell, [number, number, number, number, number]][] = [
		['03646', '2025-12-31', '', cellA, [5, 0, 0, 0, 0]],
		['03646', '2026-01-01', 'smartphone', cellA, [0, 3, 1, 1, 0]],
		['03646', '2026-01-15', 'vneid', cellA, [0, 2, 2, 2, 1]],
		['03646', '2026-01-15', 'smartphone', cellB, [0, 7, 0, 0, 0]],
		['03646', '2026-03-31', 'smartphone', cellA, [0, 1, 1, 1, 0]],
		['03646', '2026-04-01', '', cellA, [11, 0, 0, 0, 0]],
		['03721', '2026-01-20', 'smartphone', cellB, [0, 4, 3, 3, 2]],
		['03646', '2026-01-15', 'smartphone', cellAge, [0, 13, 0, 0, 0]],
		['03646', '2026-01-15', 'smartphone', cellEthnic, [0, 17, 0, 0, 0]],
		['03646', '2026-01-15', 'smartphone', cellGroup, [0, 19, 0, 0, 0]],
	]
	for (const [commune, day, course, cell, [registered, enrolments, completions, certificates, basicSkills]] of daily) {
		await runner.query(
			`INSERT INTO "DailyStat" ("communeCode","provinceCode","day","courseId","sex","ageBand","ethnicGroup","learnerGroup","registered","enrolments","completions","certificates","basicSkills")
			 VALUES ($1,'14',$2::date,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
			[commune, day, course, ...cell, registered, enrolments, completions, certificates, basicSkills],
		)
	}
	const active: [string, string, string, Cell][] = [
		['u1', '2026-01', '03646', cellA],
		['u1', '2026-Q1', '03646', cellA],
		['u1', '2026', '03646', cellA],
		['u2', '2026-01', '03646', cellA],
		['u3', '2026', '03721', cellB],
		// Active in a period with no DailyStat row of its cell: the migration must still count it.
		['u4', '2026-05', '03646', cellB],
	]
	for (const [user, period, commune, cell] of active) {
		await runner.query(
			`INSERT INTO "ActivePeriod" ("userId","period","communeCode","provinceCode","sex","ageBand","ethnicGroup","learnerGroup") VALUES ($1,$2,$3,'14',$4,$5,$6,$7)`,
			[user, period, commune, ...cell],
		)
	}

	const applied = await before.migrate()
	expect(applied).toEqual([MIGRATION])

	const rows = await runner.query<{
		communeCode: string
		provinceCode: string
		period: string
		sex: string
		ageBand: string
		ethnicGroup: string
		learnerGroup: string
		registered: number
		enrolments: number
		completions: number
		certificates: number
		basicSkills: number
		active: number
	}>(
		`SELECT "communeCode", "provinceCode", period, sex, "ageBand", "ethnicGroup", "learnerGroup", registered, enrolments, completions, certificates, "basicSkills", active FROM "PeriodCellStat"`,
	)
	expect(new Set(rows.map((r) => r.provinceCode))).toEqual(new Set(['14']))
	// The whole key: commune, period and all four cell columns.
	const cellOf = (commune: string, period: string, [sex, ageBand, ethnicGroup, learnerGroup]: Cell) => {
		const found = rows.filter(
			(r) =>
				r.communeCode === commune &&
				r.period === period &&
				r.sex === sex &&
				r.ageBand === ageBand &&
				r.ethnicGroup === ethnicGroup &&
				r.learnerGroup === learnerGroup,
		)
		expect(found.length).toBeLessThanOrEqual(1)
		const row = found[0]
		return row ? [row.registered, row.enrolments, row.completions, row.certificates, row.basicSkills, row.active] : null
	}
	const get = (commune: string, period: string, sex: string) => cellOf(commune, period, sex === 'FEMALE' ? cellA : cellB)
	// Commune 03646, cell A: January = 1 Jan + 15 Jan (vneid), two active learners.
	expect(get('03646', '2026-01', 'FEMALE')).toEqual([0, 5, 3, 3, 1, 2])
	// Q1 adds 31 March; the year adds 1 April's registrations; 31 Dec 2025 stays in 2025.
	expect(get('03646', '2026-Q1', 'FEMALE')).toEqual([0, 6, 4, 4, 1, 1])
	expect(get('03646', '2026', 'FEMALE')).toEqual([11, 6, 4, 4, 1, 1])
	expect(get('03646', '2025-12', 'FEMALE')).toEqual([5, 0, 0, 0, 0, 0])
	expect(get('03646', '2025-Q4', 'FEMALE')).toEqual([5, 0, 0, 0, 0, 0])
	expect(get('03646', '2025', 'FEMALE')).toEqual([5, 0, 0, 0, 0, 0])
	expect(get('03646', '2026-Q2', 'FEMALE')).toEqual([11, 0, 0, 0, 0, 0])
	// Cell B of 03646: 15 January's enrolments; May's active learner without any count beside it.
	expect(get('03646', '2026-01', 'MALE')).toEqual([0, 7, 0, 0, 0, 0])
	expect(get('03646', '2026-05', 'MALE')).toEqual([0, 0, 0, 0, 0, 1])
	expect(get('03721', '2026', 'MALE')).toEqual([0, 4, 3, 3, 2, 1])
	expect(get('03721', '2026-01', 'MALE')).toEqual([0, 4, 3, 3, 2, 0])
	// One column apart from cell A, one cell each, never merged into A (A's January above stays 5).
	expect(cellOf('03646', '2026-01', cellAge)).toEqual([0, 13, 0, 0, 0, 0])
	expect(cellOf('03646', '2026-01', cellEthnic)).toEqual([0, 17, 0, 0, 0, 0])
	expect(cellOf('03646', '2026-01', cellGroup)).toEqual([0, 19, 0, 0, 0, 0])
	expect(cellOf('03646', '2026', cellGroup)).toEqual([0, 19, 0, 0, 0, 0])

	// Every DailyStat count is in each of its three periods exactly once.
	const sum = (k: keyof (typeof rows)[number], f: (p: string) => boolean) => rows.filter((r) => f(r.period)).reduce((s, r) => s + Number(r[k]), 0)
	const dailyTotal = daily.reduce((s, d) => s + d[4].reduce((a, b) => a + b, 0), 0)
	const counted = (f: (p: string) => boolean) =>
		(['registered', 'enrolments', 'completions', 'certificates', 'basicSkills'] as const).reduce((s, k) => s + sum(k, f), 0)
	expect(counted((p) => /^\d{4}-\d{2}$/.test(p))).toBe(dailyTotal)
	expect(counted((p) => /^\d{4}-Q\d$/.test(p))).toBe(dailyTotal)
	expect(counted((p) => /^\d{4}$/.test(p))).toBe(dailyTotal)
	expect(sum('active', () => true)).toBe(active.length)

	const tables = await runner.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE tablename IN ('DailyStat', 'PeriodCellStat')`)
	expect(tables.map((t) => t.tablename)).toEqual(['PeriodCellStat'])
}, 60_000)
