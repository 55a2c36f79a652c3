import { useTranslation } from 'react-i18next'
import { NOTICE_VERSION } from '#app/kernel/privacy.ts'

/** The short notice's points, in order (app/locales/<lng>/privacy.json `short.*`). */
export const NOTICE_POINTS = ['what', 'why', 'who', 'howLong', 'rights'] as const

/**
 * The short notice every way into the platform shows (ADR 018): what is kept, why, who sees it,
 * for how long, and the person's rights, with a link to the full notice on /privacy. For staff it
 * is the text they read out or show the resident before confirming.
 */
export function NoticeSummary({ audience = 'self' }: { audience?: 'self' | 'staff' }) {
	const { t } = useTranslation()
	return (
		<section className="notice privacy-notice" aria-labelledby="privacy-notice-title">
			<h2 id="privacy-notice-title">{t('privacy:short.title')}</h2>
			{audience === 'staff' ? <p>{t('privacy:short.staffIntro')}</p> : null}
			<ul>
				{NOTICE_POINTS.map((point) => (
					<li key={point}>{t(`privacy:short.${point}`)}</li>
				))}
			</ul>
			<p>
				<a href="/privacy">{t('privacy:short.more')}</a> <span className="hint">{t('privacy:version', { version: NOTICE_VERSION })}</span>
			</p>
		</section>
	)
}

/** The staff notice's points, in order (app/locales/<lng>/privacy.json `staffShort.*`). */
export const STAFF_NOTICE_POINTS = ['what', 'why', 'who', 'howLong', 'duty', 'rights'] as const

/**
 * What an appointed staff member or officer reads before using the workspace (ADR 028): what is
 * kept about them, that their access to residents' records is logged and shown to the residents,
 * and what they may use residents' data for.
 */
export function StaffNoticeSummary() {
	const { t } = useTranslation()
	return (
		<section className="notice privacy-notice" aria-labelledby="staff-notice-title">
			<h2 id="staff-notice-title">{t('privacy:staffShort.title')}</h2>
			<ul>
				{STAFF_NOTICE_POINTS.map((point) => (
					<li key={point}>{t(`privacy:staffShort.${point}`)}</li>
				))}
			</ul>
			<p>
				<a href="/privacy">{t('privacy:short.more')}</a> <span className="hint">{t('privacy:version', { version: NOTICE_VERSION })}</span>
			</p>
		</section>
	)
}
