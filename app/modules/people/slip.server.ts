import { formatDate } from '#app/kernel/format.ts'
import { env } from '#app/utils/env.server.ts'
import { qrSvg } from '#app/utils/qr.server.ts'
import { formatPhone } from './phone.ts'
import { formatSetupCode } from './setup-code.server.ts'

/**
 * What the printable setup slip shows: the resident's full name and phone (the login is phone +
 * PIN, and a slip handed over at a busy desk must say whose it is), the code, the /setup link it
 * opens and a QR code of that link.
 */
export async function slipData(
	_request: Request,
	{ fullName, phone, code, expiresAt, lng }: { fullName: string; phone: string | null; code: string; expiresAt: Date; lng: string },
) {
	const origin = env.APP_ORIGIN
	const url = `${origin}/setup?code=${code}`
	return {
		fullName,
		// Spaced in groups (0912 345 678): read off paper and typed without a slip.
		phone: phone ? formatPhone(phone) : '',
		code: formatSetupCode(code),
		url,
		qr: await qrSvg(url),
		expires: formatDate(expiresAt, lng),
	}
}
