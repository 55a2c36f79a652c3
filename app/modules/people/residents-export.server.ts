import ExcelJS from 'exceljs'
import { type TFunction } from 'i18next'
import { toCsv } from '#app/utils/csv.server.ts'
import { reportingDb } from '#app/utils/db.server.ts'
import { type Lng } from '#app/utils/i18n.ts'
import { canExportPersonalData, residentsInScope, type Scope } from '#app/kernel/scope.ts'
import { recordAccess } from '../audit/access-log.server.ts'
import { getCatalogue, getCourseById } from '../course/course.server.ts'
import { vietnamDay } from '#app/kernel/calendar.ts'
import { ethnicGroupName } from '#app/kernel/demographics.ts'
import { getCommuneInScope } from '../units/units.server.ts'
import { formatPhone } from './phone.ts'

/**
 * A commune's residents and their progress per course, for staff to open in Excel: CSV (UTF-8
 * with a byte order mark, or Excel shows Vietnamese as garbage) and XLSX. Only residents in the
 * caller's scope, every export audit-logged. The first columns carry the import's column names,
 * so an exported file can be imported again (and then adds nobody).
 */
export const RESIDENT_EXPORT_FORMATS = ['csv', 'xlsx'] as const
export type ResidentExportFormat = (typeof RESIDENT_EXPORT_FORMATS)[number]

export interface ResidentExportFile {
	body: string | Buffer
	contentType: string
	filename: string
	count: number
}

/**
 * Null when the commune is unknown or outside the caller's scope (answer 404); 'forbidden' when the
 * caller sees the commune but may not take its personal data away (`canExportPersonalData`: a
 * province officer without the administrator's permission, an administrator; answer 403).
 */
export async function exportResidents({
	scope,
	actorId,
	communeCode,
	format,
	lng,
	t,
	now = new Date(),
}: {
	scope: Scope
	actorId: string
	communeCode: string
	format: ResidentExportFormat
	lng: Lng
	t: TFunction
	now?: Date
}): Promise<ResidentExportFile | null | 'forbidden'> {
	const commune = await getCommuneInScope(scope, communeCode)
	if (!commune) return null
	if (!canExportPersonalData(scope, commune)) return 'forbidden'
	const { headers, rows, ids } = await residentTable({ scope, communeCode: commune.code, lng, t })
	const base = `hoc-vu-so_nguoi-dan_${commune.code}_${vietnamDay(now)}`
	const file =
		format === 'csv'
			? { body: toCsv([headers, ...rows.map(csvRow)]), contentType: 'text/csv; charset=utf-8', filename: `${base}.csv` }
			: { body: await toXlsx(headers, rows, t), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename: `${base}.xlsx` }
	// Who took whom (ADR 019): each resident in the file finds this export on /me/data.
	await recordAccess({
		actorId,
		action: 'export.residents',
		where: { communeCode: commune.code, provinceCode: commune.provinceCode },
		details: { format, commune: commune.code },
		residentIds: ids,
	})
	return { ...file, count: rows.length }
}

/**
 * The import template (offered on the import page): the header row and one example row whose name
 * starts "Ví dụ", which the importer never imports (it says so in the preview). No personal data.
 */
export function importTemplateCsv(t: TFunction) {
	const [header, example] = templateRows(t)
	return toCsv([header, csvRow(example)])
}

/** The same template as an Excel workbook: phone numbers as text, the example row in grey italics. */
export async function importTemplateXlsx(t: TFunction) {
	const [header, example] = templateRows(t)
	const book = new ExcelJS.Workbook()
	book.creator = 'Học Vụ Số'
	const sheet = book.addWorksheet(t('staff:export.sheet'))
	sheet.addRow(header).font = { bold: true }
	sheet.addRow(example).font = { italic: true, color: { argb: 'FF6B7280' } }
	sheet.getColumn(2).numFmt = '@'
	sheet.getColumn(1).width = 40
	sheet.getColumn(2).width = 14
	sheet.views = [{ state: 'frozen', ySplit: 1 }]
	return Buffer.from(await book.xlsx.writeBuffer())
}

function templateRows(t: TFunction): [string[], string[]] {
	const example: Record<(typeof TEMPLATE_COLUMNS)[number], string> = {
		fullName: t('staff:export.example.fullName'),
		phone: '0912345678',
		birthYear: '1968',
		sex: t('staff:export.example.sex'),
		ethnicGroup: t('staff:export.example.ethnicGroup'),
		village: t('staff:export.example.village'),
		learnerGroup: t('staff:export.example.learnerGroup'),
	}
	return [TEMPLATE_COLUMNS.map((c) => t(`staff:export.columns.${c}`)), TEMPLATE_COLUMNS.map((c) => example[c])]
}

