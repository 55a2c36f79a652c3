import { getResidentInScope } from '#app/modules/people/residents.server.ts'
import { notFound, requirePersonalData, type SessionUser } from '#app/utils/auth.server.ts'

/**
 * The one gate of every staff page that opens a resident's record (their page, correction, erasure,
 * reset): a resident in the caller's scope (404 otherwise: do not reveal that they exist), and the
 * caller may see residents' personal data there (403 otherwise: officers get aggregates unless
 * allowed, issue #16).
 */
export async function requireResidentRecord(user: SessionUser, residentId: string | undefined) {
	const resident = await getResidentInScope(user.scope, residentId ?? '')
	if (!resident) throw notFound()
	requirePersonalData(user.scope, { code: resident.communeCode ?? '', provinceCode: resident.provinceCode ?? '' })
	return resident
}
