import { type LoaderFunctionArgs } from '@remix-run/node'
import { openApiDocument } from '#app/features/api/openapi.server.ts'

/** GET /api/v1/openapi.json — the OpenAPI 3.1 description of the machine API (public). */
export async function loader({ request }: LoaderFunctionArgs) {
	const origin = process.env.APP_ORIGIN ?? new URL(request.url).origin
	return Response.json(openApiDocument(origin), { headers: { 'Cache-Control': 'public, max-age=300' } })
}
