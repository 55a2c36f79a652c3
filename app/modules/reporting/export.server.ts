import ExcelJS from 'exceljs'
import { type TFunction } from 'i18next'
import { getCatalogue } from '../course/course.server.ts'
import { toCsv as csvFile } from '#app/utils/csv.server.ts'
import { type Lng } from '#app/utils/i18n.ts'
import { listCommunes } from '../units/units.server.ts'
import { byCourseKey, CUMULATIVE_METRICS, isPerCourse, metric, PERIOD_METRICS, TARGET_INDICATORS } from '#app/kernel/metrics.ts'
import { isSensitiveBreakdown, suppressedMarker } from '#app/kernel/disclosure.ts'
import { type Breakdown } from '#app/kernel/demographics.ts'
import { env } from '#app/utils/env.server.ts'
import { type BreakdownRow, type IndicatorReport, type Row } from './indicators.server.ts'

/**
 * Indicator exports. Every format is built from the same `IndicatorReport` and holds aggregate
 * counts only: commune codes and names, periods and numbers, never a person (issue #6).
 */
export { EXPORT_FORMATS, type ExportFormat } from './constants.ts'
import { type ExportFormat } from './constants.ts'
import { DATA_SET, toAdx, toDhis2, toDhis2Metadata } from './dhis2.server.ts'

// DHIS2 and ADX live in dhis2.server.ts (the mapping in docs/dhis2.md).
export { toAdx, toDhis2, toDhis2Metadata } from './dhis2.server.ts'

export interface Column {
	code: string
	get: (row: Row, communeName: string) => string | number | null
	/** A per-course column: the course and the translation key of its header. */
	course?: { id: string; header: string }
}

/** The flat table of CSV, XLSX and the printable report, one row per commune and period. */
export function columns(courseIds: string[]): Column[] {
	return [
		{ code: 'commune_code', get: (r) => r.communeCode },
		{ code: 'commune_name', get: (_r, name) => name },
		{ code: 'period', get: (r) => r.period },
		// Each period metric, followed by its per-course columns; then each cumulative metric.
		...PERIOD_METRICS.flatMap((m): Column[] => {
			const { column, perCourse } = metric(m)
			return [
				{ code: column, get: (r) => r.figures[m] },
				...(isPerCourse(m) && perCourse
					? courseIds.map((id) => ({ code: `${column}_${id}`, course: { id, header: perCourse.header }, get: (r: Row) => r.figures[byCourseKey(m)][id] ?? 0 }))
					: []),
			]
		}),
		...CUMULATIVE_METRICS.map((m): Column => ({ code: `cumulative_${metric(m).column}`, get: (r) => r.cumulative[m] })),
		{ code: 'adult_population', get: (r) => r.population?.adults ?? null },
		{ code: 'population_source', get: (r) => (r.population?.asOf ? `${r.population.source} (${r.population.asOf})` : null) },
		{ code: 'coverage_percent', get: (r) => r.coverage },
		...TARGET_INDICATORS.flatMap((ind) => [
			{ code: `target_${ind}`, get: (r: Row) => r.targets.find((t) => t.indicator === ind)?.target ?? null },
			{ code: `status_${ind}`, get: (r: Row) => r.targets.find((t) => t.indicator === ind)?.rag ?? null },
		]),
	]
}

export interface ExportInput {
	report: IndicatorReport
	breakdown?: { by: string; rows: BreakdownRow[] } | null
	lng: Lng
	t: TFunction
}

async function names(report: IndicatorReport, lng: Lng) {
	const list = await listCommunes(report.provinceCode, lng)
	return new Map(list.map((c) => [c.value, c.label]))
}

function header(t: TFunction, { code, course }: Column, courses: Map<string, string>) {
	if (course) return t(course.header, { course: courses.get(course.id) ?? course.id })
	if (code.startsWith('target_')) return t('province:columns.targetOf', { indicator: t(`province:indicators.${code.slice(7)}`) })
	if (code.startsWith('status_')) return t('province:columns.statusOf', { indicator: t(`province:indicators.${code.slice(7)}`) })
	return t(`province:columns.${code}`)
}

async function table({ report, lng, t }: ExportInput) {
	const catalogue = getCatalogue(lng)
	const courses = new Map(catalogue.map((c) => [c.id, c.title]))
	const cols = columns(catalogue.map((c) => c.id))
	const communeNames = await names(report, lng)
	const rows = report.rows.map((r) => cols.map((c) => c.get(r, communeNames.get(r.communeCode) ?? '')))
	const totals = report.totals.map((r) =>
		cols.map((c) => (c.code === 'commune_name' ? t('province:total') : c.code === 'commune_code' ? report.provinceCode : c.get(r, ''))),
	)
	return { headers: cols.map((c) => header(t, c, courses)), codes: cols.map((c) => c.code), rows, totals }
}

