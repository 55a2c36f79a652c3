import { type LoaderFunctionArgs } from '@remix-run/node'
import { recordAudit } from '#app/modules/audit/audit.server.ts'
import { getBreakdown, getIndicators } from '#app/modules/reporting/indicators.server.ts'
import { buildExport, EXPORT_FORMATS, type ExportFormat } from '#app/modules/reporting/export.server.ts'
import { parseReportParams, queryErrorResponse } from '#app/modules/reporting/report-params.server.ts'
import { requireProvinceLevel } from '#app/utils/auth.server.ts'
import { badRequest } from '#app/utils/forms.server.ts'
import { getFixedT, getLng } from '#app/utils/i18n.server.ts'

/** GET /province/export?format=csv|xlsx|json|dhis2|adx&from&to&granularity&communes — audit-logged. */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireProvinceLevel(request)
	const url = new URL(request.url)
	const format = url.searchParams.get('format') as ExportFormat
	if (!EXPORT_FORMATS.includes(format)) throw badRequest('province:errors.badFormat')
	const query = parseReportParams(url.searchParams, user.scope)
	const lng = await getLng(request)
	try {
		const report = await getIndicators(query)
		const breakdown = query.breakdown ? { by: query.breakdown, rows: await getBreakdown(query, query.breakdown) } : null
		const file = await buildExport(format, { report, breakdown, lng, t: await getFixedT(lng) })
		await recordAudit({
			actorId: user.id,
			action: 'export.indicators',
			provinceCode: query.provinceCode,
			details: {
				format,
				from: report.from,
				to: report.to,
				granularity: report.granularity,
				communes: query.communeCodes?.length ?? 'all',
				breakdown: query.breakdown,
			},
		})
		return new Response(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), {
			headers: {
				'Content-Type': file.contentType,
				'Content-Disposition': `attachment; filename="${file.filename}"`,
				'Cache-Control': 'private, no-store',
			},
		})
	} catch (error) {
		throw queryErrorResponse(error)
	}
}
