import { createHash } from 'node:crypto'
import { parse } from 'csv-parse/sync'
import { z } from 'zod'
import { isUniqueViolation } from '#app/utils/db-errors.ts'
import { prisma } from '#app/utils/db.server.ts'
import { metrics } from '#app/utils/metrics.server.ts'
import { canActInCommune, inScope, RESIDENT, residentsInScope, type Scope } from '#app/kernel/scope.ts'
import { recordAudit } from '../audit/audit.server.ts'
import { ageBand } from '#app/kernel/demographics.ts'
import { bumpRollups, type LearnerCell, Rollups } from '#app/modules/counting/rollup.server.ts'
import { type Tx } from '#app/utils/db.server.ts'
import { Prisma } from '#app/generated/prisma/client.ts'
import { newId, viaPrisma } from '#app/utils/sql.server.ts'
import { ETHNIC_GROUPS, ETHNICITY_NOT_STATED, LEARNER_GROUPS, OTHER_ETHNIC_GROUP } from '#app/kernel/demographics.ts'
import { NOTICE_VERSION } from '#app/kernel/privacy.ts'
import { consentsAtRegistration } from './consent.server.ts'
import { BirthYearSchema, FullNameSchema, PhoneSchema, ProfileFields } from './people.schema.ts'
import { getCommuneInScope } from '../units/units.server.ts'
import { LIMITS, takeAttempts } from '#app/utils/rate-limit.server.ts'
import { ImportFileError } from './import-error.ts'
import { looksLikeOldExcel, looksLikeZip, readFirstSheet } from './import-xlsx.server.ts'

/**
 * Residents imported from a CSV that commune staff keep (often saved from Excel in a Vietnamese
 * locale). Upload → `previewImport` parses and checks every row and stores the result as an
 * ImportJob; the staff member reads the preview; `confirmImport`/`startImport` then registers the
 * valid new rows in one transaction. An import only ever adds residents: an existing phone number
 * (in any commune) is left alone, so confirming twice or uploading the same file again adds nothing.
 *
 * The preview must not be a phone-number oracle beyond the staff member's scope (issue #16): only a
 * resident of the importing commune (no role) is shown as already registered. A number held by anyone
 * else (another commune or province, staff, an officer, the administrator) is shown as new, like a
 * number nobody has; at confirm such a row is refused with a neutral message that does not say
 * whether the number exists, and the account is never touched. Being refused does say that the
 * number is registered somewhere, which is what /register tells anyone (a resident must learn to
 * sign in instead): so those numbers are counted per staff member, before anything is imported or
 * shown, like /register's per address (LIMITS.importTakenPerStaff, 100 an hour). Over the limit the
 * whole import stops unchanged, and while the counter is full every import with new rows does, so
 * the outcome says nothing about any number (SECURITY.md).
 */

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024
export const MAX_IMPORT_ROWS = 20_000
/** Rows written per statement inside the one transaction. */
const BATCH = 1_000
const TRANSACTION_TIMEOUT = 10 * 60_000
/** A job still RUNNING this long after it started was cut off (its transaction rolled back). */
const STALE_AFTER = TRANSACTION_TIMEOUT + 5 * 60_000

export { ImportFileError }

export type ImportField = 'fullName' | 'phone' | 'birthYear' | 'sex' | 'ethnicGroup' | 'village' | 'learnerGroup'
export interface Reason {
	key: string
	values?: Record<string, string | number>
}

/** A CSV row as read, by field. `line` is the line number a spreadsheet shows (header = 1). */
export interface RawRow {
	line: number
	values: Partial<Record<ImportField, string>>
}

export interface ResidentRow {
	fullName: string
	phone: string
	birthYear: number
	sex: 'MALE' | 'FEMALE'
	ethnicGroup: string
	learnerGroup: 'RESIDENT' | 'OFFICIAL' | 'STUDENT' | 'WORKER'
	village: string | null
}

export type CheckedRow =
	| ({ line: number; status: 'new' } & ResidentRow)
	| ({ line: number; status: 'present' } & ResidentRow)
	/** Set at confirm: a new row that could not be registered from this commune (see the module comment). */
	| ({ line: number; status: 'refused' } & ResidentRow)
	| { line: number; status: 'invalid'; fullName: string; phone: string; reasons: Reason[] }

export interface ParsedFile {
	rows: RawRow[]
	/** Header cells that name no known field (shown to staff, otherwise ignored). */
	ignoredColumns: string[]
	delimiter: string
}

// ───────────── Exported verbs ─────────────

/**
 * Reads a residents CSV: UTF-8 with or without BOM (UTF-16 with BOM too, as Excel's "Unicode text"),
 * comma, semicolon or tab separated, quoted fields, CRLF, an optional Excel `sep=;` line, and
 * Vietnamese or English column names. Throws ImportFileError for anything that is not such a file.
 */