/** UTF-8 with a byte order mark, so Excel shows Vietnamese correctly; no cell can be a formula. Province totals come last. */
export async function toCsv(input: ExportInput): Promise<string> {
	const { headers, rows, totals } = await table(input)
	return csvFile([headers, ...rows, ...totals])
}

export async function toXlsx(input: ExportInput): Promise<Buffer> {
	const { headers, rows, totals } = await table(input)
	const book = new ExcelJS.Workbook()
	book.creator = 'Học Vụ Số'
	const sheet = book.addWorksheet(input.t('province:sheets.indicators'))
	sheet.addRow(headers).font = { bold: true }
	for (const r of rows) sheet.addRow(r)
	for (const r of totals) sheet.addRow(r).font = { bold: true }
	sheet.views = [{ state: 'frozen', ySplit: 1, xSplit: 3 }]
	if (input.breakdown) {
		const b = book.addWorksheet(input.t('province:sheets.breakdown'))
		b.addRow([
			input.t('province:columns.commune_code'),
			input.t('province:columns.period'),
			input.t(`province:breakdowns.${input.breakdown.by}`),
			...PERIOD_METRICS.map((m) => input.t(metric(m).labels.indicator)),
		]).font = { bold: true }
		// A withheld cell says so ("<5"), never an empty cell that reads as zero.
		const marker = suppressedMarker(env.SMALL_CELL_THRESHOLD)
		for (const r of input.breakdown.rows) b.addRow([r.communeCode, r.period, r.value, ...PERIOD_METRICS.map((m) => r[m] ?? marker)])
	}
	return Buffer.from(await book.xlsx.writeBuffer())
}

/** The report as JSON: the same structure the API returns. */
export async function toJson({ report, breakdown, lng }: ExportInput) {
	const communeNames = await names(report, lng)
	return {
		dataSet: DATA_SET,
		provinceCode: report.provinceCode,
		granularity: report.granularity,
		from: report.from,
		to: report.to,
		periods: report.periods,
		courses: getCatalogue(lng).map((c) => ({ id: c.id, title: c.title, core: c.core })),
		rows: report.rows.map((r) => ({ ...r, communeName: communeNames.get(r.communeCode) ?? '' })),
		totals: report.totals.map(({ communeCode: _c, population, ...rest }) => ({ ...rest, adultPopulation: population?.adults ?? null })),
		...(breakdown
			? {
					breakdown: {
						by: breakdown.by,
						// Cells withheld as null (app/kernel/disclosure.ts) are below this count, or withheld with one.
						...(isSensitiveBreakdown(breakdown.by as Breakdown) ? { suppressedBelow: env.SMALL_CELL_THRESHOLD } : {}),
						rows: breakdown.rows,
					},
				}
			: {}),
	}
}

export interface ExportFile {
	body: string | Buffer
	contentType: string
	filename: string
}

/** Builds one export file (the export route and the tests use this). */
export async function buildExport(format: ExportFormat, input: ExportInput): Promise<ExportFile> {
	const { report } = input
	const base = `hoc-vu-so_${report.provinceCode}_${report.from}_${report.to}_${report.granularity}`
	switch (format) {
		case 'csv':
			return { body: await toCsv(input), contentType: 'text/csv; charset=utf-8', filename: `${base}.csv` }
		case 'xlsx':
			return { body: await toXlsx(input), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename: `${base}.xlsx` }
		case 'json':
			return { body: JSON.stringify(await toJson(input), null, 1), contentType: 'application/json; charset=utf-8', filename: `${base}.json` }
		case 'dhis2':
			return { body: JSON.stringify(toDhis2(report), null, 1), contentType: 'application/json; charset=utf-8', filename: `${base}_dhis2-dataValueSets.json` }
		case 'dhis2-metadata':
			return {
				body: JSON.stringify(await toDhis2Metadata(report), null, 1),
				contentType: 'application/json; charset=utf-8',
				filename: `${base}_dhis2-metadata.json`,
			}
		case 'adx':
			return { body: toAdx(report), contentType: 'application/adx+xml; charset=utf-8', filename: `${base}_adx.xml` }
	}
}
