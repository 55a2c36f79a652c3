import { replyOptions } from '#app/utils/errors.server.ts'
import { isDomainError } from '#app/kernel/errors.ts'
import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { type z } from 'zod'
import { CheckboxField, FormErrors } from '#app/components/forms.tsx'
import { NoticeSummary } from '#app/components/privacy-notice.tsx'
import { ProfileFields } from '#app/components/profile-fields.tsx'
import { CompleteProfileSchema } from '#app/modules/people/people.schema.ts'
import { clearPendingCookie, completeProfile, createVneidAccount, readPendingSignIn, type VneidClaims } from '#app/modules/people/vneid.server.ts'
import { DEFAULT_PROVINCE, isProvinceCode, listCommunes, listProvinces } from '#app/modules/units/units.server.ts'
import { requireUser, signInAndRedirect } from '#app/utils/auth.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { echoForm, readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'auth:vneid.completeTitle')

/**
 * The end of a first VNeID sign-in (ADR 028): the person reads the notice, chooses their commune
 * and agrees; only then is the account made and they are signed in. What VNeID sent waits in a
 * pending sign-in (cookie for this page only) and fills the form. Accounts made by VNeID before this
 * (signed in, no commune yet) complete theirs the same way.
 */
export async function loader({ request }: LoaderFunctionArgs) {
	const pending = await readPendingSignIn(request)
	const details = pending ? pendingDetails(pending.claims) : await signedInDetails(request)
	const lng = await getLng(request)
	return {
		lng,
		provinces: await listProvinces(lng),
		communes: await listCommunes(DEFAULT_PROVINCE, lng),
		defaults: {
			fullName: details.fullName,
			birthYear: details.birthYear ? String(details.birthYear) : '',
			sex: details.sex ?? '',
			provinceCode: DEFAULT_PROVINCE,
			learnerGroup: 'RESIDENT',
		},
	}
}

async function signedInDetails(request: Request) {
	const user = await requireUser(request)
	if (user.communeCode) throw redirect('/me')
	return prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { fullName: true, birthYear: true, sex: true } })
}

function pendingDetails(claims: VneidClaims) {
	return { fullName: claims.name && claims.name.trim().length >= 2 ? claims.name.trim() : '', birthYear: claims.birthYear ?? null, sex: claims.sex ?? null }
}

export async function action({ request }: ActionFunctionArgs) {
	const pending = await readPendingSignIn(request)
	const user = pending ? null : await requireUser(request)
	if (user?.communeCode) throw redirect('/me')
	const lng = await getLng(request)
	const form = await readFormData(request)
	const province = String(form.get('provinceCode') ?? '')
	const communes = (await isProvinceCode(province)) ? await listCommunes(province, lng) : undefined
	if (form.get('intent') === 'choose-province') return data({ result: echoForm(form), communes })
	const submission = parseWithZod(form, { schema: CompleteProfileSchema })
	if (submission.status !== 'success') return data({ result: submission.reply(), communes }, { status: 400 })
	try {
		const { consent: _agreed, ...profile } = submission.value
		if (user) {
			await completeProfile(user.id, profile)
			return redirect('/me')
		}
		const userId = await createVneidAccount({ pendingId: pending!.id, profile })
		const clear = await clearPendingCookie()
		if (!userId) return redirect('/login?vneid=expired', { headers: { 'Set-Cookie': clear } })
		const response = await signInAndRedirect(request, userId, '/me')
		response.headers.append('Set-Cookie', clear)
		return response
	} catch (error) {
		if (isDomainError(error)) return data({ result: submission.reply(replyOptions(error)), communes }, { status: 400 })
		throw error
	}
}

export default function CompleteProfile() {
	const { t } = useTranslation()
	const loaderData = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const [form, fields] = useForm<z.input<typeof CompleteProfileSchema>>({ id: 'complete', lastResult: actionData?.result, defaultValue: loaderData.defaults })
	return (
		<div>
			<h1>{t('auth:vneid.completeTitle')}</h1>
			<p className="lead">{t('auth:vneid.completeLead')}</p>
			<Form method="post" {...getFormProps(form)} noValidate>
				<FormErrors form={form} fields={fields}>
					<ProfileFields fields={fields} provinces={loaderData.provinces} communes={actionData?.communes ?? loaderData.communes} lng={loaderData.lng} />
					<NoticeSummary />
					<CheckboxField label={t('privacy:consent.learning')} meta={fields.consent} />
					<p>
						<button type="submit">{t('auth:vneid.completeSubmit')}</button>
					</p>
				</FormErrors>
			</Form>
		</div>
	)
}
