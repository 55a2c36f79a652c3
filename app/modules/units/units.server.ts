import { canActInCommune, canActInProvince, communeFilter, type CommuneRef, type Scope } from '#app/kernel/scope.ts'
import { prisma } from '#app/utils/db.server.ts'
import { type Lng } from '#app/utils/i18n.ts'
import { env } from '#app/utils/env.server.ts'

// Reference data changes only with a migration: read it once per process.
let cache:
	| Promise<{ provinces: UnitRow[]; communesByProvince: Map<string, UnitRow[]>; communeByCode: Map<string, UnitRow & { provinceCode: string }> }>
	| undefined

interface UnitRow {
	code: string
	provinceCode?: string
	name: string
	fullName: string
	nameEn: string
	fullNameEn: string
}

function load() {
	cache ??= (async () => {
		const [provinces, communes] = await Promise.all([
			prisma.province.findMany({ select: { code: true, name: true, fullName: true, nameEn: true, fullNameEn: true } }),
			prisma.commune.findMany({ select: { code: true, name: true, fullName: true, nameEn: true, fullNameEn: true, provinceCode: true } }),
		])
		const collator = new Intl.Collator('vi')
		provinces.sort((a, b) => collator.compare(a.name, b.name))
		const communesByProvince = new Map<string, UnitRow[]>()
		for (const c of communes.sort((a, b) => collator.compare(a.name, b.name))) {
			const list = communesByProvince.get(c.provinceCode) ?? []
			list.push(c)
			communesByProvince.set(c.provinceCode, list)
		}
		// Looked up by code on every workspace request: a map, not a walk over 3,321 communes.
		const communeByCode = new Map(communes.map((c) => [c.code, c]))
		return { provinces, communesByProvince, communeByCode }
	})()
	return cache
}

export interface UnitOption {
	value: string
	label: string
}

const label = (u: UnitRow, lng: Lng) => (lng === 'vi' ? u.fullName : u.fullNameEn)

export async function listProvinces(lng: Lng): Promise<UnitOption[]> {
	const { provinces } = await load()
	return provinces.map((p) => ({ value: p.code, label: label(p, lng) }))
}

/** Communes of a province, or [] for an unknown code. `only` restricts to a staff member's scope. */
export async function listCommunes(provinceCode: string, lng: Lng, only?: (code: string) => boolean): Promise<UnitOption[]> {
	const { communesByProvince } = await load()
	return (communesByProvince.get(provinceCode) ?? []).filter((c) => !only || only(c.code)).map((c) => ({ value: c.code, label: label(c, lng) }))
}

export async function isProvinceCode(code: string) {
	const { provinces } = await load()
	return provinces.some((p) => p.code === code)
}

export async function communeName(code: string | null | undefined, lng: Lng) {
	if (!code) return ''
	const c = (await load()).communeByCode.get(code)
	return c ? label(c, lng) : ''
}

/** A province's full name in `lng`, or '' for an unknown code. */
export async function provinceName(code: string | null | undefined, lng: Lng) {
	const p = code ? (await load()).provinces.find((x) => x.code === code) : undefined
	return p ? label(p, lng) : ''
}

export const DEFAULT_PROVINCE = env.DEFAULT_PROVINCE

// ───────────── Units in a person's scope: the one place routes get them from ─────────────

/** The commune with this code if it exists and this person may act in it; null otherwise (answer 404). */
export async function getCommuneInScope(scope: Scope, communeCode: string | null | undefined): Promise<CommuneRef | null> {
	if (!communeCode || !/^\d{5}$/.test(communeCode)) return null
	const found = (await load()).communeByCode.get(communeCode)
	if (!found) return null
	const commune = { code: found.code, provinceCode: found.provinceCode }
	return canActInCommune(scope, commune) ? commune : null
}

/** Provinces this person acts for at province level (officers: theirs; administrators: all). */
export async function listProvincesInScope(scope: Scope, lng: Lng) {
	return (await listProvinces(lng)).filter((p) => canActInProvince(scope, p.value))
}

/** Provinces whose communes this person may pick from: province-level scope plus their communes' provinces. */
export async function listProvincesTouched(scope: Scope, lng: Lng) {
	const { communeByCode } = await load()
	const own = new Set(scope.communeCodes.map((code) => communeByCode.get(code)?.provinceCode))
	return (await listProvinces(lng)).filter((p) => canActInProvince(scope, p.value) || own.has(p.value))
}

/** The communes of one province this person may pick (all of them at province level, else their own). */
export async function listCommunesInScope(scope: Scope, provinceCode: string, lng: Lng) {
	return listCommunes(provinceCode, lng, communeFilter(scope, provinceCode))
}

/** Every commune this person may act in, as options; null for an administrator (every commune: they type a code). */
export async function listAllCommunesInScope(scope: Scope, lng: Lng): Promise<UnitOption[] | null> {
	if (scope.admin) return null
	const { communesByProvince } = await load()
	const seen = new Set<string>()
	const out: UnitOption[] = []
	for (const [provinceCode, list] of communesByProvince) {
		for (const c of list) {
			if (seen.has(c.code) || !canActInCommune(scope, { code: c.code, provinceCode })) continue
			seen.add(c.code)
			out.push({ value: c.code, label: label(c, lng) })
		}
	}
	return out
}

/**
 * The province and commune choices of a registration form: the wanted province when this person may
 * pick from it, else their first province, else their home province; and its communes they may pick.
 */
export async function communePicker(scope: Scope, lng: Lng, { wanted, home }: { wanted?: string; home?: string | null }) {
	const provinces = await listProvincesTouched(scope, lng)
	const has = (code: string | null | undefined) => (code && provinces.some((p) => p.value === code) ? code : undefined)
	const province = has(wanted) ?? has(scope.provinceCodes[0]) ?? has(home) ?? provinces[0]?.value ?? DEFAULT_PROVINCE
	return { provinces, communes: await listCommunesInScope(scope, province, lng), province }
}
