import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { type z } from 'zod'
import { Field, FormErrors, PhoneField, SecretField } from '#app/components/forms.tsx'
import { SetupSchema } from '#app/modules/people/auth.schema.ts'
import { FieldError } from '#app/modules/people/people.server.ts'
import { formatSetupCode, normaliseSetupCode, redeemSetupCode } from '#app/modules/people/setup-code.server.ts'
import { clientIp, signInAndRedirect } from '#app/utils/auth.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { LIMITS, refundAttempt, takeAttempt } from '#app/utils/rate-limit.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

// The site-wide Referrer-Policy (same-origin) keeps the code in this URL from reaching other sites.
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'auth:setup.title')

/** The QR code on the printed slip opens /setup?code=…: the code is prefilled, never logged. */
export async function loader({ request }: LoaderFunctionArgs) {
	const code = normaliseSetupCode(new URL(request.url).searchParams.get('code') ?? '')
	return { code: code ? formatSetupCode(code) : '' }
}

export async function action({ request, context }: ActionFunctionArgs) {
	const form = await readFormData(request)
	const submission = parseWithZod(form, { schema: SetupSchema })
	const hideFields = ['pin', 'pinAgain']
	if (submission.status !== 'success') return data({ result: submission.reply({ hideFields }) }, { status: 400 })
	const { phone, code, pin } = submission.value
	const ip = clientIp(context)
	// Counted before the code is looked up and the PIN hashed (see rate-limit.server.ts).
	const wait = await takeAttempt([LIMITS.setupPerPhone, phone], [LIMITS.setupPerIp, ip])
	if (wait) {
		return data({ result: submission.reply({ formErrors: [`auth:errors.tooManyAttempts|${wait}`], hideFields }) }, { status: 429 })
	}
	let userId: string | null
	try {
		userId = await redeemSetupCode({ phone, code, pin })
	} catch (error) {
		if (!(error instanceof FieldError)) throw error
		return data({ result: submission.reply({ fieldErrors: { [error.field]: [error.key] }, hideFields }) }, { status: 400 })
	}
	if (!userId) {
		return data({ result: submission.reply({ fieldErrors: { code: ['auth:errors.setupCodeInvalid'] }, hideFields }) }, { status: 400 })
	}
	// A class setting up their PINs on the commune's Wi-Fi: the address's count keeps failures only.
	await refundAttempt(LIMITS.setupPerIp, ip)
	return signInAndRedirect(request, userId, '/me')
}

export default function Setup() {
	const { t } = useTranslation()
	const { code } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const [form, fields] = useForm<z.input<typeof SetupSchema>>({ id: 'setup', lastResult: actionData?.result, defaultValue: { code } })
	return (
		<div>
			<h1>{t('auth:setup.title')}</h1>
			<p className="lead">{t('auth:setup.lead')}</p>
			<Form method="post" {...getFormProps(form)} noValidate>
				<FormErrors form={form} fields={fields}>
					<PhoneField meta={fields.phone} />
					<Field
						label={t('auth:fields.setupCode')}
						hint={t('auth:fields.setupCodeHint')}
						meta={fields.code}
						autoComplete="one-time-code"
						autoCapitalize="characters"
						maxLength={20}
					/>
					<SecretField label={t('auth:fields.newPin')} meta={fields.pin} autoComplete="new-password" pin maxLength={6} />
					<SecretField label={t('auth:fields.newPinAgain')} meta={fields.pinAgain} autoComplete="new-password" pin maxLength={6} />
					<p>
						<button type="submit">{t('auth:setup.submit')}</button>
					</p>
				</FormErrors>
			</Form>
		</div>
	)
}