export function parseResidentsCsv(bytes: Uint8Array): ParsedFile {
	if (bytes.byteLength > MAX_IMPORT_BYTES) throw new ImportFileError('staff:import.errors.tooLarge', { mb: MAX_IMPORT_BYTES / 1024 / 1024 }, 413)
	let text = decode(bytes).normalize('NFC')
	let delimiter: string | undefined
	const sep = /^sep=(.)\r?\n/i.exec(text)
	if (sep) {
		delimiter = sep[1]
		text = text.slice(sep[0].length)
	}
	if (!text.trim()) throw new ImportFileError('staff:import.errors.empty')
	delimiter ??= guessDelimiter(text)
	let records: string[][]
	try {
		records = parse(text, {
			delimiter,
			relax_column_count: true,
			relax_quotes: true,
			// Blank lines are kept (and then skipped) so that row numbers are the ones Excel shows.
			skip_empty_lines: false,
			trim: true,
			max_record_size: 10_000,
			// The header, a few blank lines, and one row more than allowed so that we can say so.
			to: MAX_IMPORT_ROWS + 100,
		}) as string[][]
	} catch (error) {
		const line = (error as { lines?: number }).lines
		throw new ImportFileError('staff:import.errors.malformed', { line: line ?? 1 })
	}
	// The row number Excel shows (a value spanning lines is still one row).
	const parsed = rowsOfRecords(records.map((cells, index) => ({ number: index + 1 + (sep ? 1 : 0), cells })))
	return { ...parsed, delimiter }
}

/**
 * Reads an upload by its content, whatever its name or declared type: an Excel workbook (.xlsx, a
 * zip: its first sheet) or a CSV (parseResidentsCsv). The rows are the same either way, so the
 * checks and the preview are too.
 */
export async function parseResidentsFile(bytes: Uint8Array): Promise<ParsedFile> {
	if (bytes.byteLength > MAX_IMPORT_BYTES) throw new ImportFileError('staff:import.errors.tooLarge', { mb: MAX_IMPORT_BYTES / 1024 / 1024 }, 413)
	if (looksLikeOldExcel(bytes)) throw new ImportFileError('staff:import.errors.oldExcel')
	if (!looksLikeZip(bytes)) return parseResidentsCsv(bytes)
	const rows = await readFirstSheet(bytes, { maxRows: MAX_IMPORT_ROWS })
	return { ...rowsOfRecords(rows.map((r) => ({ number: r.number, cells: r.cells.map((c) => c.normalize('NFC')) }))), delimiter: '' }
}

/** The header (the first row that is not blank) and the rows under it, by field. */
function rowsOfRecords(records: { number: number; cells: string[] }[]): Omit<ParsedFile, 'delimiter'> {
	const blank = (cells: string[]) => cells.every((c) => !c)
	const headerIndex = records.findIndex((r) => !blank(r.cells))
	if (headerIndex < 0) throw new ImportFileError('staff:import.errors.empty')
	const header = records[headerIndex]!.cells
	const fields = header.map(fieldOfHeader)
	const missing = REQUIRED.filter((f) => !fields.includes(f))
	if (missing.length) throw new ImportFileError('staff:import.errors.missingColumns', { columns: missing.map((f) => HEADER_NAMES[f]).join(', ') })
	const ignoredColumns = header.filter((h, i) => !fields[i] && h).slice(0, 20)
	const rows: RawRow[] = []
	for (let index = headerIndex + 1; index < records.length; index++) {
		const { cells, number } = records[index]!
		if (blank(cells)) continue
		if (rows.length === MAX_IMPORT_ROWS) throw new ImportFileError('staff:import.errors.tooManyRows', { max: MAX_IMPORT_ROWS })
		const values: RawRow['values'] = {}
		fields.forEach((field, i) => {
			if (field && values[field] === undefined) values[field] = (cells[i] ?? '').slice(0, 200)
		})
		rows.push({ line: number, values })
	}
	if (!rows.length) throw new ImportFileError('staff:import.errors.noRows')
	return { rows, ignoredColumns }
}

/**
 * The template's example row (its name starts "Ví dụ" / "Example"): left in by mistake, it is
 * never imported and the preview says why.
 */
export function isExampleRow(values: RawRow['values']) {
	const name = simplify(values.fullName ?? '')
	return name.startsWith('vidu') || name.startsWith('example')
}

/** Checks each row on its own and against the rows above it (a phone number twice in the file). */
export function checkRows(rows: RawRow[]): CheckedRow[] {
	const firstLineOfPhone = new Map<string, number>()
	return rows.map(({ line, values }) => {
		if (isExampleRow(values)) {
			return { line, status: 'invalid', fullName: values.fullName ?? '', phone: values.phone ?? '', reasons: [{ key: 'staff:import.reasons.exampleRow' }] }
		}
		const reasons: Reason[] = []
		const result = checkRow(values, reasons)
		if (result) {
			const first = firstLineOfPhone.get(result.phone)
			if (first !== undefined) reasons.push({ key: 'staff:import.reasons.duplicateInFile', values: { line: first } })
			else firstLineOfPhone.set(result.phone, line)
		}
		if (!result || reasons.length) {
			return { line, status: 'invalid', fullName: values.fullName ?? '', phone: values.phone ?? '', reasons: dedupe(reasons) }
		}
		return { line, status: 'new', ...result }
	})
}

/** The commune, when it exists and this person may import into it; otherwise null (answer 404). */
export async function importableCommune(scope: Scope, communeCode: string) {
	return getCommuneInScope(scope, communeCode)
}

