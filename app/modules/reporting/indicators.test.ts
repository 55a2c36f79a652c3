import { beforeAll, describe, expect, test } from 'vitest'
import { registerResident } from '#app/modules/people/people.server.ts'
import { enrolResident, recordLessonOpened } from '#app/modules/progress/progress.server.ts'
import { getCourseById } from '#app/modules/course/course.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { completeCourse } from '#tests/fixtures/learning.ts'
import { getBreakdown, getIndicators, IndicatorQueryError, periodRange, ragFor } from './indicators.server.ts'

/**
 * A known data set built through the domain functions, in a province no other test writes to,
 * and every indicator asserted exactly (docs/indicators.md).
 */
const PROVINCE = '04'
let A = ''
let B = ''
const at = (iso: string) => new Date(`${iso}T10:00:00+07:00`)

async function resident(phone: string, communeCode: string, sex: 'MALE' | 'FEMALE', birthYear: number, ethnicGroup: string, when: string) {
	const { id } = await registerResident({
		phone,
		profile: { fullName: 'Người Học', birthYear, sex, ethnicGroup, learnerGroup: 'RESIDENT', provinceCode: PROVINCE, communeCode },
		passwordHash: { kind: 'PIN', hash: 'x' },
		via: 'SELF',
		at: at(when),
	})
	return id
}

beforeAll(async () => {
	const communes = await prisma.commune.findMany({ where: { provinceCode: PROVINCE }, orderBy: { code: 'asc' }, take: 2 })
	A = communes[0]!.code
	B = communes[1]!.code
	const r1 = await resident('0357100001', A, 'FEMALE', 1960, '03', '2025-01-10')
	const r2 = await resident('0357100002', A, 'MALE', 1990, '01', '2025-02-01')
	await resident('0357100003', A, 'FEMALE', 2000, '01', '2025-04-01')
	const r4 = await resident('0357100004', B, 'MALE', 1975, '03', '2025-03-03')
	await completeCourse(r1, 'smartphone', at('2025-02-20'))
	await enrolResident({ userId: r2, courseId: 'vneid', at: at('2025-02-03') })
	await recordLessonOpened({ userId: r2, lessonId: getCourseById('vneid')!.lessons[0]!.id, at: at('2025-04-10') })
	for (const course of ['vneid', 'public-services', 'scam-safety']) await completeCourse(r1, course, at('2025-05-15'))
	await completeCourse(r4, 'smartphone', at('2025-03-10'))
	await prisma.communePopulation.create({ data: { communeCode: A, provinceCode: PROVINCE, adultPopulation: 100, source: 'Thống kê xã 2024', asOf: new Date('2025-01-01') } })
	await prisma.target.create({ data: { provinceCode: PROVINCE, communeCode: A, indicator: 'coverage', year: 2025, value: 12 } })
	await prisma.target.create({ data: { provinceCode: PROVINCE, communeCode: B, indicator: 'coverage', year: 2025, value: 50 } })
})

