import { beforeAll, describe, expect, test } from 'vitest'
import * as populationRoute from '#app/routes/province+/population.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { officer, sessionCookie } from '#tests/utils/factories.ts'
import { callRoute } from '#tests/utils/route.ts'

// Issue #17 item 6: numbers typed the Vietnamese way are read as meant, ambiguous ones are refused
// with a reason (a 400, nothing saved), and the confirmation names what was saved.
let cookie: string
beforeAll(async () => {
	cookie = await sessionCookie(await officer('14'))
})

const post = (fields: Record<string, string>) =>
	callRoute(populationRoute, 'action', {
		url: '/province/population?province=14',
		cookie,
		body: new URLSearchParams(fields),
		contentType: 'application/x-www-form-urlencoded',
	})

describe('population and targets typed by a province officer', () => {
	test('18 500 is saved as 18500, and the confirmation names the commune, the number and the date', async () => {
		const result = await post({ intent: 'population', communeCode: '03808', adultPopulation: '18 500', source: 'Chi cục Thống kê 2025', asOf: '2026-01-01' })
		expect(result.status).toBe(200)
		expect(result.body).toMatchObject({ saved: { kind: 'population', commune: 'Xã Mường La', adults: 18500, asOf: '2026-01-01' } })
		expect((await prisma.communePopulation.findFirstOrThrow({ where: { communeCode: '03808', asOf: new Date('2026-01-01T00:00:00Z') } })).adultPopulation).toBe(
			18500,
		)
	})

	test('18,5 and 1.23 are refused on the field with their reason; nothing is saved', async () => {
		// Compared with before (other files of this worker share the database and may save figures there).
		const where = { communeCode: '03646', asOf: new Date('2026-01-01T00:00:00Z') }
		const before = await prisma.communePopulation.findMany({ where })
		for (const [typed, reason] of [
			['18,5', 'common:numbers.count.notWhole'],
			['1.23', 'common:numbers.count.ambiguous'],
		] as const) {
			const result = await post({ intent: 'population', communeCode: '03646', adultPopulation: typed, source: 'Chi cục Thống kê 2025', asOf: '2026-01-01' })
			expect(result.status).toBe(400)
			expect(result.body).toMatchObject({ result: { error: { adultPopulation: [reason] } } })
		}
		expect(await prisma.communePopulation.findMany({ where })).toEqual(before)
	})

	test('a coverage target for every commune: 40,5 is 40.5 %, confirmed with the number of communes; 1.500 is refused', async () => {
		const saved = await post({ intent: 'target', communeCode: 'all', indicator: 'coverage', year: '2027', value: '40,5' })
		expect(saved.status).toBe(200)
		expect(saved.body).toMatchObject({ saved: { kind: 'target', commune: null, communes: 75, indicator: 'coverage', year: 2027, value: 40.5 } })
		const targetsBefore = await prisma.target.findMany({ where: { year: 2028 } })
		const refused = await post({ intent: 'target', communeCode: '03808', indicator: 'coverage', year: '2028', value: '1.500' })
		expect(refused.status).toBe(400)
		expect(refused.body).toMatchObject({ result: { error: { value: ['common:numbers.decimal.ambiguous'] } } })
		expect(await prisma.target.findMany({ where: { year: 2028 } })).toEqual(targetsBefore)
	})
})
