import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getOwnCertificate } from '#app/modules/certificate/certificate.server.ts'
import { notFound, requireUser } from '#app/utils/auth.server.ts'
import { formatDate } from '#app/kernel/format.ts'
import { env } from '#app/utils/env.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { qrSvg } from '#app/utils/qr.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'learning:certificate.title')

/** The owner's printable certificate (A4 and phone), with a QR code to the public verification page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const cert = await getOwnCertificate(user.id, params.code ?? '')
	if (!cert?.course) throw notFound()
	const lng = await getLng(request)
	const origin = env.APP_ORIGIN
	const verifyUrl = `${origin}/verify/${cert.code}`
	const qr = await qrSvg(verifyUrl)
	return {
		code: cert.code,
		name: cert.recipientName,
		course: cert.course.title[lng],
		date: formatDate(cert.issuedAt, lng),
		province: (lng === 'vi' ? cert.province?.fullName : cert.province?.fullNameEn) ?? '',
		revoked: Boolean(cert.revokedAt),
		verifyUrl,
		qr,
	}
}

export default function CertificatePage() {
	const { t } = useTranslation()
	const c = useLoaderData<typeof loader>()
	return (
		<div className="certificate-page">
			<section className="certificate" aria-labelledby="cert-heading">
				<p className="certificate-issuer">{t('learning:certificate.issuer', { province: c.province })}</p>
				<h1 id="cert-heading">{t('learning:certificate.heading')}</h1>
				<p>{t('learning:certificate.certifies')}</p>
				<p className="certificate-name">{c.name}</p>
				<p>{t('learning:certificate.completed')}</p>
				<p className="certificate-course">“{c.course}”</p>
				<p>{t('learning:certificate.on', { date: c.date })}</p>
				{c.revoked ? <p className="form-error">{t('learning:certificate.revoked')}</p> : null}
				{/* biome-ignore lint/security/noDangerouslySetInnerHtml: the QR code is an SVG made on the server by the qrcode library from our own URL */}
				<div className="certificate-qr" role="img" aria-label={t('learning:certificate.scan')} dangerouslySetInnerHTML={{ __html: c.qr }} />
				<p className="hint">{t('learning:certificate.scan')}</p>
				<p className="hint">
					{t('learning:certificate.code', { code: c.code })} · <a href={c.verifyUrl}>{c.verifyUrl}</a>
				</p>
			</section>
			{c.revoked ? (
				<p className="no-print">{t('learning:certificate.revokedNoDownload')}</p>
			) : (
				<p className="no-print">
					<a className="button secondary" href={`/certificates/${c.code}/credential`} download>
						{t('learning:certificate.download')}
					</a>
				</p>
			)}
		</div>
	)
}
