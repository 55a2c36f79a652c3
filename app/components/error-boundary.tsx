import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { errorPageKeys, isGeneralMessage } from '#app/utils/error-page.ts'

/**
 * The one error page. Expected failures are thrown responses (403, 404, 429…) whose body may carry
 * a translation key in `message`; anything else is a 500 that shows no internals. The heading says
 * what happened in plain words (a resident who reads little should not meet "Lỗi 404"); the code
 * stays below, small, for whoever helps them.
 */
export function GeneralErrorBoundary() {
	const { t } = useTranslation()
	const page = useErrorPage()
	return (
		<section className="error-page" role="alert">
			<h1>{page.heading}</h1>
			<p>{page.message}</p>
			<p className="error-code">{t('errors.code', { status: page.status })}</p>
			<p>
				<Link to="/">{t('errors.backHome')}</Link>
			</p>
		</section>
	)
}

/** The route error's status, heading and message, in the page's language (also the page's title). */
export function useErrorPage() {
	const error = useRouteError()
	const { t, i18n } = useTranslation()
	const status = isRouteErrorResponse(error) ? error.status : 500
	const key = isRouteErrorResponse(error) && typeof error.data === 'object' && error.data && 'message' in error.data ? String(error.data.message) : ''
	const words = errorPageKeys(status, (k) => i18n.exists(k))
	// A refusal with a reason of its own says it; a general one gets what may have happened and what to do.
	const message = isGeneralMessage(key, status) ? t(words.help) : t(key, { defaultValue: t(words.help) })
	return { status, heading: t(words.heading), message }
}
