import type { Prisma } from '#app/generated/prisma/client.ts'

/**
 * Who may see what, as data (STYLE.md): the domain queries put these `where` builders in their
 * queries, so a route can never show more than the scope allows and never writes its own scope rule.
 * Pure: no database, safe in the browser.
 */
export interface Scope {
	admin: boolean
	/** Provinces whose every commune this person may see (province officers). */
	provinceCodes: string[]
	/** Individual communes (commune staff). */
	communeCodes: string[]
	/**
	 * Provinces whose residents list (names, phones) this officer may download: granted by an
	 * administrator (RoleAssignment.personalDataExport). Absent: none.
	 */
	personalDataProvinceCodes?: string[]
}

export type Role = 'COMMUNE_STAFF' | 'PROVINCE_OFFICER' | 'ADMIN'

export interface RoleRow {
	role: Role
	communeCode: string | null
	provinceCode: string | null
	personalDataExport?: boolean
}

export interface CommuneRef {
	code: string
	provinceCode: string
}

export const NO_SCOPE: Scope = { admin: false, provinceCodes: [], communeCodes: [] }

export function scopeFromRoles(roles: RoleRow[]): Scope {
	return {
		admin: roles.some((r) => r.role === 'ADMIN'),
		provinceCodes: roles.filter((r) => r.role === 'PROVINCE_OFFICER' && r.provinceCode).map((r) => r.provinceCode!),
		communeCodes: roles.filter((r) => r.role === 'COMMUNE_STAFF' && r.communeCode).map((r) => r.communeCode!),
		personalDataProvinceCodes: roles.filter((r) => r.role === 'PROVINCE_OFFICER' && r.personalDataExport && r.provinceCode).map((r) => r.provinceCode!),
	}
}

/**
 * May this person see the personal data of this commune's residents — the residents list and its
 * download (names, phones), a resident's page, a class's attendees, the import of a residents file?
 * Its commune staff, who hold the residents; a province officer only with the administrator's
 * explicit, audited permission for that province. Administrators and other officers get aggregates
 * (issue #16, Decree 13/2023 minimisation).
 */
export function canSeePersonalData(scope: Scope, commune: CommuneRef) {
	return scope.communeCodes.includes(commune.code) || (scope.personalDataProvinceCodes ?? []).includes(commune.provinceCode)
}
/** The same rule, by its first use (the residents download). */
export const canExportPersonalData = canSeePersonalData

/** The part of a scope whose residents' personal data the person may see (`canSeePersonalData`). */
export function personalDataScope(scope: Scope): Scope {
	return { admin: false, provinceCodes: scope.personalDataProvinceCodes ?? [], communeCodes: scope.communeCodes }
}

/** Holds any role: commune staff, province officer or administrator. */
export function isStaff(scope: Scope) {
	return scope.admin || scope.provinceCodes.length > 0 || scope.communeCodes.length > 0
}

/** Administrators: every province, and the only ones who manage officers and staff secrets. */
export function isAdmin(scope: Scope) {
	return scope.admin
}

/** Province officer or administrator. */
/**
 * Is this person commune staff of the commune itself (not an officer or administrator who sees it
 * from above)? They call residents: the workspace shows them full phone numbers (issue #20).
 */
export function isCommuneStaffOf(scope: Scope, communeCode: string) {
	return scope.communeCodes.includes(communeCode)
}

/** Where a person lands after signing in: their workspace if they hold a role, else their learning. */
export function homeFor(scope: Scope): '/province' | '/staff' | '/me' {
	if (isProvinceLevel(scope)) return '/province'
	if (isStaff(scope)) return '/staff'
	return '/me'
}

export function isProvinceLevel(scope: Scope) {
	return scope.admin || scope.provinceCodes.length > 0
}

/** May this person see and help residents of this commune? */
export function canActInCommune(scope: Scope, commune: CommuneRef) {
	return scope.admin || scope.provinceCodes.includes(commune.provinceCode) || scope.communeCodes.includes(commune.code)
}

/** May this person act for a whole province (province officers of it and administrators)? */
export function canActInProvince(scope: Scope, provinceCode: string) {
	return scope.admin || scope.provinceCodes.includes(provinceCode)
}

/** The subset of these province codes this person acts for at province level. */
export function provincesInScope<T extends string>(scope: Scope, provinceCodes: readonly T[]): T[] {
	return scope.admin ? [...provinceCodes] : provinceCodes.filter((p) => scope.provinceCodes.includes(p))
}

/** The communes of one province this person may pick: every one at province level, else their own. */
export function communeFilter(scope: Scope, provinceCode: string): ((communeCode: string) => boolean) | undefined {
	return canActInProvince(scope, provinceCode) ? undefined : (code) => scope.communeCodes.includes(code)
}

// ---- `where` builders ---------------------------------------------------------------------------

/** A scope with neither provinces nor communes matches nothing. */
const NOTHING = { id: { in: [] as string[] } }

/**
 * Rows of any table keyed by `communeCode` + `provinceCode` (users, import jobs, classes, certificates)
 * that lie in this scope.
 */
export function inScope(scope: Scope): { OR?: ({ provinceCode: { in: string[] } } | { communeCode: { in: string[] } })[] } & Partial<typeof NOTHING> {
	if (scope.admin) return {}
	if (!scope.provinceCodes.length && !scope.communeCodes.length) return NOTHING
	return {
		OR: [
			...(scope.provinceCodes.length ? [{ provinceCode: { in: scope.provinceCodes } }] : []),
			...(scope.communeCodes.length ? [{ communeCode: { in: scope.communeCodes } }] : []),
		],
	}
}

/** Rows keyed by `provinceCode` alone (API tokens, population figures) that this person acts for. */
export function provinceRowsInScope(scope: Scope): { provinceCode?: { in: string[] } } {
	return scope.admin ? {} : { provinceCode: { in: scope.provinceCodes } }
}

/** The communes this person may act in, as a `where` on Commune. */
export function communesInScope(scope: Scope): Prisma.CommuneWhereInput {
	if (scope.admin) return {}
	return { OR: [{ provinceCode: { in: scope.provinceCodes } }, { code: { in: scope.communeCodes } }] }
}

/**
 * Residents — people who hold no role — in this scope. Every query of the commune workspace about
 * people uses it: scope by commune alone let commune staff reach the administrator's account.
 */
export function residentsInScope(scope: Scope): Prisma.UserWhereInput {
	return { AND: [inScope(scope), RESIDENT, NOT_ERASED] }
}

/** A resident is a person who holds no role (docs/indicators.md). */
export const RESIDENT: Prisma.UserWhereInput = { roles: { none: {} } }

/**
 * A person whose data was erased (ADR 020) keeps an empty row so counts add up; no staff page,
 * search, list or export shows it. Reports count it through the rollups, never through this filter.
 */
export const NOT_ERASED: Prisma.UserWhereInput = { erasedAt: null }

/** The one commune of a staff member who holds exactly one and no province: pages need not ask which. */
export function soleCommune(scope: Scope): string | undefined {
	return !scope.admin && scope.communeCodes.length === 1 && !scope.provinceCodes.length ? scope.communeCodes[0] : undefined
}
