import { type LoaderFunctionArgs } from '@remix-run/node'
import { listCommunes } from '#app/modules/units/units.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'

/** The commune list for one province, for the picker's progressive enhancement. Public reference data. */
export async function loader({ request }: LoaderFunctionArgs) {
	const province = new URL(request.url).searchParams.get('province') ?? ''
	if (!/^\d{2}$/.test(province)) return Response.json({ message: 'common:errors.badInput', communes: [] }, { status: 400 })
	const communes = await listCommunes(province, await getLng(request))
	return Response.json({ communes }, { headers: { 'Cache-Control': 'public, max-age=86400' } })
}
