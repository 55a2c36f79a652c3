import { type LoaderFunctionArgs } from '@remix-run/node'
import { collectMyData, myDataFileName } from '#app/features/mydata/my-data.server.ts'
import { notFound, requireUser } from '#app/utils/auth.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'

/**
 * GET /me/data/download — "Tải dữ liệu của tôi": the signed-in person's own data as JSON
 * (docs/personal-data-export.md). Never cached: it is personal data, often on a shared phone.
 */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const data = await collectMyData(user.id, await getLng(request))
	if (!data) throw notFound()
	return new Response(`${JSON.stringify(data, null, 2)}\n`, {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename="${myDataFileName()}"`,
			'Cache-Control': 'private, no-store',
		},
	})
}
