import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { NoticeSummary, StaffNoticeSummary } from '#app/components/privacy-notice.tsx'
import { NOTICE_VERSION, noticeKindFor } from '#app/kernel/privacy.ts'
import { acceptNotice, hasAgreedBefore } from '#app/modules/people/consent.server.ts'
import { requireUser, safeRedirect } from '#app/utils/auth.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'privacy:notice.title')

/**
 * "Read and agree" before going on (ADR 028): every signed-in person whose account has no
 * consent at the current notice version comes here from any page — older accounts, everyone once
 * the notice changes, and appointed staff (the staff notice) — and goes back where they were once
 * they agree. A resident who does not agree can still see, download and erase their data.
 */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const redirectTo = safeRedirect(new URL(request.url).searchParams.get('redirectTo'), '/me')
	if (user.noticeAccepted) throw redirect(redirectTo)
	// A VNeID account still without a commune reads the notice on its completion form.
	if (!user.communeCode && user.roles.length === 0) throw redirect('/me/complete')
	const kind = noticeKindFor(user.roles.length)
	return { kind, redirectTo, changed: kind === 'resident' && (await hasAgreedBefore(user.id)) }
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireUser(request)
	const form = await readFormData(request, { maxBytes: 4_096 })
	const redirectTo = safeRedirect(String(form.get('redirectTo') ?? ''), '/me')
	if (!user.communeCode && user.roles.length === 0) throw redirect('/me/complete')
	if (form.get('agree') !== 'yes') return data({ error: 'privacy:errors.noticeRequired' }, { status: 400 })
	await acceptNotice({ userId: user.id, kind: noticeKindFor(user.roles.length) })
	return redirect(redirectTo)
}

export default function NoticePage() {
	const { t } = useTranslation()
	const { kind, redirectTo, changed } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	return (
		<div>
			<h1>{t('privacy:notice.title')}</h1>
			<p className="lead">
				{kind === 'staff'
					? t('privacy:notice.staffLead')
					: changed
						? t('privacy:notice.leadChanged', { version: NOTICE_VERSION })
						: t('privacy:notice.leadFirst')}
			</p>
			{kind === 'staff' ? <StaffNoticeSummary /> : <NoticeSummary />}
			<Form method="post" noValidate>
				<input type="hidden" name="redirectTo" value={redirectTo} />
				{actionData?.error ? (
					<p className="form-error" role="alert" id="notice-error">
						{t(actionData.error)}
					</p>
				) : null}
				<p>
					<label className="check">
						<input type="checkbox" name="agree" value="yes" required aria-describedby={actionData?.error ? 'notice-error' : undefined} />{' '}
						{kind === 'staff' ? t('privacy:staffShort.agree') : t('privacy:consent.learning')}
					</label>
				</p>
				<p>
					<button type="submit">{t('privacy:notice.submit')}</button>
				</p>
			</Form>
			<section aria-labelledby="notice-refuse">
				<h2 id="notice-refuse">{t('privacy:notice.refuseTitle')}</h2>
				<p>{kind === 'staff' ? t('privacy:notice.refuseStaff') : t('privacy:notice.refuseResident')}</p>
				<ul>
					<li>
						<Link to="/me/data">{t('privacy:notice.seeData')}</Link>
					</li>
					{kind === 'resident' ? (
						<li>
							<Link to="/me/erase">{t('privacy:notice.erase')}</Link>
						</li>
					) : null}
				</ul>
				<Form method="post" action="/logout">
					<button type="submit" className="secondary">
						{t('privacy:notice.signOut')}
					</button>
				</Form>
			</section>
		</div>
	)
}
