import { type LoaderFunctionArgs } from '@remix-run/node'
import { getSignedStatusList, STATUS_LIST_TTL_SECONDS } from '#app/modules/certificate/status-list.server.ts'
import { notFound } from '#app/utils/auth.server.ts'
import { env } from '#app/utils/env.server.ts'

/**
 * A W3C Bitstring Status List credential (VC-JWT) at the stable URL its entries name (ADR 016). Public,
 * cacheable for its ttl, with an ETag that changes only when a bit was set.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
	const id = params.listId ?? ''
	if (!/^[1-9]\d{0,8}$/.test(id)) throw notFound()
	const list = await getSignedStatusList(Number(id), env.APP_ORIGIN)
	if (!list) throw notFound()
	const headers = { ETag: list.etag, 'Cache-Control': `public, max-age=${STATUS_LIST_TTL_SECONDS}` }
	if (request.headers.get('If-None-Match') === list.etag) return new Response(null, { status: 304, headers })
	return new Response(list.jwt, { headers: { ...headers, 'Content-Type': 'application/vc+jwt' } })
}
