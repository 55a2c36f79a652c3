import { type LoaderFunctionArgs } from '@remix-run/node'
import { getOwnCertificateView } from '#app/modules/certificate/certificate.server.ts'
import { certificatePng } from '#app/modules/certificate/image.server.ts'
import { notFound, requireUser } from '#app/utils/auth.server.ts'
import { env } from '#app/utils/env.server.ts'
import { getFixedT, getLng } from '#app/utils/i18n.server.ts'
import { qrSvg } from '#app/utils/qr.server.ts'

/**
 * "Lưu ảnh": the owner's certificate as a PNG with its QR code, for the phone's gallery or to send
 * on Zalo. Owner only, like the page; a revoked certificate's picture says so across the top.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const lng = await getLng(request)
	const c = await getOwnCertificateView({ userId: user.id, code: params.code ?? '', lng, origin: env.APP_ORIGIN })
	if (!c) throw notFound()
	const t = await getFixedT(lng)
	const png = certificatePng(
		{
			issuer: t('learning:certificate.issuer', { province: c.province }),
			heading: t('learning:certificate.heading'),
			certifies: t('learning:certificate.certifies'),
			name: c.name,
			completed: t('learning:certificate.completed'),
			course: c.course,
			date: t('learning:certificate.on', { date: c.date }),
			scan: t('learning:certificate.scan'),
			code: t('learning:certificate.code', { code: c.code }),
			verifyUrl: c.verifyUrl,
			revoked: c.revoked ? t('learning:certificate.revoked') : undefined,
		},
		await qrSvg(c.verifyUrl),
	)
	return new Response(new Uint8Array(png), {
		headers: {
			'Content-Type': 'image/png',
			'Content-Disposition': `attachment; filename="${t('learning:certificate.imageFilename', { code: c.code })}"`,
			'Cache-Control': 'private, no-store',
		},
	})
}
