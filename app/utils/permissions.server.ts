import { type Prisma } from '#app/generated/prisma/client.ts'

/**
 * What a signed-in person may see, as data: the domain queries put it in their `where`, so a
 * route can never show more than the scope allows (STYLE.md).
 */
export interface Scope {
	admin: boolean
	/** Provinces whose every commune this person may see (province officers). */
	provinceCodes: string[]
	/** Individual communes (commune staff). */
	communeCodes: string[]
}

export interface RoleRow {
	role: 'COMMUNE_STAFF' | 'PROVINCE_OFFICER' | 'ADMIN'
	communeCode: string | null
	provinceCode: string | null
}

export function scopeFromRoles(roles: RoleRow[]): Scope {
	return {
		admin: roles.some((r) => r.role === 'ADMIN'),
		provinceCodes: roles.filter((r) => r.role === 'PROVINCE_OFFICER' && r.provinceCode).map((r) => r.provinceCode!),
		communeCodes: roles.filter((r) => r.role === 'COMMUNE_STAFF' && r.communeCode).map((r) => r.communeCode!),
	}
}

export function isStaff(scope: Scope) {
	return scope.admin || scope.provinceCodes.length > 0 || scope.communeCodes.length > 0
}

export function isProvinceLevel(scope: Scope) {
	return scope.admin || scope.provinceCodes.length > 0
}

/** May this person see and help residents of this commune? */
export function canActInCommune(scope: Scope, commune: { code: string; provinceCode: string }) {
	return scope.admin || scope.provinceCodes.includes(commune.provinceCode) || scope.communeCodes.includes(commune.code)
}

export function canActInProvince(scope: Scope, provinceCode: string) {
	return scope.admin || scope.provinceCodes.includes(provinceCode)
}

/** The `where` that restricts any query on users to this scope. */
export function residentsInScope(scope: Scope): Prisma.UserWhereInput {
	if (scope.admin) return {}
	return {
		OR: [
			...(scope.provinceCodes.length ? [{ provinceCode: { in: scope.provinceCodes } }] : []),
			...(scope.communeCodes.length ? [{ communeCode: { in: scope.communeCodes } }] : []),
		],
		// A scope with neither matches nobody.
		...(scope.provinceCodes.length || scope.communeCodes.length ? {} : { id: { in: [] } }),
	}
}

/** The communes this person may act in, as a `where` on Commune. */
export function communesInScope(scope: Scope): Prisma.CommuneWhereInput {
	if (scope.admin) return {}
	return {
		OR: [{ provinceCode: { in: scope.provinceCodes } }, { code: { in: scope.communeCodes } }],
	}
}
