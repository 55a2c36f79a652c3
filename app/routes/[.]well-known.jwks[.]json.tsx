import { getJwks } from '#app/modules/certificate/certificate.server.ts'

/** The public keys that verify the platform's credentials (Open Badges 3.0 VC-JWT). */
export async function loader() {
	return Response.json(await getJwks(), { headers: { 'Cache-Control': 'public, max-age=3600' } })
}
