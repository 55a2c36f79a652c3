import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { DenominatorError, PopulationSchema, readCsv, setPopulations, setTargets, TargetSchema, validateRows } from './denominators.server.ts'

const officer = { admin: false, provinceCodes: ['15'], communeCodes: [] }

async function communes() {
	return (await prisma.commune.findMany({ where: { provinceCode: '15' }, orderBy: { code: 'asc' }, take: 3 })).map((c) => c.code)
}

describe('population and targets', () => {
	test('a CSV with a BOM and semicolons imports every row; the same file again changes nothing', async () => {
		const [a, b] = await communes()
		// "3,4" could be 3.4 (Vietnamese) or a typo for 3400: refused, never guessed.
		const csv = `\uFEFFMã xã;Dân số;Nguồn;Ngày\r\n${a};1.200;Thống kê 2024;01/01/2025\r\n${b};"3,4";Thống kê 2024;2025-01-01\r\n`
		await expect(async () => validateRows(PopulationSchema, readCsv(csv))).rejects.toThrow(DenominatorError)
		// Thousands written the Vietnamese way (1.200) or with a space (3 400), dates day first: read as meant.
		const good = csv.replace('"3,4"', '"3 400"')
		const rows = validateRows(PopulationSchema, readCsv(good))
		expect(rows.map((r) => [r.adultPopulation, r.asOf])).toEqual([
			[1200, '2025-01-01'],
			[3400, '2025-01-01'],
		])
		expect(await setPopulations({ scope: officer, actorId: 'x', provinceCode: '15', rows })).toBe(2)
		await setPopulations({ scope: officer, actorId: 'x', provinceCode: '15', rows })
		const saved = await prisma.communePopulation.findMany({ where: { communeCode: { in: [a!, b!] } }, orderBy: { communeCode: 'asc' } })
		expect(saved.map((p) => [p.communeCode, p.adultPopulation])).toEqual([
			[a, 1200],
			[b, 3400],
		])
	})

	test('one bad row rejects the whole file with its line number; nothing is saved', async () => {
		const [, , c] = await communes()
		const csv = `ma_xa,dan_so,nguon,ngay\n${c},500,Thống kê,2025-01-01\n03646,abc,Thống kê,2025-13-01\n`
		try {
			validateRows(PopulationSchema, readCsv(csv))
			expect.unreachable()
		} catch (error) {
			expect(error).toBeInstanceOf(DenominatorError)
			expect((error as DenominatorError).problems).toEqual([
				{ line: 3, field: 'adultPopulation', key: 'common:numbers.count.notANumber' },
				{ line: 3, field: 'asOf', key: 'province:population.errors.asOf' },
			])
		}
		// A commune of another province is refused at save time, and nothing of the file is kept.
		const rows = validateRows(PopulationSchema, readCsv(csv.replace('abc', '700').replace('2025-13-01', '2025-02-01')))
		await expect(setPopulations({ scope: officer, actorId: 'x', provinceCode: '15', rows })).rejects.toThrow(DenominatorError)
		expect(await prisma.communePopulation.count({ where: { communeCode: c } })).toBe(0)
		expect(() => readCsv('\uFFFD\uFFFD,abc\n1,2')).toThrow(DenominatorError)
	})

	test('targets for every commune at once; coverage above 100 % refused; other provinces refused', async () => {
		const rows = validateRows(TargetSchema, readCsv('ma_xa,chi_so,nam,chi_tieu\nall,coverage,2026,80\n'))
		const n = await setTargets({ scope: officer, actorId: 'x', provinceCode: '15', rows })
		expect(n).toBe(await prisma.commune.count({ where: { provinceCode: '15' } }))
		expect(() => validateRows(TargetSchema, readCsv('ma_xa,chi_so,nam,chi_tieu\nall,coverage,2026,120\n'))).toThrow(DenominatorError)
		await expect(setTargets({ scope: officer, actorId: 'x', provinceCode: '14', rows })).rejects.toThrow(DenominatorError)
	})
})

describe('numbers typed in the population and target forms (issue #17 item 6)', () => {
	const population = (adultPopulation: string) =>
		PopulationSchema.safeParse({ communeCode: '03646', adultPopulation, source: 'Thống kê 2024', asOf: '2025-01-01' })
	const target = (indicator: string, value: string) => TargetSchema.safeParse({ communeCode: 'all', indicator, year: '2026', value })
	const message = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues[0]?.message

	test('a population is accepted as 18500, 18.500 or 18 500', () => {
		for (const text of ['18500', '18.500', '18 500']) expect(population(text)).toMatchObject({ success: true, data: { adultPopulation: 18500 } })
	})

	test('an ambiguous or partial population is refused with the reason, not rounded', () => {
		expect(message(population('18,5'))).toBe('common:numbers.count.notWhole')
		expect(message(population('1.23'))).toBe('common:numbers.count.ambiguous')
		expect(message(population('18,500'))).toBe('common:numbers.count.ambiguous')
		expect(message(population(''))).toBe('common:numbers.count.empty')
		expect(message(population('0'))).toBe('province:population.errors.adults')
		expect(message(population('2.000.001'))).toBe('province:population.errors.adults')
	})

	test('a coverage target may have decimals; a count target is read like a population', () => {
		expect(target('coverage', '40,5')).toMatchObject({ success: true, data: { value: 40.5 } })
		expect(target('coverage', '40.5')).toMatchObject({ success: true, data: { value: 40.5 } })
		expect(message(target('coverage', '1.500'))).toBe('common:numbers.decimal.ambiguous')
		expect(message(target('coverage', '100,5'))).toBe('province:population.errors.percent')
		expect(target('registered', '18.500')).toMatchObject({ success: true, data: { value: 18500 } })
		expect(message(target('registered', '18,5'))).toBe('common:numbers.count.notWhole')
		expect(message(target('basicSkills', '1.23'))).toBe('common:numbers.count.ambiguous')
	})
})