/**
 * Parses and checks an upload for a commune in the staff member's scope and stores the preview.
 * Returns null when the commune is not theirs (answer 404). Rows whose phone number belongs to a
 * resident of this commune are marked present and will not be imported; any other taken number is
 * shown as new (refused only at confirm), so the preview says nothing about people outside the commune.
 */
export async function previewImport({
	scope,
	staffId,
	communeCode,
	fileName,
	bytes,
}: {
	scope: Scope
	staffId: string
	communeCode: string
	fileName: string
	bytes: Uint8Array
}) {
	const commune = await importableCommune(scope, communeCode)
	if (!commune) return null
	const parsed = await parseResidentsFile(bytes)
	const checked = checkRows(parsed.rows)
	const phones = checked.flatMap((r) => (r.status === 'new' ? [r.phone] : []))
	const present = await residentPhonesOfCommune(prisma, phones, commune.code)
	const rows = checked.map((r): CheckedRow => (r.status === 'new' && present.has(r.phone) ? { ...r, status: 'present' } : r))
	const count = (status: CheckedRow['status']) => rows.filter((r) => r.status === status).length
	const job = await prisma.$transaction(async (tx) => {
		const { id } = await tx.importJob.create({
			data: {
				communeCode: commune.code,
				provinceCode: commune.provinceCode,
				createdById: staffId,
				fileName: fileName.replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(0, 120) || 'import.csv',
				fileHash: createHash('sha256').update(bytes).digest('hex'),
				rows: [],
				totalRows: rows.length,
				newRows: count('new'),
				presentRows: count('present'),
				invalidRows: count('invalid'),
			},
			select: { id: true },
		})
		// The rows as one JSON text: Prisma walks a Json value node by node (5× slower for 10,000 rows).
		await tx.$executeRaw`UPDATE "ImportJob" SET "rows" = ${JSON.stringify(rows)}::jsonb WHERE "id" = ${id}`
		return { id }
	})
	return { id: job.id, ignoredColumns: parsed.ignoredColumns }
}

/** An import job as its commune's staff may see it; null outside the caller's scope (404). */
export async function getImportJob({ scope, jobId }: { scope: Scope; jobId: string }) {
	let job = await prisma.importJob.findUnique({ where: { id: jobId } })
	if (!job || !canActInCommune(scope, { code: job.communeCode, provinceCode: job.provinceCode })) return null
	if (job.status === 'RUNNING' && job.startedAt && Date.now() - job.startedAt.getTime() > STALE_AFTER && !progress.has(job.id)) {
		// The server stopped mid-import: nothing was imported; let staff confirm again.
		const { count } = await prisma.importJob.updateMany({
			where: { id: job.id, status: 'RUNNING', startedAt: job.startedAt },
			data: { status: 'FAILED', error: 'staff:import.errors.interrupted', finishedAt: new Date() },
		})
		if (count) metrics.importJobs.inc({ outcome: 'interrupted' })
		job = await prisma.importJob.findUniqueOrThrow({ where: { id: job.id } })
	}
	return { ...job, rows: job.rows as unknown as CheckedRow[], progress: progress.get(job.id) ?? null }
}

/** The latest imports into the communes of the caller's scope. */
export async function listRecentImports({ scope, take = 10 }: { scope: Scope; take?: number }) {
	return prisma.importJob.findMany({
		where: inScope(scope),
		select: { id: true, communeCode: true, fileName: true, status: true, totalRows: true, newRows: true, imported: true, createdAt: true, undoneAt: true },
		orderBy: { createdAt: 'desc' },
		take,
	})
}

/**
 * What the staff member confirms with an import (ADR 018): every person listed was given the
 * notice and agreed (required), and whether they agreed to their ethnic group being kept; without
 * that, the file's ethnic groups are not stored (each person is "not stated").
 */
export interface ImportConsent {
	noticeGiven: true
	ethnicity: boolean
}

export type ConfirmResult = { status: 'not-found' } | { status: 'started' | 'already'; jobId: string }

/**
 * Confirms a previewed import and runs it in the background of this server process; the job page
 * polls its status. Confirming a job that is running or done changes nothing.
 */
export async function startImport({
	scope,
	staffId,
	jobId,
	consent,
}: {
	scope: Scope
	staffId: string
	jobId: string
	consent: ImportConsent
}): Promise<ConfirmResult> {
	const claimed = await claimImport({ scope, jobId })
	if (claimed.status === 'started') {
		void runImport(jobId, staffId, consent).catch((error) => console.error(`Import ${jobId} failed: ${(error as Error).message}`))
	}
	return claimed
}

/** Confirms and runs an import, waiting for it (tests, the benchmark). */
export async function confirmImport({ scope, staffId, jobId, consent }: { scope: Scope; staffId: string; jobId: string; consent: ImportConsent }) {
	const claimed = await claimImport({ scope, jobId })
	if (claimed.status === 'started') await runImport(jobId, staffId, consent)
	return claimed
}

// ───────────── Helpers ─────────────

/** How far each import running in this process has got; the job's status in the database is the truth. */
const progress = new Map<string, { done: number; total: number }>()

