import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { pinKeyboard } from '#app/components/forms.tsx'
import { isDomainError } from '#app/kernel/errors.ts'
import { eraseOwnAccount, erasureRefusal } from '#app/modules/people/erasure.server.ts'
import { getOwnSecretInfo } from '#app/modules/people/account.server.ts'
import { getUser, requireUser } from '#app/utils/auth.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { clearAttempts, LIMITS, takeAttempt } from '#app/utils/rate-limit.server.ts'
import { clearSessionCookie } from '#app/utils/session.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'erasure:me.title')

/**
 * A resident withdraws consent and erases their own data (issue #18 item 4, ADR 020), confirmed with
 * their PIN. Someone holding a role reads why they cannot. After erasure the session is gone: the
 * page says it is done (?done=1) to whoever is no longer signed in.
 */
export async function loader({ request }: LoaderFunctionArgs) {
	if (new URL(request.url).searchParams.get('done') && !(await getUser(request))) return { done: true as const, refusal: null, hasSecret: false, pin: false }
	const user = await requireUser(request)
	const { kind } = await getOwnSecretInfo(user.id)
	return { done: false as const, refusal: await erasureRefusal(user.id), hasSecret: Boolean(kind), pin: kind === 'PIN' }
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireUser(request)
	const form = await readFormData(request, { maxBytes: 4_096 })
	const refusal = await erasureRefusal(user.id)
	if (refusal) return data({ error: refusal }, { status: 409 })
	if (form.get('confirm') !== 'yes') return data({ error: 'erasure:errors.confirm' }, { status: 400 })
	const wait = await takeAttempt([LIMITS.changeSecretPerUser, user.id])
	if (wait) return data({ error: 'auth:errors.tooManyAttempts', wait }, { status: 429 })
	try {
		const outcome = await eraseOwnAccount({ userId: user.id, secret: String(form.get('secret') ?? '').slice(0, 128) })
		if (outcome === 'wrong') return data({ error: 'erasure:errors.pin' }, { status: 400 })
		if (outcome === 'no-secret') return data({ error: 'erasure:me.noSecret' }, { status: 400 })
	} catch (error) {
		if (isDomainError(error)) return data({ error: error.key }, { status: error.status })
		throw error
	}
	await clearAttempts(LIMITS.changeSecretPerUser, user.id)
	return redirect('/me/erase?done=1', { headers: { 'Set-Cookie': await clearSessionCookie() } })
}

export default function EraseMe() {
	const { t } = useTranslation()
	const { done, refusal, hasSecret, pin } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	if (done) {
		return (
			<div>
				<h1>{t('erasure:me.title')}</h1>
				<p className="notice" role="status">
					{t('erasure:me.done')}
				</p>
				<p>
					<Link to="/">{t('erasure:me.home')}</Link>
				</p>
			</div>
		)
	}
	return (
		<div>
			<h1>{t('erasure:me.title')}</h1>
			{refusal ? (
				<p className="form-error" role="alert">
					{t(refusal)}
				</p>
			) : (
				<>
					<p className="lead">{t('erasure:me.lead')}</p>
					<p>{t('erasure:me.whatGoes')}</p>
					<p>{t('erasure:me.whatStays')}</p>
					<p>{t('erasure:me.after')}</p>
					{hasSecret ? (
						<Form method="post" noValidate>
							{actionData?.error ? (
								<p className="form-error" role="alert" id="erase-error">
									{t(actionData.error, { minutes: 'wait' in actionData ? actionData.wait : 1 })}
								</p>
							) : null}
							<p>
								<label htmlFor="erase-secret">{t('erasure:me.pin')}</label>
								<br />
								<input
									id="erase-secret"
									name="secret"
									type="password"
									{...pinKeyboard(pin)}
									autoComplete="current-password"
									maxLength={128}
									required
									aria-describedby={actionData?.error ? 'erase-error' : undefined}
								/>
							</p>
							<p>
								<label className="check">
									<input type="checkbox" name="confirm" value="yes" required /> {t('erasure:me.confirm')}
								</label>
							</p>
							<p>
								<button type="submit">{t('erasure:me.submit')}</button>
							</p>
						</Form>
					) : (
						<p className="notice">{t('erasure:me.noSecret')}</p>
					)}
				</>
			)}
			<p>
				<Link to="/me">{t('erasure:me.cancel')}</Link>
			</p>
		</div>
	)
}
