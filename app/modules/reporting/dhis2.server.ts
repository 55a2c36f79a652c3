import { createHash } from 'node:crypto'
import { type TFunction } from 'i18next'
import { type Granularity } from '#app/kernel/calendar.ts'
import { byCourseKey, isPerCourse, metric, PERIOD_METRICS, type PeriodMetric } from '#app/kernel/metrics.ts'
import { getFixedT } from '#app/utils/i18n.server.ts'
import { getCatalogue, getCourseById } from '../course/course.server.ts'
import { communeName, provinceName } from '../units/units.server.ts'
import { type IndicatorReport, monthsOfPeriod } from './indicators.server.ts'

/**
 * DHIS2 and ADX (docs/dhis2.md). One mapping serves three files: the metadata an administrator imports
 * first (`dhis2-metadata`), the `dataValueSets` JSON and the ADX XML. Raw counts only: receivers
 * compute rates.
 *
 * DHIS2 adds up every category option combo of a data element to make its total, so a data element
 * is sent either as a total (default combo) or disaggregated, never both: a per-course metric
 * (completions) goes out once per course of the category HVS_COURSE, every course including zeros, and
 * its total is what DHIS2 sums. Nothing is sent under a code the metadata does not define.
 */

export const DATA_SET = 'HVS_DIGITAL_LITERACY'
/** The category (and category combo) that splits per-course metrics; its options are `courseOption(id)`. */
export const COURSE_CATEGORY = 'HVS_COURSE'
const ADULTS = 'HVS_ADULT_POPULATION'

type AggregationType = 'SUM' | 'NONE' | 'AVERAGE_SUM_ORG_UNIT'

interface ElementSpec {
	code: string
	/** A period metric, or the adult population. */
	source: PeriodMetric | 'adults'
	/** Sent per course only (category combo HVS_COURSE), never as a total. */
	byCourse: boolean
	/**
	 * How DHIS2 may add it up: additive counts over time and places; distinct learners (`active`) not at all
	 * (a learner active in two months is one in the quarter: export at the period you report);
	 * the population averaged over time, summed over places.
	 */
	aggregationType: AggregationType
	labels: { name: string; definition: string }
}

function elementSpecs(): ElementSpec[] {
	return [
		...PERIOD_METRICS.flatMap((m): ElementSpec[] => {
			const d = metric(m)
			if (!d.dataElement) return []
			return [
				{
					code: d.dataElement,
					source: m,
					byCourse: isPerCourse(m),
					aggregationType: d.additive ? 'SUM' : 'NONE',
					labels: { name: d.labels.indicator, definition: d.labels.definition },
				},
			]
		}),
		{
			code: ADULTS,
			source: 'adults',
			byCourse: false,
			aggregationType: 'AVERAGE_SUM_ORG_UNIT',
			labels: { name: 'province:indicators.adults', definition: 'province:dhis2.adultsDefinition' },
		},
	]
}

/** The category option (and option combo) code of a course: public-services → HVS_COURSE_PUBLIC_SERVICES. */
export function courseOption(courseId: string) {
	return `${COURSE_CATEGORY}_${courseId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`
}

/** DHIS2 period identifiers: 202506, 2025Q2, 2025. */
export function dhis2Period(period: string) {
	return period.replace('-Q', 'Q').replace('-', '')
}

/** ADX (ISO 8601) periods: 2025-06-01/P1M, 2025-04-01/P3M, 2025-01-01/P1Y. */
export function adxPeriod(period: string) {
	const start = `${monthsOfPeriod(period)[0]}-01`
	return `${start}/${/^\d{4}$/.test(period) ? 'P1Y' : period.includes('Q') ? 'P3M' : 'P1M'}`
}

const PERIOD_TYPES: Record<Granularity, string> = { month: 'Monthly', quarter: 'Quarterly', year: 'Yearly' }

/**
 * The courses the category lists: the catalogue's, then any other course the report counts (a course
 * retired from the content keeps its completions), so every value has its option.
 */
export function reportCourses(report: IndicatorReport): string[] {
	const ids = getCatalogue('vi').map((c) => c.id)
	const extra = new Set<string>()
	for (const row of report.rows)
		for (const m of PERIOD_METRICS) if (isPerCourse(m)) for (const id of Object.keys(row.figures[byCourseKey(m)])) if (!ids.includes(id)) extra.add(id)
	return [...ids, ...[...extra].sort()]
}

