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
		const csv = `\uFEFFMã xã;Dân số;Nguồn;Ngày\r\n${a};1200;Thống kê 2024;2025-01-01\r\n${b};"3 400";Thống kê 2024;2025-01-01\r\n`
		await expect(async () => validateRows(PopulationSchema, readCsv(csv))).rejects.toThrow(DenominatorError)
		const good = csv.replace('"3 400"', '3400')
		const rows = validateRows(PopulationSchema, readCsv(good))
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
				{ line: 3, field: 'adultPopulation', key: 'province:population.errors.adults' },
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
