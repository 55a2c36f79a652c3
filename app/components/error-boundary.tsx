import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

/**
 * The one error page. Expected failures are thrown responses (403, 404, 429…) whose body may carry
 * a translation key in `message`; anything else is a 500 that shows no internals.
 */
export function GeneralErrorBoundary() {
	const error = useRouteError()
	const { t } = useTranslation()
	let status = 500
	let message = t('errors.unexpected')
	if (isRouteErrorResponse(error)) {
		status = error.status
		const key = typeof error.data === 'object' && error.data && 'message' in error.data ? String(error.data.message) : ''
		message = key ? t(key, { defaultValue: key }) : t(`errors.status.${status}`, { defaultValue: t('errors.unexpected') })
	}
	return (
		<section className="error-page" role="alert">
			<h1>{t('errors.title', { status })}</h1>
			<p>{message}</p>
			<p>
				<Link to="/">{t('errors.backHome')}</Link>
			</p>
		</section>
	)
}
