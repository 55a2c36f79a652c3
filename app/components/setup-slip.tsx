import { useId } from 'react'
import { useTranslation } from 'react-i18next'

/** The printable slip a resident takes home: their setup code, where to use it and a QR code. */
export function SetupSlip({
	fullName,
	phone,
	code,
	url,
	qr,
	expires,
	inSheet = false,
}: {
	fullName: string
	phone: string
	code: string
	url: string
	qr: string
	expires: string
	/** One of several on a printed sheet (cut along the dashed lines): no print button of its own. */
	inSheet?: boolean
}) {
	const { t } = useTranslation()
	const titleId = useId()
	return (
		<section className="setup-slip" aria-labelledby={titleId}>
			<h2 id={titleId}>{t('staff:slip.title', { name: fullName })}</h2>
			{phone ? (
				<p className="slip-phone">
					{t('staff:slip.phone')}: <strong>{phone}</strong>
				</p>
			) : null}
			<ol>
				<li>{t('staff:slip.step1')}</li>
				<li>{t('staff:slip.step2')}</li>
				<li>{t('staff:slip.step3')}</li>
			</ol>
			<p className="slip-code">
				{t('staff:slip.code')}: <strong>{code}</strong>
			</p>
			{/* biome-ignore lint/security/noDangerouslySetInnerHtml: the QR code is an SVG made on the server by the qrcode library from our own URL */}
			<div className="certificate-qr" role="img" aria-label={t('staff:slip.qr')} dangerouslySetInnerHTML={{ __html: qr }} />
			<p className="hint">{url}</p>
			<p className="hint">{t('staff:slip.expires', { date: expires })}</p>
			{inSheet ? null : (
				<p className="no-print">
					<button type="button" className="secondary" data-print="">
						{t('staff:slip.print')}
					</button>
				</p>
			)}
		</section>
	)
}
