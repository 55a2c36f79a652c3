import { beforeAll, describe, expect, test } from 'vitest'
import { METRICS } from '#app/kernel/metrics.ts'
import { getCatalogue } from '#app/modules/course/course.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { completeCourse } from '#tests/fixtures/learning.ts'
import { officer, resident, sessionCookie } from '#tests/utils/factories.ts'
import { callRoute } from '#tests/utils/route.ts'
import * as dashboardRoute from '#app/routes/province+/_index.tsx'
import * as exportRoute from '#app/routes/province+/export.tsx'
import { courseOption, toDhis2, toDhis2Metadata } from './dhis2.server.ts'
import { getIndicators } from './indicators.server.ts'

/**
 * DHIS2 without double counting (issue #17 item 5, docs/dhis2.md): the metadata file an administrator
 * imports, and data values (JSON and ADX) that reference only what it defines, with no data element
 * sent both as a total and disaggregated (DHIS2 would add the total to the sum of its combos). Every
 * file is fetched through the export route and compared with the province dashboard's figures.
 * Province 08 (Tuyên Quang), which no other test writes to.
 */
const PROVINCE = '08'
let communes: string[] = []
let cookie = ''
const at = (iso: string) => new Date(`${iso}T10:00:00+07:00`)
const QUERY = `province=${PROVINCE}&from=2026-01&to=2026-06`

beforeAll(async () => {
	const rows = await prisma.commune.findMany({ where: { provinceCode: PROVINCE }, orderBy: { code: 'asc' }, take: 3 })
	communes = rows.map((r) => r.code)
	const [a, b] = communes as [string, string]
	const learner = (communeCode: string, when: string) => resident({ fullName: 'Hoàng Văn Số Liệu', provinceCode: PROVINCE, communeCode, at: at(when) })
	const p1 = await learner(a, '2026-01-05')
	const p2 = await learner(a, '2026-02-10')
	const p3 = await learner(b, '2026-04-02')
	await completeCourse(p1, 'smartphone', at('2026-01-20'))
	await completeCourse(p1, 'vneid', at('2026-02-14'))
	await completeCourse(p2, 'smartphone', at('2026-02-28'))
	for (const course of ['public-services', 'scam-safety']) await completeCourse(p1, course, at('2026-05-03'))
	await completeCourse(p3, 'smartphone', at('2026-04-20'))
	await prisma.communePopulation.create({
		data: { communeCode: a, provinceCode: PROVINCE, adultPopulation: 2400, source: 'Thống kê xã 2025', asOf: new Date('2026-01-01') },
	})
	cookie = await sessionCookie(await officer(PROVINCE))
})

async function download(format: string, granularity: string) {
	const { status, response } = await callRoute(exportRoute, 'loader', { url: `/province/export?format=${format}&${QUERY}&granularity=${granularity}`, cookie })
	expect(status).toBe(200)
	return response!.text()
}

interface Ref {
	id: string
	code: string
}
interface Metadata {
	categoryOptions: (Ref & { name: string; shortName: string })[]
	categories: (Ref & { name: string; categoryOptions: Ref[]; dataDimensionType: string })[]
	categoryCombos: (Ref & { name: string; categories: Ref[] })[]
	categoryOptionCombos: (Ref & { name: string; categoryCombo: Ref; categoryOptions: Ref[] })[]
	dataElements: (Ref & { name: string; shortName: string; valueType: string; domainType: string; aggregationType: string; categoryCombo?: Ref })[]
	organisationUnits: (Ref & { name: string; shortName: string; openingDate: string; parent?: Ref })[]
	dataSets: (Ref & { name: string; periodType: string; dataSetElements: { dataElement: Ref; dataSet: Ref }[]; organisationUnits: Ref[] })[]
}
interface DataValue {
	dataElement: string
	period: string
	orgUnit: string
	categoryOptionCombo?: string
	value: string
}

/** The ADX values as { dataElement, orgUnit, period (DHIS2 form), course option, value }. */
function adxValues(adx: string): DataValue[] {
	const out: DataValue[] = []
	for (const group of adx.matchAll(/<group orgUnit="([^"]+)" period="(\d{4})-(\d\d)-01\/P(1M|3M|1Y)" dataSet="([^"]+)">([\s\S]*?)<\/group>/g)) {
		const [, orgUnit, year, month, length, , body] = group as unknown as string[]
		const period = length === '1Y' ? year! : length === '3M' ? `${year}Q${(Number(month) + 2) / 3}` : `${year}${month}`
		for (const line of body!.matchAll(/<dataValue ([^>]*)\/>/g)) {
			const attrs = Object.fromEntries([...line[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]))
			const { dataElement, value, ...rest } = attrs
			const extra = Object.keys(rest)
			expect(extra.every((k) => k === 'HVS_COURSE')).toBe(true)
			out.push({ dataElement: dataElement!, orgUnit: orgUnit!, period, value: value!, ...(rest.HVS_COURSE ? { categoryOptionCombo: rest.HVS_COURSE } : {}) })
		}
	}
	return out
}

