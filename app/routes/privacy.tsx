import { type MetaFunction } from '@remix-run/node'
import { useTranslation } from 'react-i18next'
import { NOTICE_VERSION } from '#app/kernel/privacy.ts'
import { pageTitle } from '#app/utils/meta.ts'

/**
 * The full personal-data notice (Law 91/2025/QH15; ADR 018): public, no sign-in, no script. The
 * short notice on every registration form links here; its version is stored with every consent.
 */
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'privacy:title')

const LISTS = ['what', 'why', 'who', 'rights', 'staff'] as const
const SECTIONS = ['what', 'ethnicity', 'why', 'who', 'howLong', 'rights', 'staff', 'change'] as const

export default function PrivacyPage() {
	const { t } = useTranslation()
	return (
		<div className="privacy-page">
			<h1>{t('privacy:title')}</h1>
			<p className="hint">{t('privacy:version', { version: NOTICE_VERSION })}</p>
			<p className="lead">{t('privacy:page.lead')}</p>
			{SECTIONS.map((section) => (
				<section key={section} aria-labelledby={`privacy-${section}`}>
					<h2 id={`privacy-${section}`}>{t(`privacy:page.${section}Title`)}</h2>
					{(LISTS as readonly string[]).includes(section) ? (
						<ul>
							{(t(`privacy:page.${section}`, { returnObjects: true }) as string[]).map((line) => (
								<li key={line}>{line}</li>
							))}
						</ul>
					) : (
						<p>{t(`privacy:page.${section}`)}</p>
					)}
				</section>
			))}
		</div>
	)
}