/** PREVIEW (or FAILED, to retry) → RUNNING, atomically: two confirmations never both run. */
async function claimImport({ scope, jobId }: { scope: Scope; jobId: string }): Promise<ConfirmResult> {
	const job = await getImportJob({ scope, jobId })
	if (!job) return { status: 'not-found' }
	const { count } = await prisma.importJob.updateMany({
		where: { id: job.id, status: { in: ['PREVIEW', 'FAILED'] } },
		data: { status: 'RUNNING', error: null, startedAt: new Date() },
	})
	return { status: count === 1 ? 'started' : 'already', jobId: job.id }
}

/**
 * Registers every new row of a claimed job in one transaction: counted in the rollups exactly as
 * registerResident counts one registration (same cells, same day), but per cell and batch rather
 * than per row, so 10,000 rows take seconds. A row whose phone number is taken (by anyone: registered
 * since the preview, or held outside the commune and shown as new on purpose) is not imported and is
 * marked refused, with one neutral message for every cause. A concurrent registration of one of the
 * numbers retries the whole import.
 */
async function runImport(jobId: string, staffId: string, consent: ImportConsent) {
	progress.set(jobId, { done: 0, total: 0 })
	try {
		const job = await prisma.importJob.findUniqueOrThrow({ where: { id: jobId } })
		const rows = (job.rows as unknown as CheckedRow[]).filter((r): r is Extract<CheckedRow, { status: 'new' }> => r.status === 'new')
		if (rows.length) {
			const taken = await registeredPhones(
				prisma,
				rows.map((r) => r.phone),
			)
			if (await takeAttempts(LIMITS.importTakenPerStaff, staffId, taken.size)) {
				await prisma.importJob.update({ where: { id: jobId }, data: { status: 'FAILED', error: 'staff:import.errors.tooManyTaken', finishedAt: new Date() } })
				metrics.importJobs.inc({ outcome: 'refused' })
				return 0
			}
		}
		for (let attempt = 1; ; attempt++) {
			progress.set(jobId, { done: 0, total: rows.length })
			try {
				const kept = consent.ethnicity ? rows : rows.map((r) => ({ ...r, ethnicGroup: ETHNICITY_NOT_STATED }))
				const imported = await prisma.$transaction((tx) => importRows(tx, job, kept, staffId), { timeout: TRANSACTION_TIMEOUT, maxWait: 60_000 })
				metrics.importJobs.inc({ outcome: 'done' })
				metrics.importRows.inc(imported)
				return imported
			} catch (error) {
				if (!isUniqueViolation(error) || attempt === 3) throw error
			}
		}
	} catch (error) {
		console.error(`Import ${jobId} failed: ${(error as Error).message}`)
		await prisma.importJob.update({ where: { id: jobId }, data: { status: 'FAILED', error: 'staff:import.errors.failed', finishedAt: new Date() } })
		metrics.importJobs.inc({ outcome: 'failed' })
		return 0
	} finally {
		progress.delete(jobId)
	}
}

async function importRows(
	tx: Tx,
	job: { id: string; communeCode: string; provinceCode: string; fileName: string; presentRows: number; invalidRows: number; rows: unknown },
	rows: (ResidentRow & { line: number })[],
	staffId: string,
) {
	// One import at a time: two files naming the same new phone number wait for each other
	// instead of one failing on the unique index.
	await tx.$executeRaw`SELECT pg_advisory_xact_lock(7410022)`
	const at = new Date()
	const cells = new Map<string, { cell: Parameters<typeof bumpRollups>[1]['learner']; count: number }>()
	let imported = 0
	const refused = new Set<number>()
	for (let i = 0; i < rows.length; i += BATCH) {
		const batch = rows.slice(i, i + BATCH)
		const taken = await registeredPhones(
			tx,
			batch.map((r) => r.phone),
		)
		const fresh = batch.filter((r) => !taken.has(r.phone))
		for (const r of batch) if (taken.has(r.phone)) refused.add(r.line)
		if (fresh.length) {
			await insertResidents(tx, fresh, { communeCode: job.communeCode, provinceCode: job.provinceCode, registeredById: staffId, at })
			for (const r of fresh) {
				const key = [r.sex, ageBand(r.birthYear, at), r.ethnicGroup, r.learnerGroup].join('|')
				const entry = cells.get(key)
				if (entry) entry.count++
				else cells.set(key, { cell: { ...r, communeCode: job.communeCode, provinceCode: job.provinceCode }, count: 1 })
			}
		}
		imported += fresh.length
		progress.set(job.id, { done: Math.min(i + BATCH, rows.length), total: rows.length })
	}
	for (const { cell, count } of cells.values()) await bumpRollups(tx, { learner: cell, at, metric: 'registered', by: count })
	await tx.importJob.update({ where: { id: job.id }, data: { status: 'DONE', imported, finishedAt: new Date() } })
	if (refused.size) {
		const marked = (job.rows as CheckedRow[]).map((r): CheckedRow => (r.status === 'new' && refused.has(r.line) ? { ...r, status: 'refused' } : r))
		await tx.$executeRaw`UPDATE "ImportJob" SET "rows" = ${JSON.stringify(marked)}::jsonb WHERE "id" = ${job.id}`
	}
	await recordAudit(
		{
			actorId: staffId,
			action: 'import.residents',
			communeCode: job.communeCode,
			provinceCode: job.provinceCode,
			details: { jobId: job.id, fileName: job.fileName, imported, present: job.presentRows, refused: refused.size, invalid: job.invalidRows },
		},
		tx,
	)
	return imported
}

