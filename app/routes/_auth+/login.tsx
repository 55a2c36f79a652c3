import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { type z } from 'zod'
import { FormErrors, PhoneField, SecretField } from '#app/components/forms.tsx'
import { LoginSchema } from '#app/modules/people/auth.schema.ts'
import { vneidEnabled, vneidRefusal } from '#app/modules/people/vneid.server.ts'
import { clientIp, requireAnonymous, safeRedirect, signInAndRedirect, verifyLogin } from '#app/utils/auth.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { clearAttempts, LIMITS, refundAttempt, takeAttempt } from '#app/utils/rate-limit.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { useNonce } from '#app/utils/nonce-provider.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'auth:login.title')

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAnonymous(request)
	// Sent back from the VNeID callback when VNeID may not open an account (only known messages).
	return { vneid: vneidEnabled(), vneidRefusal: vneidRefusal(new URL(request.url).searchParams.get('vneid')) }
}

export async function action({ request, context }: ActionFunctionArgs) {
	await requireAnonymous(request)
	const form = await readFormData(request)
	const submission = parseWithZod(form, { schema: LoginSchema })
	if (submission.status !== 'success') {
		return data({ result: submission.reply({ hideFields: ['secret'] }) }, { status: 400 })
	}
	const { phone, secret, redirectTo } = submission.value
	const ip = clientIp(context)
	// Counted before the secret is checked, in one statement per counter (see rate-limit.server.ts).
	const wait = await takeAttempt([LIMITS.signInPerPhone, phone], [LIMITS.signInPerIp, ip])
	if (wait) {
		return data({ result: submission.reply({ formErrors: [`auth:errors.tooManyAttempts|${wait}`], hideFields: ['secret'] }) }, { status: 429 })
	}
	const user = secret ? await verifyLogin(phone, secret) : null
	if (!user) {
		return data({ result: submission.reply({ formErrors: ['auth:errors.badLogin'], hideFields: ['secret'] }) }, { status: 400 })
	}
	// The right secret: this phone starts afresh, and the address's count keeps failures only.
	await clearAttempts(LIMITS.signInPerPhone, phone)
	await refundAttempt(LIMITS.signInPerIp, ip)
	return signInAndRedirect(request, user.id, safeRedirect(redirectTo, user.landing))
}

export default function Login() {
	const { t } = useTranslation()
	const { vneid, vneidRefusal: refusal } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const [searchParams] = useSearchParams()
	const [form, fields] = useForm<z.input<typeof LoginSchema>>({ id: 'login', lastResult: actionData?.result })
	const nonce = useNonce()
	// Residents sign in with a 6-digit PIN: the number keyboard, unless asked for letters (staff and
	// officers have passwords, as do residents who chose one).
	const digits = searchParams.get('keyboard') !== 'text'
	const otherKeyboard = new URLSearchParams(searchParams)
	if (digits) otherKeyboard.set('keyboard', 'text')
	else otherKeyboard.delete('keyboard')
	return (
		<div>
			<h1>{t('auth:login.title')}</h1>
			{refusal ? (
				<p className="form-error" role="alert">
					{t(refusal)}
				</p>
			) : null}
			<Form method="post" {...getFormProps(form)} noValidate>
				<FormErrors form={form} fields={fields}>
					<input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? ''} />
					<PhoneField meta={fields.phone} />
					<SecretField label={t('auth:fields.secret')} meta={fields.secret} autoComplete="current-password" pin={digits} />
					<p>
						<a
							href={`/login${otherKeyboard.toString() ? `?${otherKeyboard}` : ''}`}
							data-keyboard-toggle={fields.secret.id}
							data-msg-letters={t('auth:login.useLetters')}
							data-msg-digits={t('auth:login.useDigits')}
						>
							{t(digits ? 'auth:login.useLetters' : 'auth:login.useDigits')}
						</a>
					</p>
					<p>
						<Link to="/forgot-pin">{t('auth:login.forgot')}</Link>
					</p>
					<p>
						<button type="submit">{t('auth:login.submit')}</button>
					</p>
				</FormErrors>
			</Form>
			{vneid ? (
				<form method="post" action="/auth/vneid">
					<p>{t('auth:login.or')}</p>
					<button type="submit" className="secondary">
						{t('auth:login.vneid')}
					</button>
				</form>
			) : null}
			<p>
				{t('auth:login.noAccount')} <Link to="/register">{t('auth:login.register')}</Link>
			</p>
			<p>
				{t('auth:login.haveSetupCode')} <Link to="/setup">{t('auth:login.useSetupCode')}</Link>
			</p>
			<script src="/secret-field.js" defer nonce={nonce} />
		</div>
	)
}