export interface DataValue {
	dataElement: string
	period: string
	orgUnit: string
	value: number
	/** The course of a per-course data element. */
	course?: string
}

/** The values of the report, as the metadata defines them: each element either total or per course. */
export function dataValues(report: IndicatorReport, courses = reportCourses(report)): DataValue[] {
	const specs = elementSpecs()
	const out: DataValue[] = []
	for (const r of report.rows) {
		const base = { period: r.period, orgUnit: r.communeCode }
		for (const spec of specs) {
			if (spec.source === 'adults') {
				if (r.population) out.push({ ...base, dataElement: spec.code, value: r.population.adults })
			} else if (spec.byCourse && isPerCourse(spec.source)) {
				const counts = r.figures[byCourseKey(spec.source)]
				for (const course of courses) out.push({ ...base, dataElement: spec.code, course, value: counts[course] ?? 0 })
			} else {
				out.push({ ...base, dataElement: spec.code, value: r.figures[spec.source] })
			}
		}
	}
	return out
}

/**
 * DHIS2 `dataValueSets` JSON for `POST /api/dataValueSets?idScheme=code` (after the metadata): official
 * commune codes as org units, per-period counts; a per-course element carries the course's option combo.
 */
export function toDhis2(report: IndicatorReport) {
	return {
		dataSet: DATA_SET,
		dataValues: dataValues(report).map((v) => ({
			dataElement: v.dataElement,
			period: dhis2Period(v.period),
			orgUnit: v.orgUnit,
			...(v.course ? { categoryOptionCombo: courseOption(v.course) } : {}),
			value: String(v.value),
		})),
	}
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')

/**
 * ADX (IHE QRPH) XML: one group per commune and period. A per-course value names its category option
 * as DHIS2 reads ADX: the category code as the attribute, the option code as its value.
 */
export function toAdx(report: IndicatorReport, exported = new Date()) {
	const groups = new Map<string, DataValue[]>()
	for (const v of dataValues(report)) {
		const key = `${v.orgUnit}|${v.period}`
		groups.set(key, [...(groups.get(key) ?? []), v])
	}
	const body = [...groups.values()]
		.map((values) => {
			const { orgUnit, period } = values[0]!
			const lines = values.map(
				(v) =>
					`    <dataValue dataElement="${xml(v.dataElement)}"${v.course ? ` ${COURSE_CATEGORY}="${xml(courseOption(v.course))}"` : ''} value="${v.value}"/>`,
			)
			return `  <group orgUnit="${xml(orgUnit)}" period="${adxPeriod(period)}" dataSet="${DATA_SET}">\n${lines.join('\n')}\n  </group>`
		})
		.join('\n')
	return `<?xml version="1.0" encoding="UTF-8"?>\n<adx xmlns="urn:ihe:qrph:adx:2015" exported="${exported.toISOString()}">\n${body}\n</adx>\n`
}

// ───────────── Metadata ─────────────

const UID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/**
 * A DHIS2 UID (11 characters, a letter first) derived from the object's kind and code: the same file
 * imported twice, or next year's, updates the same objects instead of creating copies.
 */
export function dhis2Uid(kind: string, code: string) {
	const hash = createHash('sha256').update(`hoc-vu-so:${kind}:${code}`).digest()
	let uid = UID_CHARS[hash[0]! % 52]!
	for (let i = 1; i < 11; i++) uid += UID_CHARS[hash[i]! % 62]
	return uid
}

/** A reference by UID and code, so the file imports with either preheat identifier. */
const ref = (kind: string, code: string) => ({ id: dhis2Uid(kind, code), code })
const short = (s: string) => (s.length <= 50 ? s : `${s.slice(0, 49)}…`)
const translations = (en: { name: string; shortName?: string; description?: string }) => [
	{ property: 'NAME', locale: 'en', value: en.name },
	...(en.shortName ? [{ property: 'SHORT_NAME', locale: 'en', value: en.shortName }] : []),
	...(en.description ? [{ property: 'DESCRIPTION', locale: 'en', value: en.description }] : []),
]

/** The first day a commune can report (the movement began in 2025); data before it would be refused by DHIS2. */
const OPENING_DATE = '2025-01-01'

/**
 * The metadata a DHIS2 administrator imports once before the data (`POST /api/metadata`): the course
 * category with its options, combo and option combos, the data elements, the province and its communes
 * by official GSO code, and the data set with the report's period type. Names in Vietnamese with
 * English translations.
 */
export async function toDhis2Metadata(report: IndicatorReport) {
	const [vi, en] = [await getFixedT('vi'), await getFixedT('en')]
	const courses = reportCourses(report)
	const courseTitle = (id: string, t: TFunction, lng: 'vi' | 'en') => getCourseById(id)?.title[lng] ?? t('province:dhis2.retiredCourse', { id })
	const categoryName = { vi: vi('province:dhis2.courseCategory'), en: en('province:dhis2.courseCategory') }
	const categoryOptions = courses.map((id) => {
		const name = { vi: courseTitle(id, vi, 'vi'), en: courseTitle(id, en, 'en') }
		return {
			...ref('categoryOption', courseOption(id)),
			name: name.vi,
			shortName: short(name.vi),
			translations: translations({ name: name.en, shortName: short(name.en) }),
		}
	})
	const category = {
		...ref('category', COURSE_CATEGORY),
		name: categoryName.vi,
		shortName: short(categoryName.vi),
		dataDimensionType: 'DISAGGREGATION',
		dataDimension: true,
		categoryOptions: courses.map((id) => ref('categoryOption', courseOption(id))),
		translations: translations({ name: categoryName.en, shortName: short(categoryName.en) }),
	}
	const categoryCombo = {
		...ref('categoryCombo', COURSE_CATEGORY),
		name: categoryName.vi,
		dataDimensionType: 'DISAGGREGATION',
		skipTotal: false,
		categories: [ref('category', COURSE_CATEGORY)],
		translations: translations({ name: categoryName.en }),
	}
	const categoryOptionCombos = courses.map((id, i) => ({
		...ref('categoryOptionCombo', courseOption(id)),
		name: categoryOptions[i]!.name,
		categoryCombo: ref('categoryCombo', COURSE_CATEGORY),
		categoryOptions: [ref('categoryOption', courseOption(id))],
	}))
	const dataElements = elementSpecs().map((spec) => {
		const name = { vi: `${vi('province:dhis2.prefix')}: ${vi(spec.labels.name)}`, en: `${en('province:dhis2.prefix')}: ${en(spec.labels.name)}` }
		const shortName = { vi: short(`HVS ${vi(spec.labels.name)}`), en: short(`HVS ${en(spec.labels.name)}`) }
		return {
			...ref('dataElement', spec.code),
			name: name.vi,
			shortName: shortName.vi,
			formName: vi(spec.labels.name),
			description: vi(spec.labels.definition),
			domainType: 'AGGREGATE',
			valueType: 'INTEGER_ZERO_OR_POSITIVE',
			aggregationType: spec.aggregationType,
			zeroIsSignificant: true,
			...(spec.byCourse ? { categoryCombo: ref('categoryCombo', COURSE_CATEGORY) } : {}),
			translations: translations({ name: name.en, shortName: shortName.en, description: en(spec.labels.definition) }),
		}
	})
	const province = { vi: await provinceName(report.provinceCode, 'vi'), en: await provinceName(report.provinceCode, 'en') }
	const organisationUnits = [
		{
			...ref('organisationUnit', report.provinceCode),
			name: province.vi,
			shortName: short(province.vi),
			openingDate: OPENING_DATE,
			translations: translations({ name: province.en, shortName: short(province.en) }),
		},
		...(await Promise.all(
			report.communeCodes.map(async (code) => {
				const name = { vi: await communeName(code, 'vi'), en: await communeName(code, 'en') }
				return {
					...ref('organisationUnit', code),
					name: name.vi,
					shortName: short(name.vi),
					openingDate: OPENING_DATE,
					parent: ref('organisationUnit', report.provinceCode),
					translations: translations({ name: name.en, shortName: short(name.en) }),
				}
			}),
		)),
	]
	const dataSetName = { vi: vi('province:dhis2.dataSet'), en: en('province:dhis2.dataSet') }
	const dataSets = [
		{
			...ref('dataSet', DATA_SET),
			name: dataSetName.vi,
			shortName: short(dataSetName.vi),
			periodType: PERIOD_TYPES[report.granularity],
			dataSetElements: dataElements.map((de) => ({ dataElement: { id: de.id, code: de.code }, dataSet: ref('dataSet', DATA_SET) })),
			organisationUnits: report.communeCodes.map((code) => ref('organisationUnit', code)),
			translations: translations({ name: dataSetName.en, shortName: short(dataSetName.en) }),
		},
	]
	return { categoryOptions, categories: [category], categoryCombos: [categoryCombo], categoryOptionCombos, dataElements, organisationUnits, dataSets }
}