describe('getIndicators', () => {
	test('per quarter, per commune, per period and cumulative, with coverage and targets', async () => {
		const report = await getIndicators({ provinceCode: PROVINCE, communeCodes: [A, B], from: '2025-01', to: '2025-06', granularity: 'quarter' })
		expect(report.periods).toEqual(['2025-Q1', '2025-Q2'])
		const row = (c: string, p: string) => report.rows.find((r) => r.communeCode === c && r.period === p)!
		expect(row(A, '2025-Q1').figures).toEqual({ registered: 2, enrolments: 2, active: 2, completions: 1, basicSkills: 0, certificates: 1, completionsByCourse: { smartphone: 1 } })
		expect(row(A, '2025-Q2').figures).toEqual({
			registered: 1,
			enrolments: 3,
			active: 2,
			completions: 3,
			basicSkills: 1,
			certificates: 3,
			completionsByCourse: { vneid: 1, 'public-services': 1, 'scam-safety': 1 },
		})
		expect(row(A, '2025-Q2').cumulative).toEqual({
			registered: 3,
			enrolments: 5,
			completions: 4,
			basicSkills: 1,
			certificates: 4,
			completionsByCourse: { smartphone: 1, vneid: 1, 'public-services': 1, 'scam-safety': 1 },
		})
		expect(row(A, '2025-Q2').population).toEqual({ adults: 100, source: 'Thống kê xã 2024', asOf: '2025-01-01' })
		expect(row(A, '2025-Q2').coverage).toBe(1)
		// 12 % for the year, 6 % expected by the end of June: 1 % is red.
		expect(row(A, '2025-Q2').targets).toEqual([{ indicator: 'coverage', target: 12, actual: 1, expected: 6, rag: 'red' }])
		expect(row(B, '2025-Q1').figures).toMatchObject({ registered: 1, enrolments: 1, active: 1, completions: 1, certificates: 1, basicSkills: 0 })
		expect(row(B, '2025-Q2').figures).toMatchObject({ registered: 0, enrolments: 0, active: 0, completions: 0 })
		expect(row(B, '2025-Q2').cumulative).toMatchObject({ registered: 1, completions: 1 })
		// Missing population: coverage missing, never 0 %, and no colour.
		expect(row(B, '2025-Q2').population).toBeNull()
		expect(row(B, '2025-Q2').coverage).toBeNull()
		expect(row(B, '2025-Q2').targets[0]).toMatchObject({ actual: null, rag: null })
		const q2 = report.totals.find((t) => t.period === '2025-Q2')!
		expect(q2.figures).toMatchObject({ registered: 1, enrolments: 3, active: 2, completions: 3, basicSkills: 1, certificates: 3 })
		expect(q2.cumulative).toMatchObject({ registered: 4, enrolments: 6, completions: 5, basicSkills: 1, certificates: 5 })
		expect(q2.coverage).toBe(1)
	})

	test('active learners are distinct within a period: per year not the sum of the months', async () => {
		const year = await getIndicators({ provinceCode: PROVINCE, communeCodes: [A], from: '2025-01', to: '2025-12', granularity: 'year' })
		expect(year.rows[0]!.figures).toMatchObject({ active: 2, registered: 3, enrolments: 5, completions: 4 })
		const months = await getIndicators({ provinceCode: PROVINCE, communeCodes: [A], from: '2025-01', to: '2025-12', granularity: 'month' })
		expect(months.periods).toHaveLength(12)
		expect(months.rows.map((r) => r.figures.active)).toEqual([0, 2, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0])
		expect(months.rows.at(-1)!.cumulative.registered).toBe(3)
		// A range that starts later still carries what happened before it in the cumulative figures.
		const late = await getIndicators({ provinceCode: PROVINCE, communeCodes: [A], from: '2025-06', to: '2025-06', granularity: 'month' })
		expect(late.rows[0]!.figures.registered).toBe(0)
		expect(late.rows[0]!.cumulative).toMatchObject({ registered: 3, basicSkills: 1 })
	})

	test('the whole province by default; rejects bad ranges and communes of other provinces', async () => {
		const all = await getIndicators({ provinceCode: PROVINCE, from: '2025-01', to: '2025-03', granularity: 'quarter' })
		expect(all.communeCodes.length).toBeGreaterThan(2)
		expect(all.communeCodes).toContain(B)
		await expect(getIndicators({ provinceCode: PROVINCE, communeCodes: ['03721'], from: '2025-01', to: '2025-03', granularity: 'month' })).rejects.toThrow(IndicatorQueryError)
		await expect(getIndicators({ provinceCode: PROVINCE, from: '2025-13', to: '2025-03', granularity: 'month' })).rejects.toThrow('badMonth')
		await expect(getIndicators({ provinceCode: PROVINCE, from: '2025-05', to: '2025-03', granularity: 'month' })).rejects.toThrow('badRange')
		await expect(getIndicators({ provinceCode: PROVINCE, from: '2015-01', to: '2025-03', granularity: 'month' })).rejects.toThrow('rangeTooLong')
	})
})

describe('getBreakdown', () => {
	test('splits each figure by sex and age band; the parts add up to the whole', async () => {
		const query = { provinceCode: PROVINCE, communeCodes: [A], from: '2025-01', to: '2025-03', granularity: 'quarter' as const }
		const bySex = await getBreakdown(query, 'sex')
		expect(bySex).toEqual([
			{ communeCode: A, period: '2025-Q1', value: 'FEMALE', registered: 1, enrolments: 1, active: 1, completions: 1, basicSkills: 0, certificates: 1 },
			{ communeCode: A, period: '2025-Q1', value: 'MALE', registered: 1, enrolments: 1, active: 1, completions: 0, basicSkills: 0, certificates: 0 },
		])
		const byAge = await getBreakdown({ ...query, to: '2025-06' }, 'ageBand')
		expect(byAge.filter((r) => r.period === '2025-Q2').map((r) => [r.value, r.registered, r.basicSkills, r.active])).toEqual([
			// Born 2000, registered in 2025: 25 years old.
			['25-39', 1, 0, 1],
			['60+', 0, 1, 1],
		])
		const whole = await getIndicators({ ...query, to: '2025-06' })
		for (const row of whole.rows) {
			const parts = byAge.filter((r) => r.period === row.period)
			for (const metric of ['registered', 'enrolments', 'active', 'completions', 'basicSkills', 'certificates'] as const) {
				expect(parts.reduce((s, r) => s + r[metric], 0)).toBe(row.figures[metric])
			}
		}
	})
})

describe('periods and colours', () => {
	test('ranges widen to whole periods', () => {
		expect(periodRange('2025-02', '2025-05', 'quarter')).toEqual({ periods: ['2025-Q1', '2025-Q2'], firstMonth: '2025-01', lastMonth: '2025-06' })
		expect(periodRange('2025-11', '2026-01', 'year')).toEqual({ periods: ['2025', '2026'], firstMonth: '2025-01', lastMonth: '2026-12' })
	})
	test('red, amber and green are pro rata to the month', () => {
		expect(ragFor(40, 80, '2025-06')).toEqual({ expected: 40, rag: 'green' })
		expect(ragFor(33, 80, '2025-Q2')).toEqual({ expected: 40, rag: 'amber' })
		expect(ragFor(31.9, 80, '2025-06')).toEqual({ expected: 40, rag: 'red' })
		expect(ragFor(80, 80, '2025')).toEqual({ expected: 80, rag: 'green' })
		expect(ragFor(null, 80, '2025')).toEqual({ expected: 80, rag: null })
	})
})