/**
 * One INSERT per batch with a column array each (unnest): Prisma's createMany binds 13 parameters
 * per row and was 4× slower here, most of the confirm's time (docs/benchmarks.md). The columns are
 * those registerResident writes for a resident without a PIN.
 */
async function insertResidents(
	tx: Tx,
	rows: ResidentRow[],
	{ communeCode, provinceCode, registeredById, at }: { communeCode: string; provinceCode: string; registeredById: string; at: Date },
) {
	const column = <K extends keyof ResidentRow>(key: K) => rows.map((r) => r[key])
	const ids = rows.map(newId)
	await tx.$executeRaw`
		INSERT INTO "User" ("id", "phone", "fullName", "birthYear", "sex", "ethnicGroup", "learnerGroup", "village",
		                    "communeCode", "provinceCode", "registeredCommuneCode", "registeredProvinceCode", "registeredVia", "registeredById", "createdAt", "updatedAt")
		SELECT r.id, r.phone, r.full_name, r.birth_year, r.sex::"Sex", r.ethnic_group, r.learner_group::"LearnerGroup", r.village,
		       ${communeCode}, ${provinceCode}, ${communeCode}, ${provinceCode}, 'IMPORT'::"RegisteredVia", ${registeredById}, ${at}, ${at}
		FROM unnest(${ids}::text[], ${column('phone')}::text[], ${column('fullName')}::text[], ${column('birthYear')}::int[],
		            ${column('sex')}::text[], ${column('ethnicGroup')}::text[], ${column('learnerGroup')}::text[], ${column('village')}::text[])
		     AS r(id, phone, full_name, birth_year, sex, ethnic_group, learner_group, village)`
	// The consents the staff member confirmed they were given (registerResident records the same).
	const consents = rows.flatMap((r, i) =>
		consentsAtRegistration({ userId: ids[i]!, channel: 'IMPORT', givenById: registeredById, ethnicGroup: r.ethnicGroup, at }).map((c) => [
			newId(),
			c.userId,
			c.purpose,
		]),
	)
	await tx.$executeRaw`
		INSERT INTO "Consent" ("id", "userId", "purpose", "noticeVersion", "channel", "givenById", "givenAt")
		SELECT c.id, c.user_id, c.purpose::"ConsentPurpose", ${NOTICE_VERSION}, 'IMPORT'::"ConsentChannel", ${registeredById}, ${at}
		FROM unnest(${consents.map((c) => c[0])}::text[], ${consents.map((c) => c[1])}::text[], ${consents.map((c) => c[2])}::text[]) AS c(id, user_id, purpose)`
}

/** The numbers taken by anyone at all: only for deciding at confirm, never shown as such. */
async function registeredPhones(db: Tx, phones: string[]) {
	return phonesWhere(db, phones, {})
}

/** The numbers held by residents (no role) of the commune: what its staff may already see. */
async function residentPhonesOfCommune(db: Tx, phones: string[], communeCode: string) {
	return phonesWhere(db, phones, { ...RESIDENT, communeCode })
}

async function phonesWhere(db: Tx, phones: string[], where: Prisma.UserWhereInput) {
	const found = new Set<string>()
	for (let i = 0; i < phones.length; i += 5_000) {
		const users = await db.user.findMany({ where: { ...where, phone: { in: phones.slice(i, i + 5_000) } }, select: { phone: true } })
		for (const u of users) if (u.phone) found.add(u.phone)
	}
	return found
}

function decode(bytes: Uint8Array): string {
	if (bytes.byteLength >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2))
	if (bytes.byteLength >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2))
	// A zip that is no workbook, an image or any other binary file.
	if ((bytes[0] === 0x50 && bytes[1] === 0x4b) || bytes.subarray(0, 8192).includes(0)) throw new ImportFileError('staff:import.errors.notCsv')
	try {
		// fatal: a file saved in Windows-1258 or TCVN3 must not be imported as garbled names.
		return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
	} catch {
		throw new ImportFileError('staff:import.errors.notUtf8')
	}
}

/** The separator used most in the header line (Excel in a Vietnamese locale writes ';'). */
function guessDelimiter(text: string) {
	const firstLine = text.slice(0, text.search(/\r?\n|$/))
	const outside = firstLine.replace(/"[^"]*"/g, '')
	const counts = [',', ';', '\t'].map((d) => [d, outside.split(d).length - 1] as const)
	const [best] = [...counts].sort((a, b) => b[1] - a[1])
	return best![1] > 0 ? best![0] : ','
}

/** Lower case ASCII letters and digits only: "Số điện thoại (*)" → "sodienthoai". */
export function simplify(value: string) {
	return value
		.replace(/\(.*?\)/g, '')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[đĐ]/g, 'd')
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '')
}

