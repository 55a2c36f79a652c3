import { getCatalogue } from '../course/course.server.ts'
import { ethnicGroupName } from '#app/kernel/demographics.ts'
import { listCommunes, listProvinces } from '../units/units.server.ts'
import { suppressedMarker } from '#app/kernel/disclosure.ts'
import { env } from '#app/utils/env.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { type Lng } from '#app/utils/i18n.ts'
import { canActInProvince, type Scope } from '#app/kernel/scope.ts'
import { getBreakdown, getIndicators } from './indicators.server.ts'
import { parseReportParams, queryErrorResponse } from './report-params.server.ts'
import { revokedCertificates } from './revoked.server.ts'

/**
 * What the province dashboard and the printable report show, for the request's query; names in the
 * request's language, or in `lng` (the printable report is a Vietnamese document whatever the page's language).
 */
export async function dashboardData(request: Request, scope: Scope, options: { lng?: Lng } = {}) {
	const lng = options.lng ?? (await getLng(request))
	const url = new URL(request.url)
	const query = parseReportParams(url.searchParams, scope)
	try {
		const report = await getIndicators(query)
		const breakdown = query.breakdown ? await getBreakdown(query, query.breakdown) : null
		const provinces = await listProvinces(lng)
		const communes = await listCommunes(query.provinceCode, lng)
		const names = new Map(communes.map((c) => [c.value, c.label]))
		const last = report.periods.at(-1)!
		const latest = report.rows.filter((r) => r.period === last)
		const revoked = await revokedCertificates({ provinceCode: query.provinceCode, communeCodes: report.communeCodes, lastMonth: report.to })
		const activeInRange = new Map<string, number>()
		for (const r of report.rows) activeInRange.set(r.communeCode, Math.max(activeInRange.get(r.communeCode) ?? 0, r.figures.active))
		return {
			query: { ...query, from: url.searchParams.get('from') || query.from, to: url.searchParams.get('to') || query.to },
			range: { from: report.from, to: report.to },
			province: provinces.find((p) => p.value === query.provinceCode)?.label ?? query.provinceCode,
			provinces: provinces.filter((p) => canActInProvince(scope, p.value)),
			communes,
			singleCommune: query.communeCodes?.length === 1 ? (names.get(query.communeCodes[0]!) ?? null) : null,
			periods: report.periods,
			last,
			totals: report.totals,
			latest: latest.map((r) => ({ ...r, name: names.get(r.communeCode) ?? r.communeCode, revoked: revoked.byCommune.get(r.communeCode) ?? 0 })),
			/** Certificates of the selection revoked by the end of the range (shown beside those issued). */
			revoked: revoked.total,
			courses: getCatalogue(lng).map((c) => ({ id: c.id, title: c.title, core: c.core })),
			breakdown: breakdown && {
				by: query.breakdown!,
				// Withheld cells (null) show this marker; the note explains it when any is withheld.
				marker: suppressedMarker(env.SMALL_CELL_THRESHOLD),
				threshold: env.SMALL_CELL_THRESHOLD,
				anySuppressed: breakdown.some((b) => b.suppressed),
				rows: breakdown.map((b) => ({
					...b,
					name: names.get(b.communeCode) ?? b.communeCode,
					label: query.breakdown === 'ethnicGroup' && b.value ? ethnicGroupName(b.value, lng) : b.value,
				})),
			},
		}
	} catch (error) {
		throw queryErrorResponse(error)
	}
}
