import { DomainError } from '#app/kernel/errors.ts'
import { parse } from 'csv-parse/sync'
import { z } from 'zod'
import { prisma, reportingDb } from '#app/utils/db.server.ts'
import { freeText } from '#app/utils/input.ts'
import { isoDay, parseCount, parseDecimal } from '#app/kernel/format.ts'
import { type Scope, canActInProvince } from '#app/kernel/scope.ts'
import { recordAudit } from '../audit/audit.server.ts'
import { TARGET_INDICATORS } from './indicators.server.ts'

/**
 * Denominators (adult population per commune, with source and date) and yearly targets per
 * indicator and commune, entered one by one or imported from CSV by province officers.
 * An import is all or nothing: one bad row rejects the file with every problem listed.
 */
export class DenominatorError extends DomainError {
	constructor(
		key: string,
		readonly problems: { line: number; field: string; key: string }[] = [],
	) {
		super(key)
	}
}

const year = z.coerce
	.number({ message: 'province:population.errors.year' })
	.int('province:population.errors.year')
	.min(2024, 'province:population.errors.year')
	.max(2040, 'province:population.errors.year')

export const PopulationSchema = z.object({
	communeCode: z
		.string({ message: 'province:population.errors.commune' })
		.trim()
		.regex(/^\d{5}$/, 'province:population.errors.commune'),
	adultPopulation: countField({ message: 'province:population.errors.adults', min: 1, max: 2_000_000 }),
	source: freeText({
		min: 3,
		max: 200,
		punctuation: ".,-'/():",
		messages: {
			tooShort: 'province:population.errors.source',
			tooLong: 'province:population.errors.source',
			invalid: 'province:population.errors.sourceInvalid',
		},
	}),
	asOf: z
		.string({ message: 'province:population.errors.asOf' })
		.trim()
		.transform((d) => isoDay(d) ?? d)
		.pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'province:population.errors.asOf'))
		.refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && d >= '2019-01-01' && d <= '2040-12-31', 'province:population.errors.asOf'),
})
export type PopulationInput = z.infer<typeof PopulationSchema>

export const TargetSchema = z
	.object({
		communeCode: z
			.string({ message: 'province:population.errors.commune' })
			.trim()
			.regex(/^(\d{5}|all)$/, 'province:population.errors.commune'),
		indicator: z.enum(TARGET_INDICATORS, { message: 'province:population.errors.indicator' }),
		year,
		// Read once the indicator is known: a coverage target is a % that may have decimals (40,5), the others count people (18.500).
		value: z.union([z.string(), z.number()], { message: 'common:numbers.count.empty' }),
	})
	.transform((t, ctx) => {
		const parsed = t.indicator === 'coverage' ? parseDecimal(t.value) : parseCount(t.value)
		const fail = (message: string) => {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message, path: ['value'] })
			return z.NEVER
		}
		if (!parsed.ok) return fail(`common:numbers.${t.indicator === 'coverage' ? 'decimal' : 'count'}.${parsed.problem}`)
		if (parsed.value > 10_000_000) return fail('province:population.errors.value')
		if (t.indicator === 'coverage' && parsed.value > 100) return fail('province:population.errors.percent')
		return { ...t, value: parsed.value }
	})
export type TargetInput = z.infer<typeof TargetSchema>

/**
 * A count of people typed in a form or a CSV cell: `18500`, `18.500` or `18 500` (app/kernel/format.ts);
 * ambiguous or partial numbers (`18,5`, `1.23`) are refused with their own message, never guessed.
 */
function countField({ message, min, max }: { message: string; min: number; max: number }) {
	return z.union([z.string(), z.number()], { message: 'common:numbers.count.empty' }).transform((raw, ctx) => {
		const parsed = parseCount(raw)
		if (!parsed.ok) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: `common:numbers.count.${parsed.problem}` })
			return z.NEVER
		}
		if (parsed.value < min || parsed.value > max) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message })
			return z.NEVER
		}
		return parsed.value
	})
}

async function communesOfProvince(provinceCode: string) {
	const rows = await prisma.commune.findMany({ where: { provinceCode }, select: { code: true } })
	return new Set(rows.map((r) => r.code))
}

function requireProvince(scope: Scope, provinceCode: string) {
	if (!canActInProvince(scope, provinceCode)) throw new DenominatorError('province:population.errors.province')
}

export async function setPopulations({ scope, actorId, provinceCode, rows }: { scope: Scope; actorId: string; provinceCode: string; rows: PopulationInput[] }) {
	requireProvince(scope, provinceCode)
	const communes = await communesOfProvince(provinceCode)
	const problems = rows.flatMap((r, i) =>
		communes.has(r.communeCode) ? [] : [{ line: i + 2, field: 'communeCode', key: 'province:population.errors.commune' }],
	)
	if (problems.length) throw new DenominatorError('province:population.errors.file', problems)
	await prisma.$transaction(async (tx) => {
		for (const r of rows) {
			const asOf = new Date(`${r.asOf}T00:00:00Z`)
			await tx.communePopulation.upsert({
				where: { communeCode_asOf: { communeCode: r.communeCode, asOf } },
				create: { communeCode: r.communeCode, provinceCode, adultPopulation: r.adultPopulation, source: r.source, asOf, enteredById: actorId },
				update: { adultPopulation: r.adultPopulation, source: r.source, enteredById: actorId },
			})
		}
		await recordAudit(
			{ actorId, action: 'population.set', provinceCode, details: { rows: rows.length, communes: rows.slice(0, 20).map((r) => r.communeCode) } },
			tx,
		)
	})
	return rows.length
}

