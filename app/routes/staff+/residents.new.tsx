import { replyOptions } from '#app/utils/errors.server.ts'
import { isDomainError } from '#app/kernel/errors.ts'
import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { type z } from 'zod'
import { CheckboxField, FormErrors, PhoneField } from '#app/components/forms.tsx'
import { NoticeSummary } from '#app/components/privacy-notice.tsx'
import { ProfileFields } from '#app/components/profile-fields.tsx'
import { AssistedRegistrationSchema as AssistedSchema } from '#app/modules/people/people.schema.ts'
import { registerOnBehalf } from '#app/modules/people/residents.server.ts'
import { getCatalogue, getCourseById } from '#app/modules/course/course.server.ts'
import { enrolOnBehalf } from '#app/features/workspace/workspace.server.ts'
import { keepSlipCode, slipPath } from '#app/features/workspace/slip-cookie.server.ts'
import { communePicker } from '#app/modules/units/units.server.ts'
import { requireStaff, type SessionUser } from '#app/utils/auth.server.ts'
import { echoForm, readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { type Lng } from '#app/utils/i18n.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'staff:register.title')

/** The communes this staff member may register residents in (a province officer: all of theirs). */
async function pickerOptions(user: SessionUser, lng: Lng, province?: string) {
	return communePicker(user.scope, lng, { wanted: province, home: user.provinceCode })
}

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireStaff(request)
	const lng = await getLng(request)
	return { lng, ...(await pickerOptions(user, lng)), courses: getCatalogue(lng).map((c) => ({ id: c.id, title: c.title })) }
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireStaff(request)
	const lng = await getLng(request)
	const form = await readFormData(request)
	const { communes } = await pickerOptions(user, lng, String(form.get('provinceCode') ?? ''))
	if (form.get('intent') === 'choose-province') return data({ result: echoForm(form), communes })
	const submission = parseWithZod(form, { schema: AssistedSchema })
	if (submission.status !== 'success') return data({ result: submission.reply(), communes }, { status: 400 })
	const { phone, courseId, noticeGiven: _given, ...profile } = submission.value
	const courseIds = (courseId ?? []).filter((id) => getCourseById(id))
	try {
		const { residentId, code, expiresAt } = await registerOnBehalf({ scope: user.scope, staffId: user.id, phone, profile })
		// Register and enrol in one step (assisted enrolment in under a minute).
		const enrolled = courseIds.length ? await enrolOnBehalf({ scope: user.scope, staffId: user.id, residentId, courseIds }) : []
		// POST → redirect → GET: the slip has its own page, which reloading keeps while the code works.
		return redirect(`${slipPath(residentId)}?registered=${enrolled.length}`, {
			headers: { 'Set-Cookie': await keepSlipCode(residentId, code, expiresAt) },
		})
	} catch (error) {
		if (isDomainError(error)) return data({ result: submission.reply(replyOptions(error)), communes }, { status: 400 })
		throw error
	}
}

export default function RegisterOnBehalf() {
	const { t } = useTranslation()
	const loaderData = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const [form, fields] = useForm<z.input<typeof AssistedSchema>>({
		id: 'assisted',
		lastResult: actionData?.result,
		defaultValue: { provinceCode: loaderData.province, learnerGroup: 'RESIDENT' },
	})
	return (
		<div>
			<h1>{t('staff:register.title')}</h1>
			<p className="lead">{t('staff:register.lead')}</p>
			<Form method="post" {...getFormProps(form)} noValidate>
				<FormErrors form={form} fields={fields}>
					<PhoneField meta={fields.phone} autoComplete="off" />
					<ProfileFields
						fields={fields}
						provinces={loaderData.provinces}
						communes={actionData?.communes ?? loaderData.communes}
						lng={loaderData.lng}
						audience="staff"
					/>
					<fieldset>
						<legend>{t('workspace:enrol.atRegistration')}</legend>
						{loaderData.courses.map((c) => (
							<label key={c.id} className="check">
								<input type="checkbox" name="courseId" value={c.id} /> {c.title}
							</label>
						))}
					</fieldset>
					<NoticeSummary audience="staff" />
					<CheckboxField label={t('privacy:consent.noticeGiven')} meta={fields.noticeGiven} />
					<p>
						<button type="submit">{t('staff:register.submit')}</button>
					</p>
				</FormErrors>
			</Form>
		</div>
	)
}
