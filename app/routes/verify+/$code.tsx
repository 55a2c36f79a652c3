import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getCertificateForVerification } from '#app/modules/certificate/certificate.server.ts'
import { formatDate } from '#app/kernel/format.ts'
import { recordCertificateCheck } from '#app/modules/audit/access-log.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => [...pageTitle(matches, 'learning:certificate.verifyTitle'), { name: 'robots', content: 'noindex' }]

/** Public: valid or revoked, the course, and the holder's name partly masked; the check is logged for the holder. */
export async function loader({ request, params }: LoaderFunctionArgs) {
	const lng = await getLng(request)
	const code = (params.code ?? '').toUpperCase()
	const cert = await getCertificateForVerification(code)
	if (!cert) return { found: false as const, code: code.slice(0, 20) }
	// The holder sees in /me/data that their certificate was checked, and when; nobody's identity is kept.
	await recordCertificateCheck(cert.code)
	return {
		found: true as const,
		code: cert.code,
		valid: !cert.revokedAt,
		// A reason from the fixed list, never the officer's free text (kept internal).
		reason: cert.revokedAt ? (cert.revocationReason ?? 'OTHER') : null,
		name: cert.maskedName,
		course: cert.course?.title[lng] ?? cert.courseId,
		date: formatDate(cert.issuedAt, lng),
		province: (lng === 'vi' ? cert.province?.fullName : cert.province?.fullNameEn) ?? '',
	}
}

export default function Verify() {
	const { t } = useTranslation()
	const v = useLoaderData<typeof loader>()
	return (
		<div>
			<h1>{t('learning:certificate.verifyTitle')}</h1>
			{!v.found ? (
				<p className="form-error" role="alert">
					{t('learning:certificate.notFound')}
				</p>
			) : (
				<div className={v.valid ? 'notice' : 'form-error'} role="status">
					<p className="verify-status">
						<strong>{v.valid ? `✔ ${t('learning:certificate.valid')}` : `✘ ${t('learning:certificate.revoked')}`}</strong>
					</p>
					{!v.valid && v.reason ? <p>{t('learning:certificate.revokedReason', { reason: t(`learning:certificate.reasons.${v.reason}`) })}</p> : null}
					{v.name ? <p>{t('learning:certificate.holder', { name: v.name })}</p> : null}
					<p>{t('learning:certificate.course', { course: v.course })}</p>
					<p>{t('learning:certificate.issued', { date: v.date })}</p>
					<p>{t('learning:certificate.issuer', { province: v.province })}</p>
					<p className="hint">{t('learning:certificate.code', { code: v.code })}</p>
				</div>
			)}
		</div>
	)
}
