import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getOwnCertificateView } from '#app/modules/certificate/certificate.server.ts'
import { notFound, requireUser } from '#app/utils/auth.server.ts'
import { env } from '#app/utils/env.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { useNonce } from '#app/utils/nonce-provider.ts'
import { qrSvg } from '#app/utils/qr.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'learning:certificate.title')

/** The owner's printable certificate (A4 and phone), with a QR code to the public verification page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const lng = await getLng(request)
	const c = await getOwnCertificateView({ userId: user.id, code: params.code ?? '', lng, origin: env.APP_ORIGIN })
	if (!c) throw notFound()
	return { ...c, qr: await qrSvg(c.verifyUrl) }
}

/**
 * Three actions a resident understands — save a picture, share, print — each working without
 * JavaScript: the picture is a plain download; "Chia sẻ" and "In" open a short panel (a link to
 * copy, SMS and e-mail; how to print from the browser's menu). With JavaScript
 * (app/browser/certificate.ts) "Chia sẻ" opens the phone's own share sheet (Zalo, Messenger…) and
 * "In" the print dialog. The signed credential file is for employers, so it comes last, explained.
 */
export default function CertificatePage() {
	const { t } = useTranslation()
	const nonce = useNonce()
	const c = useLoaderData<typeof loader>()
	const shareText = t('learning:certificate.shareText', { course: c.course })
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
					{t('learning:certificate.code', { code: c.code })} ·&nbsp;<a href={c.verifyUrl}>{c.verifyUrl}</a>
				</p>
			</section>
			{c.revoked ? (
				<p className="no-print">{t('learning:certificate.revokedNoDownload')}</p>
			) : (
				<>
					<div className="certificate-actions no-print">
						<a className="button" href={`/certificates/${c.code}/image`} download={t('learning:certificate.imageFilename', { code: c.code })}>
							{t('learning:certificate.saveImage')}
						</a>
						<details className="action-panel" data-share="" data-title={t('learning:certificate.title')} data-text={shareText} data-url={c.verifyUrl}>
							<summary className="button secondary">{t('learning:certificate.share')}</summary>
							<div className="action-panel-body">
								<label htmlFor="share-link">{t('learning:certificate.shareLead')}</label>
								<input id="share-link" type="url" readOnly value={c.verifyUrl} />
								<p className="hint">{t('learning:certificate.shareZalo')}</p>
								<p data-copy-row="" hidden>
									<button type="button" className="secondary" data-copy="" data-msg-copied={t('learning:certificate.copied')}>
										{t('learning:certificate.copy')}
									</button>{' '}
									<span role="status" data-copy-status="" />
								</p>
								<ul className="share-links">
									<li>
										<a href={`sms:?body=${encodeURIComponent(`${shareText} ${c.verifyUrl}`)}`}>{t('learning:certificate.shareSms')}</a>
									</li>
									<li>
										<a
											href={`mailto:?subject=${encodeURIComponent(t('learning:certificate.title'))}&body=${encodeURIComponent(`${shareText}\n${c.verifyUrl}`)}`}
										>
											{t('learning:certificate.shareEmail')}
										</a>
									</li>
								</ul>
							</div>
						</details>
						<details className="action-panel" data-print-panel="">
							<summary className="button secondary">{t('learning:certificate.printShort')}</summary>
							<div className="action-panel-body">
								<p>{t('learning:certificate.printHow')}</p>
							</div>
						</details>
					</div>
					<p className="no-print credential-note">
						<a href={`/certificates/${c.code}/credential`} download>
							{t('learning:certificate.download')}
						</a>
						<br />
						<span className="hint">{t('learning:certificate.downloadExplain')}</span>
					</p>
					<script src="/certificate.js" defer nonce={nonce} />
				</>
			)}
		</div>
	)
}
