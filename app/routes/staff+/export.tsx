import { type LoaderFunctionArgs } from '@remix-run/node'
import {
	exportResidents,
	importTemplateCsv,
	importTemplateXlsx,
	RESIDENT_EXPORT_FORMATS,
	type ResidentExportFormat,
} from '#app/modules/people/residents-export.server.ts'
import { notFound, requireStaff } from '#app/utils/auth.server.ts'
import { badRequest } from '#app/utils/forms.server.ts'
import { getFixedT, getLng } from '#app/utils/i18n.server.ts'
import { soleCommune } from '#app/kernel/scope.ts'

/**
 * GET /staff/export?format=csv|xlsx&commune=03721 — a commune's residents and their progress,
 * audit-logged; a commune outside the caller's scope is a 404; a province officer without the
 * administrator's personal-data permission (and an administrator) gets 403: aggregates are on
 * /province/export. format=template (CSV) and template-xlsx: the import file with its header
 * and one example row (no personal data).
 */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireStaff(request)
	const url = new URL(request.url)
	const format = url.searchParams.get('format')
	const lng = await getLng(request)
	const t = await getFixedT(lng)
	if (format === 'template') return download(importTemplateCsv(t), 'text/csv; charset=utf-8', 'hoc-vu-so_mau-nhap-nguoi-dan.csv')
	if (format === 'template-xlsx') {
		return download(await importTemplateXlsx(t), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'hoc-vu-so_mau-nhap-nguoi-dan.xlsx')
	}
	if (!RESIDENT_EXPORT_FORMATS.includes(format as ResidentExportFormat)) throw badRequest('staff:export.errors.badFormat')
	// Staff of a single commune need not say which.
	const communeCode = url.searchParams.get('commune') || soleCommune(user.scope) || ''
	if (!communeCode) throw badRequest('staff:export.errors.chooseCommune')
	const file = await exportResidents({ scope: user.scope, actorId: user.id, communeCode, format: format as ResidentExportFormat, lng, t })
	if (!file) throw notFound()
	if (file === 'forbidden') throw Response.json({ message: 'staff:export.errors.personalData' }, { status: 403 })
	return download(file.body, file.contentType, file.filename)
}

function download(body: string | Buffer, contentType: string, filename: string) {
	return new Response(typeof body === 'string' ? body : new Uint8Array(body), {
		headers: {
			'Content-Type': contentType,
			'Content-Disposition': `attachment; filename="${filename}"`,
			'Cache-Control': 'private, no-store',
		},
	})
}