describe('DHIS2 metadata', () => {
	test('defines the course category, its combos, the data elements, the org units by official code and the data set', async () => {
		const meta = JSON.parse(await download('dhis2-metadata', 'quarter')) as Metadata
		const all = Object.values(meta).flat() as (Ref & { name?: string; shortName?: string })[]
		for (const o of all) expect(o.id, o.code).toMatch(/^[a-zA-Z][a-zA-Z0-9]{10}$/)
		for (const [type, list] of Object.entries(meta) as [string, (Ref & { name: string; shortName?: string })[]][]) {
			expect(new Set(list.map((o) => o.id)).size, type).toBe(list.length)
			expect(new Set(list.map((o) => o.code)).size, type).toBe(list.length)
			expect(new Set(list.map((o) => o.name)).size, type).toBe(list.length)
			for (const o of list) {
				expect(o.name.length, o.name).toBeLessThanOrEqual(230)
				if (o.shortName !== undefined) expect(o.shortName.length, o.shortName).toBeLessThanOrEqual(50)
			}
		}
		// Every reference points at an object of the file, by the same id and code.
		const resolves = (list: Ref[], r: Ref) =>
			expect(
				list.some((o) => o.id === r.id && o.code === r.code),
				`${r.code}`,
			).toBe(true)
		const [category] = meta.categories
		const [combo] = meta.categoryCombos
		expect(category!.code).toBe('HVS_COURSE')
		expect(category!.dataDimensionType).toBe('DISAGGREGATION')
		expect(category!.categoryOptions.map((o) => o.code)).toEqual(getCatalogue('vi').map((c) => courseOption(c.id)))
		for (const o of category!.categoryOptions) resolves(meta.categoryOptions, o)
		for (const c of combo!.categories) resolves(meta.categories, c)
		// One option combo per option (a one-category combo), with the option's code.
		expect(meta.categoryOptionCombos.map((c) => c.code)).toEqual(category!.categoryOptions.map((o) => o.code))
		for (const coc of meta.categoryOptionCombos) {
			resolves(meta.categoryCombos, coc.categoryCombo)
			expect(coc.categoryOptions).toHaveLength(1)
			resolves(meta.categoryOptions, coc.categoryOptions[0]!)
			expect(coc.categoryOptions[0]!.code).toBe(coc.code)
		}
		// One data element per exported metric, plus the population; completions split by course.
		expect(meta.dataElements.map((d) => d.code)).toEqual([...METRICS.flatMap((m) => (m.dataElement ? [m.dataElement] : [])), 'HVS_ADULT_POPULATION'])
		for (const de of meta.dataElements) {
			expect(de).toMatchObject({ domainType: 'AGGREGATE', valueType: 'INTEGER_ZERO_OR_POSITIVE' })
			if (de.categoryCombo) resolves(meta.categoryCombos, de.categoryCombo)
		}
		expect(meta.dataElements.find((d) => d.code === 'HVS_COMPLETIONS')!.categoryCombo?.code).toBe('HVS_COURSE')
		expect(meta.dataElements.filter((d) => d.categoryCombo).map((d) => d.code)).toEqual(['HVS_COMPLETIONS'])
		// Distinct learners do not add up over time; counts do.
		expect(meta.dataElements.find((d) => d.code === 'HVS_ACTIVE_LEARNERS')!.aggregationType).toBe('NONE')
		expect(meta.dataElements.find((d) => d.code === 'HVS_COMPLETIONS')!.aggregationType).toBe('SUM')
		// The province and every commune of the report, by official GSO code, communes under the province.
		const [province, ...units] = meta.organisationUnits
		expect(province).toMatchObject({ code: PROVINCE, name: 'Tỉnh Tuyên Quang' })
		const allCommunes = await prisma.commune.findMany({ where: { provinceCode: PROVINCE }, orderBy: { code: 'asc' }, select: { code: true, fullName: true } })
		expect(units.map((u) => [u.code, u.name])).toEqual(allCommunes.map((c) => [c.code, c.fullName]))
		for (const u of units) resolves([province!], u.parent!)
		const [dataSet] = meta.dataSets
		expect(dataSet).toMatchObject({ code: 'HVS_DIGITAL_LITERACY', periodType: 'Quarterly' })
		expect(dataSet!.dataSetElements.map((e) => e.dataElement.code)).toEqual(meta.dataElements.map((d) => d.code))
		for (const e of dataSet!.dataSetElements) resolves(meta.dataElements, e.dataElement)
		for (const o of dataSet!.organisationUnits) resolves(units, o)
		// The same codes give the same ids next time: a second import updates, it does not duplicate.
		const again = JSON.parse(await download('dhis2-metadata', 'month')) as Metadata
		expect(again.dataElements.map((d) => d.id)).toEqual(meta.dataElements.map((d) => d.id))
		expect(again.dataSets[0]!.periodType).toBe('Monthly')
	})
})