const REQUIRED: ImportField[] = ['fullName', 'phone']
/** Named in the "missing columns" message, in the file's own language (Vietnamese). */
const HEADER_NAMES: Record<ImportField, string> = {
	fullName: 'Họ và tên',
	phone: 'Số điện thoại',
	birthYear: 'Năm sinh',
	sex: 'Giới tính',
	ethnicGroup: 'Dân tộc',
	village: 'Thôn/bản',
	learnerGroup: 'Nhóm',
}
const HEADER_ALIASES: Record<ImportField, string[]> = {
	fullName: ['hovaten', 'hoten', 'hotennguoidan', 'ten', 'fullname', 'name', 'residentname'],
	phone: ['sodienthoai', 'sdt', 'dienthoai', 'sodt', 'didong', 'sodidong', 'phone', 'phonenumber', 'mobile', 'telephone', 'tel'],
	birthYear: ['namsinh', 'ngaysinh', 'ngaythangnamsinh', 'birthyear', 'yearofbirth', 'dateofbirth', 'birthdate', 'dob', 'born'],
	sex: ['gioitinh', 'gioi', 'sex', 'gender'],
	ethnicGroup: ['dantoc', 'ethnicgroup', 'ethnicity', 'ethnic'],
	village: ['thonban', 'thon', 'ban', 'thonbantodanpho', 'thonto', 'todanpho', 'thonbanto', 'village', 'hamlet'],
	learnerGroup: ['nhom', 'nhomnguoihoc', 'doituong', 'nhomdoituong', 'learnergroup', 'group'],
}
const FIELD_OF_ALIAS = new Map(Object.entries(HEADER_ALIASES).flatMap(([field, aliases]) => aliases.map((a) => [a, field as ImportField])))

function fieldOfHeader(header: string): ImportField | undefined {
	return FIELD_OF_ALIAS.get(simplify(header))
}

const SEXES = new Map<string, 'MALE' | 'FEMALE'>([
	['nam', 'MALE'],
	['male', 'MALE'],
	['m', 'MALE'],
	['trai', 'MALE'],
	['nu', 'FEMALE'],
	['female', 'FEMALE'],
	['f', 'FEMALE'],
	['gai', 'FEMALE'],
])
const ETHNIC = new Map<string, string>([
	...ETHNIC_GROUPS.flatMap(
		([code, vi, en]) =>
			[
				[code, code],
				[String(Number(code)), code],
				[simplify(vi), code],
				[simplify(en), code],
			] as [string, string][],
	),
	...['khac', 'dantockhac', 'other'].map((k) => [k, OTHER_ETHNIC_GROUP] as [string, string]),
	...['khongmuontraloi', 'khongneu', 'khongtraloi', 'notstated', 'prefernottosay'].map((k) => [k, ETHNICITY_NOT_STATED] as [string, string]),
])
const LEARNER_GROUP_WORDS = new Map<string, ResidentRow['learnerGroup']>([
	...LEARNER_GROUPS.map((g) => [simplify(g), g] as [string, ResidentRow['learnerGroup']]),
	['nguoidan', 'RESIDENT'],
	['dan', 'RESIDENT'],
	['canbo', 'OFFICIAL'],
	['congchuc', 'OFFICIAL'],
	['vienchuc', 'OFFICIAL'],
	['canbocongchucvienchuc', 'OFFICIAL'],
	['canbocongchuc', 'OFFICIAL'],
	['officialorpublicemployee', 'OFFICIAL'],
	['hocsinh', 'STUDENT'],
	['sinhvien', 'STUDENT'],
	['hocsinhsinhvien', 'STUDENT'],
	['pupilorstudent', 'STUDENT'],
	['nguoilaodong', 'WORKER'],
	['congnhan', 'WORKER'],
	['nguoilaodongtrongdoanhnghiep', 'WORKER'],
	['congnhannguoilaodong', 'WORKER'],
	['enterpriseworker', 'WORKER'],
])

const ImportRowSchema = z.object({
	fullName: FullNameSchema,
	phone: PhoneSchema,
	birthYear: BirthYearSchema,
	sex: ProfileFields.sex,
	ethnicGroup: ProfileFields.ethnicGroup,
	learnerGroup: ProfileFields.learnerGroup,
	village: ProfileFields.village,
})

