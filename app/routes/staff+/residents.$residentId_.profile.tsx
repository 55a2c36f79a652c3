import { replyOptions } from '#app/utils/errors.server.ts'
import { isDomainError } from '#app/kernel/errors.ts'
import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { type z } from 'zod'
import { CheckboxField, FormError } from '#app/components/forms.tsx'
import { ProfileFields } from '#app/components/profile-fields.tsx'
import { StaffCorrectionSchema } from '#app/modules/people/people.schema.ts'
import { correctProfile, getProfile, profileFormDefaults } from '#app/modules/people/profile.server.ts'
import { requireResidentRecord } from '#app/features/workspace/resident-record.server.ts'
import { getResidentInScope } from '#app/modules/people/residents.server.ts'
import { isProvinceCode, listCommunes, listProvinces } from '#app/modules/units/units.server.ts'
import { notFound, requireStaff } from '#app/utils/auth.server.ts'
import { echoForm, readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

/**
 * Staff of the resident's commune (or their province's officers) correct the resident's details at
 * the resident's request (ADR 018), recorded before/after in the audit log as `resident.update`.
 * Moving the resident to another commune is allowed (they moved): see docs/indicators.md.
 */
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'privacy:staffProfile.link')

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireStaff(request)
	const resident = await requireResidentRecord(user, params.residentId)
	const profile = await getProfile(resident.id)
	if (!profile) throw notFound()
	const lng = await getLng(request)
	return {
		lng,
		residentId: resident.id,
		name: profile.fullName,
		provinces: await listProvinces(lng),
		communes: await listCommunes(profile.provinceCode ?? '', lng),
		defaults: profileFormDefaults(profile),
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireStaff(request)
	const resident = await requireResidentRecord(user, params.residentId)
	const lng = await getLng(request)
	const form = await readFormData(request)
	const province = String(form.get('provinceCode') ?? '')
	const communes = (await isProvinceCode(province)) ? await listCommunes(province, lng) : undefined
	if (form.get('intent') === 'choose-province') return data({ result: echoForm(form), communes })
	const submission = parseWithZod(form, { schema: StaffCorrectionSchema })
	if (submission.status !== 'success') return data({ result: submission.reply(), communes }, { status: 400 })
	const { requested: _asked, ...profile } = submission.value
	try {
		const { moved } = await correctProfile({ userId: resident.id, profile, by: { kind: 'staff', staffId: user.id } })
		// A resident moved out of this staff member's communes is no longer theirs to see.
		if (moved && !(await getResidentInScope(user.scope, resident.id))) return redirect('/staff/residents?moved=1')
	} catch (error) {
		if (isDomainError(error)) return data({ result: submission.reply(replyOptions(error)), communes }, { status: 400 })
		throw error
	}
	return redirect(`/staff/residents/${resident.id}?corrected=1`)
}

export default function CorrectResident() {
	const { t } = useTranslation()
	const loaderData = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const [form, fields] = useForm<z.input<typeof StaffCorrectionSchema>>({
		id: 'correct-resident',
		lastResult: actionData?.result,
		defaultValue: loaderData.defaults,
		shouldRevalidate: 'onBlur',
	})
	return (
		<div>
			<h1>{t('privacy:staffProfile.title', { name: loaderData.name })}</h1>
			<p className="lead">{t('privacy:staffProfile.lead')}</p>
			<Form method="post" {...getFormProps(form)} noValidate>
				<FormError errors={form.errors} />
				<ProfileFields
					fields={fields}
					provinces={loaderData.provinces}
					communes={actionData?.communes ?? loaderData.communes}
					lng={loaderData.lng}
					audience="staff"
				/>
				<p className="hint">{t('privacy:staffProfile.moveHint')}</p>
				<CheckboxField label={t('privacy:staffProfile.requested')} meta={fields.requested} />
				<p>
					<button type="submit">{t('privacy:staffProfile.save')}</button>
				</p>
			</Form>
			<p>
				<Link to={`/staff/residents/${loaderData.residentId}`}>{loaderData.name}</Link>
			</p>
		</div>
	)
}
