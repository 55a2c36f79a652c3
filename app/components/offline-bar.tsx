import { useRouteLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { useNonce } from '#app/utils/nonce-provider.ts'

/**
 * The offline outbox's status bar and script, on every page (docs/decisions/007-offline.md). Hidden
 * until app/browser/offline.ts has something to say; the script carries no text of its own, it takes
 * the sentences from here, in the page's language.
 */
export function OfflineBar() {
	const { t } = useTranslation()
	const nonce = useNonce()
	const root = useRouteLoaderData('root') as { user?: { id?: string } | null } | undefined
	const msg = (key: string) => t(`offline:status.${key}`)
	return (
		<>
			<aside
				id="offline-status"
				className="offline-status"
				aria-label={msg('label')}
				hidden
				data-user={root?.user?.id ?? ''}
				data-msg-pending={msg('pending')}
				data-msg-kept={msg('kept')}
				data-msg-sending={msg('sending')}
				data-msg-sent={msg('sent')}
				data-msg-signin={msg('signin')}
				data-msg-signinlink={msg('signinLink')}
				data-msg-notice={msg('notice')}
				data-msg-noticelink={msg('noticeLink')}
				data-msg-certificate={msg('certificate')}
				data-msg-details={msg('details')}
			>
				<div role="status" data-lines="" />
				<button type="button" className="secondary" data-close="" hidden>
					{msg('close')}
				</button>
			</aside>
			<script src="/offline.js" defer nonce={nonce} />
		</>
	)
}