/** The same rules as the registration form, plus what spreadsheets do to values. */
function checkRow(values: RawRow['values'], reasons: Reason[]): ResidentRow | null {
	const candidate: Record<string, unknown> = {
		fullName: values.fullName || undefined,
		phone: values.phone ? phoneFromSheet(values.phone) : undefined,
		birthYear: values.birthYear ? yearFromSheet(values.birthYear) : undefined,
		sex: values.sex ? SEXES.get(simplify(values.sex)) : undefined,
		ethnicGroup: values.ethnicGroup ? ETHNIC.get(simplify(values.ethnicGroup)) : undefined,
		learnerGroup: values.learnerGroup ? LEARNER_GROUP_WORDS.get(simplify(values.learnerGroup)) : 'RESIDENT',
		village: values.village || undefined,
	}
	// A value given but not understood says so, rather than "please choose".
	if (values.sex && !candidate.sex) reasons.push({ key: 'staff:import.reasons.sexUnknown', values: { value: values.sex } })
	if (values.ethnicGroup && !candidate.ethnicGroup) reasons.push({ key: 'staff:import.reasons.ethnicGroupUnknown', values: { value: values.ethnicGroup } })
	if (values.learnerGroup && !candidate.learnerGroup) reasons.push({ key: 'staff:import.reasons.learnerGroupUnknown', values: { value: values.learnerGroup } })
	const result = ImportRowSchema.safeParse(candidate)
	if (!result.success) {
		for (const issue of result.error.issues) {
			const field = issue.path[0] as ImportField
			if ((field === 'sex' && values.sex) || (field === 'ethnicGroup' && values.ethnicGroup) || (field === 'learnerGroup' && values.learnerGroup)) continue
			// z.coerce turns a missing year into NaN, which would read as "wrong year".
			reasons.push({ key: field === 'birthYear' && !values.birthYear ? 'auth:errors.birthYearRequired' : issue.message })
		}
		return null
	}
	return { ...result.data, village: result.data.village || null }
}

