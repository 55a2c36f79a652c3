import { createCookie } from '@remix-run/node'
import { env } from '#app/utils/env.server.ts'

/**
 * The setup code just printed, kept by the staff member's own browser (httpOnly, only sent to that
 * resident's slip page) so that reloading or coming back shows the same slip while the code still
 * works. The database keeps only the code's hash; the slip page shows the code again only if it is
 * still the resident's working code (ADR 025).
 */
const slipCookie = createCookie('hvs_slip', {
	httpOnly: true,
	sameSite: 'strict',
	secure: env.NODE_ENV === 'production' && env.COOKIE_SECURE,
})

export const slipPath = (residentId: string) => `/staff/residents/${residentId}/slip`

export function keepSlipCode(residentId: string, code: string, expiresAt: Date) {
	return slipCookie.serialize(code, { path: slipPath(residentId), expires: expiresAt })
}

export async function keptSlipCode(request: Request): Promise<string | null> {
	const value = await slipCookie.parse(request.headers.get('Cookie'))
	return typeof value === 'string' ? value : null
}
