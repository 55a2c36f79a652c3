import { type Scope } from '#app/kernel/scope.ts'
import { type ListKind, recordAccess, recordImportPreview, recordView, type SearchFilter } from '#app/modules/audit/access-log.server.ts'
import { getCommuneInScope } from '#app/modules/units/units.server.ts'

/**
 * The workspace's side of the access log (ADR 019): every page that shows staff residents' records
 * records it here, one statement each. `where` is the commune (and province) the list is about, so
 * the province's audit viewer finds it: the commune filtered on, else the caller's one commune or
 * one province; a list over several provinces (an administrator's) is kept under none.
 */
export async function recordResidentList({
	actorId,
	scope,
	list,
	communeCode,
	filter = {},
	residentIds,
	offset = 0,
}: {
	actorId: string
	scope: Scope
	list: ListKind
	communeCode?: string | null
	filter?: SearchFilter
	residentIds: string[]
	offset?: number
}) {
	const where = await whereOf(scope, communeCode)
	const recorded = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== ''))
	await recordAccess({ actorId, action: 'resident.search', where, details: { list, ...recorded }, residentIds, offset })
}

export { recordView as recordResidentView }

/**
 * A page of an import file's rows was shown (ADR 028): recorded for every registered person whose
 * phone is on it, under the import's commune, with the job, which rows and which page.
 */
export async function recordImportRows({
	actorId,
	job,
	show,
	page,
	phones,
	offset,
}: {
	actorId: string
	job: { id: string; communeCode: string; provinceCode: string }
	show: string
	page: number
	phones: string[]
	offset: number
}) {
	await recordImportPreview({
		actorId,
		where: { communeCode: job.communeCode, provinceCode: job.provinceCode },
		details: { job: job.id, show, page },
		phones,
		offset,
	})
}

async function whereOf(scope: Scope, communeCode: string | null | undefined) {
	const code = communeCode || (!scope.admin && !scope.provinceCodes.length && scope.communeCodes.length === 1 ? scope.communeCodes[0] : undefined)
	const commune = code ? await getCommuneInScope(scope, code) : null
	if (commune) return { communeCode: commune.code, provinceCode: commune.provinceCode }
	if (!scope.admin && scope.provinceCodes.length === 1 && !scope.communeCodes.length) return { communeCode: null, provinceCode: scope.provinceCodes[0]! }
	const provinces = new Set(
		scope.admin ? [] : (await Promise.all(scope.communeCodes.map((c) => getCommuneInScope(scope, c)))).map((c) => c?.provinceCode).concat(scope.provinceCodes),
	)
	return { communeCode: null, provinceCode: provinces.size === 1 ? [...provinces][0]! : null }
}
