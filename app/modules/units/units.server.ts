import { type Lng } from '#app/utils/i18n.ts'
import { prisma } from '#app/utils/db.server.ts'
import { env } from '#app/utils/env.server.ts'

// Reference data changes only with a migration: read it once per process.
let cache: Promise<{ provinces: UnitRow[]; communesByProvince: Map<string, UnitRow[]> }> | undefined

interface UnitRow {
	code: string
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
		return { provinces, communesByProvince }
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
	return (communesByProvince.get(provinceCode) ?? [])
		.filter((c) => !only || only(c.code))
		.map((c) => ({ value: c.code, label: label(c, lng) }))
}

export async function isProvinceCode(code: string) {
	const { provinces } = await load()
	return provinces.some((p) => p.code === code)
}

export async function communeName(code: string | null | undefined, lng: Lng) {
	if (!code) return ''
	const { communesByProvince } = await load()
	for (const list of communesByProvince.values()) {
		const c = list.find((x) => x.code === code)
		if (c) return label(c, lng)
	}
	return ''
}

export const DEFAULT_PROVINCE = env.DEFAULT_PROVINCE
