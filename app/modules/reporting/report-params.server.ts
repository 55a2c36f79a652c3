import { isDomainError } from '#app/kernel/errors.ts'
import { type Scope, canActInProvince } from '#app/kernel/scope.ts'
import { badRequest } from '#app/utils/forms.server.ts'
import { forbidden } from '#app/utils/auth.server.ts'
import { DEFAULT_PROVINCE } from '../units/units.server.ts'
import { vietnamDay } from '#app/kernel/calendar.ts'
import { BREAKDOWNS, type Breakdown, GRANULARITIES, type Granularity, type IndicatorQuery, periodRange } from './indicators.server.ts'

/**
 * Reads an indicator request from a URL (dashboard, exports, printable report, API), with the
 * same defaults everywhere: this year so far, by month, every commune of the person's province.
 * Bad values become a 400 with a localised message; a province outside the scope a 403.
 */
export interface ReportRequest extends IndicatorQuery {
	breakdown: Breakdown | null
}

const MONTH = /^\d{4}-\d{2}$/
const COMMUNE = /^\d{5}$/

export function defaultProvince(scope: Pick<Scope, 'admin' | 'provinceCodes'>) {
	return scope.provinceCodes[0] ?? DEFAULT_PROVINCE
}

export function parseReportParams(params: URLSearchParams, scope: Pick<Scope, 'admin' | 'provinceCodes'>, now = new Date()): ReportRequest {
	const province = params.get('province') || defaultProvince(scope)
	if (!/^\d{2}$/.test(province)) throw badRequest('province:errors.badProvince')
	if (!canActInProvince({ ...scope, communeCodes: [] }, province)) throw forbidden()
	const today = vietnamDay(now)
	const year = params.get('year')
	let from = params.get('from') || `${today.slice(0, 4)}-01`
	let to = params.get('to') || today.slice(0, 7)
	if (year) {
		if (!/^20\d\d$/.test(year)) throw badRequest('province:errors.badMonth')
		from = `${year}-01`
		to = `${year}-12`
	}
	if (!MONTH.test(from) || !MONTH.test(to)) throw badRequest('province:errors.badMonth')
	const granularity = (params.get('granularity') || 'month') as Granularity
	if (!GRANULARITIES.includes(granularity)) throw badRequest('province:errors.badGranularity')
	const rawCommunes = [...params.getAll('commune'), ...params.getAll('communes')]
		.flatMap((v) => v.split(','))
		.map((v) => v.trim())
		.filter(Boolean)
	if (rawCommunes.length > 5000 || rawCommunes.some((c) => !COMMUNE.test(c))) throw badRequest('province:errors.unknownCommune')
	const breakdown = params.get('breakdown') || null
	if (breakdown && !BREAKDOWNS.includes(breakdown as Breakdown)) throw badRequest('province:errors.badBreakdown')
	const query: ReportRequest = {
		provinceCode: province,
		communeCodes: rawCommunes.length ? rawCommunes : undefined,
		from,
		to,
		granularity,
		breakdown: breakdown as Breakdown | null,
	}
	try {
		periodRange(from, to, granularity)
	} catch (error) {
		throw queryErrorResponse(error)
	}
	return query
}

/** An IndicatorQueryError as a localised 400; anything else unchanged. */
export function queryErrorResponse(error: unknown) {
	if (isDomainError(error)) return badRequest(error.key, error.status)
	return error
}
