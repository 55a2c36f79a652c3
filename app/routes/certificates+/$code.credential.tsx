import { type LoaderFunctionArgs } from '@remix-run/node'
import { signCredential } from '#app/modules/certificate/certificate.server.ts'
import { formatVietnamDate } from '#app/kernel/calendar.ts'
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
		const message = t('learning:certificate.revokedDownload', {
			date: formatVietnamDate(signed.revokedAt, lng),
			reason: t(`learning:certificate.reasons.${signed.reason}`),
			url: `${origin}/verify/${params.code}`,
		})
		return new Response(`${message}\n`, {
			status: 410,
			headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Language': lng, 'Cache-Control': 'private, no-store' },
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
