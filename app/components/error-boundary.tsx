import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

/**
 * The one error page. Expected failures are thrown responses (403, 404, 429…) whose body may carry
 * a translation key in `message`; anything else is a 500 that shows no internals. The heading says
 * what happened in plain words (a resident who reads little should not meet "Lỗi 404"); the code
 * stays below, small, for whoever helps them.
 */
export function GeneralErrorBoundary() {
	const error = useRouteError()
	const { t } = useTranslation()
	let status = 500
	let message = t('errors.unexpected')
	if (isRouteErrorResponse(error)) {
		status = error.status
		const key = typeof error.data === 'object' && error.data && 'message' in error.data ? String(error.data.message) : ''
		// A page that is not there: what may have happened and what to do, rather than the heading again.
		const general = status === 404 ? t('errors.notFoundHelp') : t(`errors.status.${status}`, { defaultValue: t('errors.unexpected') })
		message = key ? t(key, { defaultValue: key }) : general
	}
	return (
		<section className="error-page" role="alert">
			<h1>{errorHeading(t, status)}</h1>
			<p>{message}</p>
			<p className="error-code">{t('errors.code', { status })}</p>
			<p>
				<Link to="/">{t('errors.backHome')}</Link>
			</p>
		</section>
	)
}

/** The error page's heading for a status: plain words, the general one for a status without its own. */
export function errorHeading(t: (key: string, options?: { defaultValue: string }) => string, status: number) {
	return t(`errors.heading.${status}`, { defaultValue: t('errors.heading.500') })
}
