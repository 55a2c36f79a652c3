import { formatDate } from '#app/kernel/format.ts'
import { type LoaderFunctionArgs } from '@remix-run/node'
import { signCredential } from '#app/modules/certificate/certificate.server.ts'
import { notFound, requireUser } from '#app/utils/auth.server.ts'
import { env } from '#app/utils/env.server.ts'
import { getFixedT, getLng } from '#app/utils/i18n.server.ts'

/**
 * The Open Badges 3.0 credential as a VC-JWT file, for the certificate's owner only. A revoked
 * certificate is not signed again: 410 with a sentence in the reader's language saying when and why.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const origin = env.APP_ORIGIN
	const signed = await signCredential({ code: params.code ?? '', origin, userId: user.id })
	if (!signed) throw notFound()
	if (signed.revoked) {
		const lng = await getLng(request)
		const t = await getFixedT(lng)
		const verifyUrl = `${origin}/verify/${params.code}`
		const message = t('learning:certificate.revokedDownload', {
			date: formatDate(signed.revokedAt, lng),
			reason: t(`learning:certificate.reasons.${signed.reason}`),
			url: verifyUrl,
		})
		// A short page a browser shows readably (a plain-text answer renders in a monospace font), with
		// the way back; anything else reads the 410.
		const body = `<!doctype html>
<html lang="${lng}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${html(t('learning:certificate.revoked'))}</title></head>
<body style="font-family: system-ui, sans-serif; font-size: 1.125rem; line-height: 1.5; margin: 1rem; max-width: 40rem; overflow-wrap: anywhere">
<h1 style="font-size: 1.5rem">${html(t('learning:certificate.revoked'))}</h1>
<p>${html(message)}</p>
<p><a href="/certificates/${html(params.code ?? '')}">${html(t('learning:certificate.backToCertificate'))}</a></p>
</body></html>
`
		return new Response(body, {
			status: 410,
			headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Language': lng, 'Cache-Control': 'private, no-store' },
		})
	}
	return new Response(signed.jwt, {
		headers: {
			'Content-Type': 'application/vc+jwt',
			'Content-Disposition': `attachment; filename="${signed.filename}"`,
			'Cache-Control': 'private, no-store',
		},
	})
}

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
