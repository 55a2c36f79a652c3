import { notFound } from '#app/utils/auth.server.ts'
import { env } from '#app/utils/env.server.ts'
import { securityTxt } from '#app/utils/security-txt.ts'

/** Where to report a vulnerability (RFC 9116); 404 until the operator sets SECURITY_CONTACT. */
export async function loader() {
	const text = securityTxt({ contacts: env.SECURITY_CONTACT, origin: env.APP_ORIGIN })
	if (!text) throw notFound()
	return new Response(text, { headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=3600' } })
}