/**
 * Excel reads a CSV cell of digits as a number and drops a phone's leading 0. Written with spaces
 * ("0912 345 678") it stays text, is no formula (unlike ="0912…") and imports again as the same
 * phone. XLSX keeps the plain number in a text cell.
 */
function csvRow(row: (string | number)[]) {
	return row.map((cell, i) => (i === PHONE_COLUMN && typeof cell === 'string' && /^\d{10}$/.test(cell) ? formatPhone(cell) : cell))
}

const PERSON_COLUMNS = [
	'fullName',
	'phone',
	'birthYear',
	'sex',
	'ethnicGroup',
	'village',
	'learnerGroup',
	'registeredOn',
	'registeredVia',
	'activated',
] as const
const PHONE_COLUMN = PERSON_COLUMNS.indexOf('phone')
const TEMPLATE_COLUMNS = ['fullName', 'phone', 'birthYear', 'sex', 'ethnicGroup', 'village', 'learnerGroup'] as const

async function residentTable({ scope, communeCode, lng, t }: { scope: Scope; communeCode: string; lng: Lng; t: TFunction }) {
	const courses = getCatalogue(lng).flatMap((c) => {
		const course = getCourseById(c.id)
		return course ? [{ id: c.id, title: c.title, lessonIds: new Set(course.lessons.map((l) => l.id)) }] : []
	})
	const residents = await reportingDb.user.findMany({
		where: { AND: [{ communeCode }, residentsInScope(scope)] },
		select: {
			id: true,
			fullName: true,
			phone: true,
			birthYear: true,
			sex: true,
			ethnicGroup: true,
			village: true,
			learnerGroup: true,
			createdAt: true,
			registeredVia: true,
			credentialKind: true,
			enrolments: {
				select: {
					courseId: true,
					createdAt: true,
					completedAt: true,
					lessons: { where: { completedAt: { not: null } }, select: { lessonId: true } },
					certificate: { select: { code: true, revokedAt: true } },
				},
			},
		},
		orderBy: [{ fullName: 'asc' }, { createdAt: 'asc' }],
	})
	const headers = [
		...PERSON_COLUMNS.map((c) => t(`staff:export.columns.${c}`)),
		...courses.flatMap((c) => [
			t('staff:export.columns.enrolledOn', { course: c.title }),
			t('staff:export.columns.lessonsDone', { course: c.title, total: c.lessonIds.size }),
			t('staff:export.columns.completedOn', { course: c.title }),
			t('staff:export.columns.certificate', { course: c.title }),
		]),
	]
	const rows = residents.map((r) => {
		const enrolments = new Map(r.enrolments.map((e) => [e.courseId, e]))
		return [
			r.fullName,
			r.phone ?? '',
			r.birthYear ?? '',
			r.sex === 'MALE' ? t('auth:fields.male') : r.sex === 'FEMALE' ? t('auth:fields.female') : '',
			ethnicGroupName(r.ethnicGroup, lng),
			r.village ?? '',
			t(`auth:learnerGroups.${r.learnerGroup}`),
			vietnamDay(r.createdAt),
			t(`staff:export.via.${r.registeredVia}`),
			r.credentialKind ? t('staff:export.yes') : t('staff:export.no'),
			...courses.flatMap((c) => {
				const e = enrolments.get(c.id)
				if (!e) return ['', '', '', '']
				const done = e.lessons.filter((l) => c.lessonIds.has(l.lessonId)).length
				const certificate = e.certificate && !e.certificate.revokedAt ? e.certificate.code : ''
				return [vietnamDay(e.createdAt), done, e.completedAt ? vietnamDay(e.completedAt) : '', certificate]
			}),
		]
	})
	return { headers, rows, ids: residents.map((r) => r.id) }
}

async function toXlsx(headers: string[], rows: (string | number)[][], t: TFunction) {
	const book = new ExcelJS.Workbook()
	book.creator = 'Học Vụ Số'
	const sheet = book.addWorksheet(t('staff:export.sheet'))
	sheet.addRow(headers).font = { bold: true }
	for (const row of rows) sheet.addRow(row)
	// Phone numbers stay text: as numbers Excel would drop the leading 0.
	sheet.getColumn(2).numFmt = '@'
	sheet.getColumn(1).width = 28
	sheet.getColumn(2).width = 14
	sheet.views = [{ state: 'frozen', ySplit: 1, xSplit: 1 }]
	return Buffer.from(await book.xlsx.writeBuffer())
}
