import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { type z } from 'zod'
import { FormErrors, RadioGroup, SecretField } from '#app/components/forms.tsx'
import { changeOwnSecret, getOwnSecretInfo } from '#app/modules/people/account.server.ts'
import { ChangeSecretSchema } from '#app/modules/people/auth.schema.ts'
import { requireUser } from '#app/utils/auth.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { useNonce } from '#app/utils/nonce-provider.ts'
import { clearAttempts, LIMITS, takeAttempt } from '#app/utils/rate-limit.server.ts'
import { readSessionToken } from '#app/utils/session.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'auth:security.title')

const hideFields = ['current', 'secret', 'secretAgain']

/** Changing one's own PIN or password: anyone signed in, for their own account only. */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const { kind } = await getOwnSecretInfo(user.id)
	return { kind }
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireUser(request)
	const form = await readFormData(request)
	const { kind, birthYear } = await getOwnSecretInfo(user.id)
	const submission = parseWithZod(form, { schema: ChangeSecretSchema({ birthYear }) })
	if (submission.status !== 'success') return data({ result: submission.reply({ hideFields }) }, { status: 400 })
	if (!kind) return data({ result: submission.reply({ formErrors: ['auth:security.noSecret'], hideFields }) }, { status: 400 })
	// Counted before the current secret is checked: a borrowed, signed-in phone must not become a PIN oracle.
	const wait = await takeAttempt([LIMITS.changeSecretPerUser, user.id])
	if (wait) return data({ result: submission.reply({ formErrors: [`auth:errors.tooManyAttempts|${wait}`], hideFields }) }, { status: 429 })
	const { current, secretKind, secret } = submission.value
	const token = (await readSessionToken(request))!
	const outcome = await changeOwnSecret({ userId: user.id, sessionToken: token, current, next: { kind: secretKind, value: secret } })
	if (outcome === 'wrong') {
		return data({ result: submission.reply({ fieldErrors: { current: ['auth:errors.currentSecretWrong'] }, hideFields }) }, { status: 400 })
	}
	await clearAttempts(LIMITS.changeSecretPerUser, user.id)
	return redirect('/me/security?changed=1')
}

export default function Security() {
	const { t } = useTranslation()
	const { kind } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const [searchParams] = useSearchParams()
	const nonce = useNonce()
	const [form, fields] = useForm<z.input<ReturnType<typeof ChangeSecretSchema>>>({
		id: 'change-secret',
		lastResult: actionData?.result,
		defaultValue: { secretKind: kind ?? 'PIN' },
	})
	return (
		<div>
			<h1>{t('auth:security.title')}</h1>
			{searchParams.get('changed') && !actionData ? (
				<p className="notice" role="status">
					{t('auth:security.changed')}
				</p>
			) : null}
			{kind ? (
				<>
					<p className="lead">{t('auth:security.lead')}</p>
					<Form method="post" {...getFormProps(form)} noValidate>
						<FormErrors
							form={form}
							fields={fields}
							labels={{
								current: t(kind === 'PIN' ? 'auth:security.currentPin' : 'auth:security.currentPassword'),
								secret: t('auth:security.newSecret'),
								secretAgain: t('auth:security.newSecretAgain'),
							}}
						>
							<SecretField
								label={t(kind === 'PIN' ? 'auth:security.currentPin' : 'auth:security.currentPassword')}
								meta={fields.current}
								autoComplete="current-password"
								pin={kind === 'PIN'}
							/>
							<RadioGroup
								legend={t('auth:fields.secretKind')}
								meta={fields.secretKind}
								options={[
									{ value: 'PIN', label: t('auth:fields.pin') },
									{ value: 'PASSWORD', label: t('auth:fields.password') },
								]}
							/>
							<SecretField
								label={t('auth:security.newSecret')}
								hint={t('auth:fields.secretHint')}
								meta={fields.secret}
								autoComplete="new-password"
								pin={fields.secretKind.value !== 'PASSWORD'}
							/>
							<SecretField
								label={t('auth:security.newSecretAgain')}
								meta={fields.secretAgain}
								autoComplete="new-password"
								pin={fields.secretKind.value !== 'PASSWORD'}
							/>
							<p className="hint">{t('auth:security.othersSignedOut')}</p>
							<p>
								<button type="submit">{t('auth:security.submit')}</button>
							</p>
						</FormErrors>
					</Form>
				</>
			) : (
				<p className="notice">{t('auth:security.noSecret')}</p>
			)}
			<p>
				<Link to="/me">{t('auth:security.back')}</Link>
			</p>
			{kind ? <script src="/secret-field.js" defer nonce={nonce} /> : null}
		</div>
	)
}
