import { replyOptions } from '#app/utils/errors.server.ts'
import { isDomainError } from '#app/kernel/errors.ts'
import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { type z } from 'zod'
import { CheckboxField, Field, FormErrors, PhoneField, RadioGroup, SecretField } from '#app/components/forms.tsx'
import { NoticeSummary } from '#app/components/privacy-notice.tsx'
import { ProfileFields } from '#app/components/profile-fields.tsx'
import { ResidentRegistrationSchema } from '#app/modules/people/people.schema.ts'
import { registerResident } from '#app/modules/people/people.server.ts'
import { DEFAULT_PROVINCE, isProvinceCode, listCommunes, listProvinces } from '#app/modules/units/units.server.ts'
import { clientIp, requireAnonymous, signInAndRedirect } from '#app/utils/auth.server.ts'
import { echoForm, readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { LIMITS, takeAttempt } from '#app/utils/rate-limit.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { useNonce } from '#app/utils/nonce-provider.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'auth:register.title')

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAnonymous(request)
	const lng = await getLng(request)
	return { lng, provinces: await listProvinces(lng), communes: await listCommunes(DEFAULT_PROVINCE, lng), defaultProvince: DEFAULT_PROVINCE }
}

export async function action({ request, context }: ActionFunctionArgs) {
	await requireAnonymous(request)
	const lng = await getLng(request)
	const form = await readFormData(request)
	const province = String(form.get('provinceCode') ?? '')
	const communes = (await isProvinceCode(province)) ? await listCommunes(province, lng) : undefined
	if (form.get('intent') === 'choose-province') {
		return data({ result: echoForm(form, ['secret']), communes })
	}
	const submission = parseWithZod(form, { schema: ResidentRegistrationSchema })
	if (submission.status !== 'success') {
		return data({ result: submission.reply({ hideFields: ['secret'] }), communes }, { status: 400 })
	}
	const { phone, secretKind, secret, consent: _agreed, ...profile } = submission.value
	// Every attempt that gets as far as the database is counted first, whatever its outcome: the answer
	// says whether a phone is registered, and a new account costs an argon2 hash. A form refused by
	// the schema above touches neither, and is not counted, so a class's typing mistakes do not use up
	// the commune Wi-Fi's allowance.
	const wait = await takeAttempt([LIMITS.registerPerIp, clientIp(context)], [LIMITS.registerPerPhone, phone])
	if (wait) {
		return data({ result: submission.reply({ formErrors: [`auth:errors.registerLimited|${wait}`], hideFields: ['secret'] }), communes }, { status: 429 })
	}
	try {
		const user = await registerResident({ phone, profile, secret: { kind: secretKind, value: secret }, via: 'SELF' })
		return signInAndRedirect(request, user.id, '/me?welcome=1')
	} catch (error) {
		if (isDomainError(error)) return data({ result: submission.reply({ ...replyOptions(error), hideFields: ['secret'] }), communes }, { status: 400 })
		throw error
	}
}

export default function Register() {
	const { t } = useTranslation()
	const loaderData = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const result = actionData?.result
	const [form, fields] = useForm<z.input<typeof ResidentRegistrationSchema>>({
		id: 'register',
		lastResult: result,
		defaultValue: { provinceCode: loaderData.defaultProvince, learnerGroup: 'RESIDENT', secretKind: 'PIN' },
		shouldRevalidate: 'onBlur',
	})
	const communes = actionData?.communes ?? loaderData.communes
	const nonce = useNonce()
	return (
		<div>
			<h1>{t('auth:register.title')}</h1>
			<p className="lead">{t('auth:register.lead')}</p>
			<Form method="post" {...getFormProps(form)} noValidate>
				<FormErrors form={form} fields={fields}>
					<PhoneField meta={fields.phone} />
					<Field label={t('auth:fields.fullName')} meta={fields.fullName} autoComplete="name" maxLength={100} />
					<ProfileFields fields={fields} provinces={loaderData.provinces} communes={communes} lng={loaderData.lng} names={false} />
					<RadioGroup
						legend={t('auth:fields.secretKind')}
						meta={fields.secretKind}
						options={[
							{ value: 'PIN', label: t('auth:fields.pin') },
							{ value: 'PASSWORD', label: t('auth:fields.password') },
						]}
					/>
					<SecretField
						label={t('auth:fields.secret')}
						hint={t('auth:fields.secretHint')}
						meta={fields.secret}
						autoComplete="new-password"
						pin={fields.secretKind.value !== 'PASSWORD'}
					/>
					<NoticeSummary />
					<CheckboxField label={t('privacy:consent.learning')} meta={fields.consent} />
					<p>
						<button type="submit">{t('auth:register.submit')}</button>
					</p>
				</FormErrors>
			</Form>
			<p>
				{t('auth:register.haveAccount')} <Link to="/login">{t('auth:register.login')}</Link>
			</p>
			<script src="/secret-field.js" defer nonce={nonce} />
		</div>
	)
}
