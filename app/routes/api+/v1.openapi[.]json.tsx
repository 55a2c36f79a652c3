import { type LoaderFunctionArgs } from '@remix-run/node'
import { openApiDocument } from '#app/features/api/openapi.server.ts'
import { env } from '#app/utils/env.server.ts'

/** GET /api/v1/openapi.json — the OpenAPI 3.1 description of the machine API (public). */
export async function loader({ request }: LoaderFunctionArgs) {
	const origin = env.APP_ORIGIN
	return Response.json(openApiDocument(origin), { headers: { 'Cache-Control': 'public, max-age=300' } })
}
