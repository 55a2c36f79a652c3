import { type MetaFunction } from '@remix-run/node'
import { useTranslation } from 'react-i18next'
import { pageTitle } from '#app/utils/meta.ts'

/**
 * The page the service worker shows, from the phone, when a page that needs the network is opened
 * without one (app/sw/service-worker.ts precaches it with every build). app/browser/offline.ts lists the
 * courses saved on the phone.
 */
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'offline:page.title')

export default function OfflinePage() {
	const { t } = useTranslation()
	return (
		<div className="offline-page">
			<h1>📵 {t('offline:page.title')}</h1>
			<p className="lead">{t('offline:page.lead')}</p>
			<h2>{t('offline:page.saved')}</h2>
			<ul data-saved-courses="" hidden />
			<p data-saved-none="">{t('offline:page.noneSaved')}</p>
			<p>{t('offline:page.outbox')}</p>
			<p>
				{/* An empty href is this address: the page that could not be opened. */}
				{/* biome-ignore lint/a11y/useValidAnchor: an empty href reloads this address without JavaScript */}
				<a className="button" href="">
					{t('offline:page.retry')}
				</a>{' '}
				<a href="/courses">{t('offline:page.courses')}</a>
			</p>
		</div>
	)
}