/** Excel drops a leading 0 from numbers and some lists keep ="0912…" or '0912… to stop it. */
function phoneFromSheet(value: string) {
	const text = value
		.replace(/^="(.*)"$/, '$1')
		.replace(/^'/, '')
		.trim()
	const compact = text.replace(/[\s.\-()]/g, '')
	return /^[35789]\d{8}$/.test(compact) ? `0${compact}` : text
}

/** "1968", or a date of birth such as 12/03/1968 or 1968-03-12. */
function yearFromSheet(value: string) {
	const text = value.trim()
	const date = /^(?:\d{1,2}[/.-]\d{1,2}[/.-](\d{4})|(\d{4})[/.-]\d{1,2}[/.-]\d{1,2})$/.exec(text)
	return date ? (date[1] ?? date[2]) : text
}

function dedupe(reasons: Reason[]) {
	const seen = new Set<string>()
	return reasons.filter((r) => {
		const key = JSON.stringify(r)
		if (seen.has(key)) return false
		seen.add(key)
		return true
	})
}

/** At most this many slips are made and printed at once (8 per A4 page: 25 pages). */
export const SLIP_BATCH_MAX = 200

/**
 * The residents a finished import added who have no PIN yet (they have not used a slip), in the
 * file's order: whom the batch of setup slips is for. Null when the job is not the caller's.
 */
export async function importedWithoutPin({ scope, jobId }: { scope: Scope; jobId: string }) {
	const job = await getImportJob({ scope, jobId })
	if (!job) return null
	const phones = job.status === 'DONE' ? job.rows.flatMap((r) => (r.status === 'new' ? [r.phone] : [])) : []
	const people = phones.length
		? await prisma.user.findMany({
				where: { AND: [residentsInScope(scope), { phone: { in: phones }, communeCode: job.communeCode, registeredVia: 'IMPORT', credentialKind: null }] },
				select: { id: true, fullName: true, phone: true },
			})
		: []
	const order = new Map(phones.map((p, i) => [p, i]))
	return { job, people: people.sort((a, b) => order.get(a.phone ?? '')! - order.get(b.phone ?? '')!) }
}

/** Why a resident an import added is kept when the import is undone. */
export type KeptReason = 'learning' | 'signedIn' | 'corrected' | 'role'
export interface ImportedResident {
	id: string
	fullName: string
	phone: string
	/** Null: has done nothing yet, and is removed by an undo. */
	kept: KeptReason | null
}

/**
 * The residents a finished import added that are still there, each with what an undo would do to
 * them (`kept` null: removed). Read under `FOR UPDATE` inside `undoImport`, so what is decided is
 * what is done. Someone erased since has no phone and is not listed: their row stays for the counts.
 */
async function residentsOfImport(
	db: Tx,
	job: { id: string; communeCode: string; createdById: string; startedAt: Date | null; finishedAt: Date | null; rows: unknown },
	{ lock = false } = {},
): Promise<ImportedResident[]> {
	const phones = (job.rows as CheckedRow[]).flatMap((r) => (r.status === 'new' ? [r.phone] : []))
	if (!phones.length || !job.startedAt || !job.finishedAt) return []
	const found = await db.$queryRaw<{ id: string; fullName: string; phone: string; role: boolean; learning: boolean; signedIn: boolean; corrected: boolean }[]>`
		SELECT u.id, u."fullName", u.phone,
			EXISTS (SELECT 1 FROM "RoleAssignment" r WHERE r."userId" = u.id) AS role,
			(EXISTS (SELECT 1 FROM "Enrolment" e WHERE e."userId" = u.id) OR EXISTS (SELECT 1 FROM "LessonProgress" p WHERE p."userId" = u.id)
			 OR EXISTS (SELECT 1 FROM "QuizAttempt" q WHERE q."userId" = u.id) OR EXISTS (SELECT 1 FROM "Certificate" c WHERE c."userId" = u.id)
			 OR EXISTS (SELECT 1 FROM "ClassAttendance" a WHERE a."userId" = u.id) OR EXISTS (SELECT 1 FROM "ActivePeriod" ap WHERE ap."userId" = u.id)
			 OR EXISTS (SELECT 1 FROM "ClientEvent" ce WHERE ce."userId" = u.id)) AS learning,
			(u."credentialKind" IS NOT NULL OR u."vneidSubject" IS NOT NULL) AS "signedIn",
			-- Corrected since (a profile change, a move): the registration's cell is no longer its row's.
			-- The audit entry says so however soon after the import it came; updatedAt catches other changes.
			(EXISTS (SELECT 1 FROM "AuditLog" al WHERE al."targetUserId" = u.id AND al.action = 'resident.update')
			 OR u."updatedAt" > u."createdAt" + interval '1 second') AS corrected
		FROM "User" u
		WHERE u.phone = ANY(${phones}::text[]) AND u."registeredVia" = 'IMPORT' AND u."registeredCommuneCode" = ${job.communeCode}
			AND u."registeredById" = ${job.createdById} AND u."createdAt" BETWEEN ${job.startedAt} AND ${job.finishedAt} AND u."erasedAt" IS NULL
		ORDER BY u.id
		${lock ? Prisma.sql`FOR UPDATE OF u` : Prisma.empty}`
	const order = new Map(phones.map((p, i) => [p, i]))
	return found
		.map((u) => ({
			id: u.id,
			fullName: u.fullName,
			phone: u.phone,
			kept: u.role ? 'role' : u.learning ? 'learning' : u.signedIn ? 'signedIn' : u.corrected ? 'corrected' : null,
		}))
		.sort((a, b) => order.get(a.phone)! - order.get(b.phone)!) as ImportedResident[]
}

/** What undoing a finished import would do now (the confirm step shows it); null when the job is not the caller's. */
export async function importUndoPlan({ scope, jobId }: { scope: Scope; jobId: string }) {
	const job = await getImportJob({ scope, jobId })
	if (!job) return null
	const residents = job.status === 'DONE' ? await residentsOfImport(prisma, job) : []
	return { job, removable: residents.filter((r) => !r.kept), kept: residents.filter((r) => r.kept) }
}

export type UndoResult = { status: 'not-found' | 'not-done' | 'already' } | { status: 'undone'; removed: number; kept: ImportedResident[] }

/**
 * Undoes a finished import, once (ADR 031): the residents it added who have done nothing yet
 * (no learning, no PIN, no correction, no role) are deleted and their registration taken out of the
 * figures, in the commune, day and demographic cell it was counted in, in the same transaction; everyone
 * else is kept and listed. Their rows are locked first, like every learning write locks its learner, so
 * nobody starts learning while being removed. Audited as `import.undo`.
 */
export async function undoImport({
	scope,
	staffId,
	jobId,
	now = new Date(),
}: {
	scope: Scope
	staffId: string
	jobId: string
	now?: Date
}): Promise<UndoResult> {
	const job = await getImportJob({ scope, jobId })
	if (!job) return { status: 'not-found' }
	if (job.status !== 'DONE') return { status: 'not-done' }
	return prisma.$transaction(
		async (tx) => {
			const { count } = await tx.importJob.updateMany({ where: { id: job.id, status: 'DONE', undoneAt: null }, data: { undoneAt: now, undoneById: staffId } })
			if (count !== 1) return { status: 'already' } as const
			const residents = await residentsOfImport(tx, job, { lock: true })
			const removable = residents.filter((r) => !r.kept)
			const kept = residents.filter((r) => r.kept)
			const rollups = new Rollups()
			if (removable.length) {
				const rows = await tx.$queryRaw<(LearnerCell & { createdAt: Date })[]>`
					SELECT "registeredCommuneCode" AS "communeCode", "registeredProvinceCode" AS "provinceCode", sex::text AS sex, "birthYear", "ethnicGroup",
						"learnerGroup"::text AS "learnerGroup", "createdAt"
					FROM "User" WHERE id = ANY(${removable.map((r) => r.id)}::text[])`
				for (const { createdAt, ...learner } of rows) rollups.add({ learner: { ...learner, counted: true }, at: createdAt, metric: 'registered', by: -1 })
				await tx.$executeRaw`DELETE FROM "User" WHERE id = ANY(${removable.map((r) => r.id)}::text[])`
			}
			await tx.importJob.update({ where: { id: job.id }, data: { removed: removable.length } })
			await recordAudit(
				{
					actorId: staffId,
					action: 'import.undo',
					communeCode: job.communeCode,
					provinceCode: job.provinceCode,
					details: {
						jobId: job.id,
						fileName: job.fileName,
						removed: removable.length,
						kept: kept.length,
						keptBecause: Object.fromEntries(KEPT_REASONS.map((k) => [k, kept.filter((r) => r.kept === k).length])),
					},
				},
				tx,
			)
			await rollups.flush(viaPrisma(tx))
			return { status: 'undone', removed: removable.length, kept } as const
		},
		{ timeout: TRANSACTION_TIMEOUT, maxWait: 60_000 },
	)
}

const KEPT_REASONS: KeptReason[] = ['learning', 'signedIn', 'corrected', 'role']
