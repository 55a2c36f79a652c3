import { formatDate } from '#app/kernel/format.ts'
import { env } from '#app/utils/env.server.ts'
import { qrSvg } from '#app/utils/qr.server.ts'
import { formatSetupCode } from './setup-code.server.ts'

/** What the printable setup slip shows: the code, the /setup link it opens, a QR code of that link. */
export async function slipData(request: Request, { fullName, code, expiresAt, lng }: { fullName: string; code: string; expiresAt: Date; lng: string }) {
	const origin = env.APP_ORIGIN
	const url = `${origin}/setup?code=${code}`
	return {
		firstName: fullName.split(' ').at(-1) ?? fullName,
		code: formatSetupCode(code),
		url,
		qr: await qrSvg(url),
		expires: formatDate(expiresAt, lng),
	}
}