export async function setTargets({ scope, actorId, provinceCode, rows }: { scope: Scope; actorId: string; provinceCode: string; rows: TargetInput[] }) {
	requireProvince(scope, provinceCode)
	const communes = await communesOfProvince(provinceCode)
	const problems = rows.flatMap((r, i) =>
		r.communeCode === 'all' || communes.has(r.communeCode) ? [] : [{ line: i + 2, field: 'communeCode', key: 'province:population.errors.commune' }],
	)
	if (problems.length) throw new DenominatorError('province:population.errors.file', problems)
	// "all" sets the same target for every commune of the province.
	const expanded = rows.flatMap((r) => (r.communeCode === 'all' ? [...communes].map((c) => ({ ...r, communeCode: c })) : [r]))
	await prisma.$transaction(async (tx) => {
		for (const r of expanded) {
			await tx.target.upsert({
				where: { communeCode_indicator_year: { communeCode: r.communeCode, indicator: r.indicator, year: r.year } },
				create: { provinceCode, communeCode: r.communeCode, indicator: r.indicator, year: r.year, value: r.value, setById: actorId },
				update: { value: r.value, setById: actorId },
			})
		}
		await recordAudit(
			{ actorId, action: 'target.set', provinceCode, details: { rows: expanded.length, indicators: [...new Set(rows.map((r) => r.indicator))] } },
			tx,
		)
	})
	return expanded.length
}

const HEADERS: Record<string, string> = {
	ma_xa: 'communeCode',
	'mã xã': 'communeCode',
	commune_code: 'communeCode',
	communecode: 'communeCode',
	dan_so: 'adultPopulation',
	'dân số': 'adultPopulation',
	'dân số từ 15 tuổi': 'adultPopulation',
	adult_population: 'adultPopulation',
	adults: 'adultPopulation',
	nguon: 'source',
	nguồn: 'source',
	source: 'source',
	ngay: 'asOf',
	ngày: 'asOf',
	'ngày số liệu': 'asOf',
	as_of: 'asOf',
	asof: 'asOf',
	chi_so: 'indicator',
	'chỉ số': 'indicator',
	indicator: 'indicator',
	nam: 'year',
	năm: 'year',
	year: 'year',
	chi_tieu: 'value',
	'chỉ tiêu': 'value',
	value: 'value',
	target: 'value',
}

/** Reads a small CSV (UTF-8, BOM or not, comma or semicolon) into objects keyed by our field names. */
export function readCsv(text: string): Record<string, string>[] {
	const clean = text.replace(/^\uFEFF/, '')
	// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses (a binary file, not a CSV)
	if (clean.includes('\uFFFD') || /[\x00-\x08]/.test(clean)) throw new DenominatorError('province:population.errors.encoding')
	const firstLine = clean.split(/\r?\n/, 1)[0] ?? ''
	const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ','
	let records: string[][]
	try {
		records = parse(clean, { delimiter, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][]
	} catch {
		throw new DenominatorError('province:population.errors.csv')
	}
	const [header, ...rows] = records
	if (!header || !rows.length) throw new DenominatorError('province:population.errors.empty')
	if (rows.length > 5000) throw new DenominatorError('province:population.errors.tooMany')
	const keys = header.map((h) => HEADERS[h.toLowerCase().normalize('NFC')] ?? null)
	return rows.map((r) => Object.fromEntries(keys.flatMap((k, i) => (k ? [[k, r[i] ?? '']] : []))))
}

/** Validates every row; throws one error listing each problem with its line number (the header is line 1). */
export function validateRows<S extends z.ZodTypeAny>(schema: S, rows: Record<string, string>[]): z.infer<S>[] {
	const problems: { line: number; field: string; key: string }[] = []
	const out: z.infer<S>[] = []
	rows.forEach((row, i) => {
		const parsed = schema.safeParse(row)
		if (parsed.success) out.push(parsed.data)
		else for (const issue of parsed.error.issues) problems.push({ line: i + 2, field: String(issue.path[0] ?? ''), key: issue.message })
	})
	if (problems.length) throw new DenominatorError('province:population.errors.file', problems.slice(0, 50))
	return out
}

/** What the population page shows: every commune with its latest figure and the year's targets. */
export async function getDenominators(provinceCode: string, targetYear: number) {
	const [populations, targets] = await Promise.all([
		reportingDb.communePopulation.findMany({ where: { provinceCode }, orderBy: [{ communeCode: 'asc' }, { asOf: 'desc' }] }),
		reportingDb.target.findMany({ where: { provinceCode, year: targetYear } }),
	])
	const latest = new Map<string, { adults: number; source: string; asOf: string }>()
	for (const p of populations)
		if (!latest.has(p.communeCode)) latest.set(p.communeCode, { adults: p.adultPopulation, source: p.source, asOf: p.asOf.toISOString().slice(0, 10) })
	const byCommune = new Map<string, Record<string, number>>()
	for (const t of targets) byCommune.set(t.communeCode, { ...byCommune.get(t.communeCode), [t.indicator]: t.value })
	return { latest, targets: byCommune }
}