describe('DHIS2 and ADX data values', () => {
	for (const granularity of ['month', 'quarter', 'year'] as const) {
		test(`${granularity}: only what the metadata defines, no element both total and disaggregated, sums equal to the dashboard`, async () => {
			const meta = JSON.parse(await download('dhis2-metadata', granularity)) as Metadata
			const json = JSON.parse(await download('dhis2', granularity)) as { dataSet: string; dataValues: DataValue[] }
			const adx = adxValues(await download('adx', granularity))
			expect(json.dataSet).toBe(meta.dataSets[0]!.code)
			const elements = new Map(meta.dataElements.map((d) => [d.code, d]))
			const cocs = new Set(meta.categoryOptionCombos.filter((c) => c.categoryCombo.code === 'HVS_COURSE').map((c) => c.code))
			const units = new Set(meta.dataSets[0]!.organisationUnits.map((o) => o.code))

			for (const values of [json.dataValues, adx]) {
				expect(values.length).toBeGreaterThan(0)
				const shapes = new Map<string, Set<string>>()
				const seen = new Set<string>()
				for (const v of values) {
					const de = elements.get(v.dataElement)
					expect(de, v.dataElement).toBeDefined()
					expect(units.has(v.orgUnit), v.orgUnit).toBe(true)
					expect(v.value).toMatch(/^\d+$/)
					// A disaggregated element always names one of its option combos; any other never names one.
					if (de!.categoryCombo) expect(cocs.has(v.categoryOptionCombo ?? ''), `${v.dataElement} ${v.categoryOptionCombo}`).toBe(true)
					else expect(v.categoryOptionCombo).toBeUndefined()
					const key = `${v.dataElement}|${v.orgUnit}|${v.period}`
					shapes.set(key, (shapes.get(key) ?? new Set()).add(v.categoryOptionCombo ? 'disaggregated' : 'total'))
					const id = `${key}|${v.categoryOptionCombo ?? ''}`
					expect(seen.has(id), id).toBe(false)
					seen.add(id)
				}
				for (const [key, shape] of shapes) expect(shape.size, key).toBe(1)
				// The same data in both files.
			}
			const canonical = (vs: DataValue[]) => vs.map((v) => `${v.dataElement}|${v.orgUnit}|${v.period}|${v.categoryOptionCombo ?? ''}=${v.value}`).sort()
			expect(canonical(adx)).toEqual(canonical(json.dataValues))

			// What DHIS2 would total (the sum of every value of an element) is what the dashboard shows.
			const { body } = await callRoute(dashboardRoute, 'loader', { url: `/province?${QUERY}&granularity=${granularity}`, cookie })
			const dashboard = body as {
				periods: string[]
				totals: { period: string; figures: Record<string, number> }[]
				latest: { communeCode: string; figures: Record<string, number> }[]
			}
			const dhis2Total = (de: string, period: string, orgUnit?: string) =>
				json.dataValues
					.filter((v) => v.dataElement === de && v.period === period && (!orgUnit || v.orgUnit === orgUnit))
					.reduce((s, v) => s + Number(v.value), 0)
			const toDhis2 = (p: string) => p.replace('-Q', 'Q').replace('-', '')
			for (const m of METRICS) {
				if (!m.dataElement) continue
				for (const total of dashboard.totals) expect(dhis2Total(m.dataElement, toDhis2(total.period)), `${m.id} ${total.period}`).toBe(total.figures[m.id])
				for (const row of dashboard.latest)
					expect(dhis2Total(m.dataElement, toDhis2(dashboard.periods.at(-1)!), row.communeCode), `${m.id} ${row.communeCode}`).toBe(row.figures[m.id])
			}
			const completions = dashboard.totals.reduce((s, t) => s + t.figures.completions!, 0)
			expect(completions).toBe(6)
		})
	}
})

describe('a course retired from the content', () => {
	test('keeps its option, so its completions still have a combo and the total still adds up', async () => {
		const report = await getIndicators({ provinceCode: PROVINCE, communeCodes: communes.slice(0, 1), from: '2026-01', to: '2026-03', granularity: 'quarter' })
		// As the rollups read a course that left content/: its per-course count and its share of the total.
		const row = report.rows[0]!
		row.figures.completionsByCourse['old-course'] = 2
		row.figures.completions += 2
		const meta = (await toDhis2Metadata(report)) as unknown as Metadata
		const option = meta.categoryOptions.find((o) => o.code === 'HVS_COURSE_OLD_COURSE')
		expect(option?.name).toBe('Khoá học old-course (đã ngừng)')
		expect(meta.categories[0]!.categoryOptions.at(-1)!.code).toBe('HVS_COURSE_OLD_COURSE')
		expect(meta.categoryOptionCombos.map((c) => c.code)).toContain('HVS_COURSE_OLD_COURSE')
		const values = toDhis2(report).dataValues.filter((v) => v.dataElement === 'HVS_COMPLETIONS' && v.orgUnit === row.communeCode)
		expect(values.find((v) => v.categoryOptionCombo === 'HVS_COURSE_OLD_COURSE')?.value).toBe('2')
		expect(values.reduce((sum, v) => sum + Number(v.value), 0)).toBe(row.figures.completions)
	})
})
