import { type LoaderFunctionArgs } from '@remix-run/node'
import { indicatorsApiResponse } from '#app/features/api/indicators-api.server.ts'

/**
 * GET /api/v1/indicators — the machine API (Authorization: Bearer <province API token>).
 * Described at /api/v1/openapi.json; see README.md "API".
 */
export async function loader({ request }: LoaderFunctionArgs) {
	return indicatorsApiResponse(request)
}
