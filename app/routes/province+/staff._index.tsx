import { replyOptions } from '#app/utils/errors.server.ts'
import { isDomainError } from '#app/kernel/errors.ts'
import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { type z } from 'zod'
import { Field, FormError, SelectField } from '#app/components/forms.tsx'
import { formatSetupCode } from '#app/modules/people/setup-code.server.ts'
import { maskPhone } from '#app/modules/people/phone.ts'
import { AppointStaffSchema } from '#app/modules/people/staff.schema.ts'
import { appointStaff, listStaff } from '#app/modules/people/staff.server.ts'
import { isAdmin } from '#app/kernel/scope.ts'
import { communeName, provinceName, listAllCommunesInScope, listProvinces } from '#app/modules/units/units.server.ts'
import { requireProvinceLevel } from '#app/utils/auth.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'auth:staffAdmin.title')
export const handle = { hydrate: true }

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireProvinceLevel(request)
	const lng = await getLng(request)
	const staff = await listStaff(user.scope)
	// An administrator picks a province first; an officer sees the communes of their provinces.
	const communes = isAdmin(user.scope) ? [] : ((await listAllCommunesInScope(user.scope, lng)) ?? [])
	return {
		admin: isAdmin(user.scope),
		provinces: isAdmin(user.scope) ? await listProvinces(lng) : [],
		communes,
		staff: await Promise.all(
			staff.map(async (s) => ({
				id: s.id,
				fullName: s.fullName,
				phone: s.phone ? maskPhone(s.phone) : '',
				active: Boolean(s.passwordHash),
				roles: await Promise.all(
					s.roles.map(async (r) => ({ role: r.role, unit: r.communeCode ? await communeName(r.communeCode, lng) : await provinceName(r.provinceCode, lng) })),
				),
			})),
		),
	}
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireProvinceLevel(request)
	const form = await readFormData(request)
	const submission = parseWithZod(form, { schema: AppointStaffSchema })
	if (submission.status !== 'success') return data({ result: submission.reply(), setupCode: null }, { status: 400 })
	try {
		const { setupCode } = await appointStaff({ scope: user.scope, actorId: user.id, ...submission.value })
		return data({ result: submission.reply({ resetForm: true }), setupCode: setupCode ? formatSetupCode(setupCode) : null })
	} catch (error) {
		if (isDomainError(error)) return data({ result: submission.reply(replyOptions(error)), setupCode: null }, { status: 400 })
		throw error
	}
}

export default function StaffAdmin() {
	const { t } = useTranslation()
	const loaderData = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const [form, fields] = useForm<z.input<typeof AppointStaffSchema>>({ id: 'appoint', lastResult: actionData?.result, defaultValue: { role: 'COMMUNE_STAFF' } })
	return (
		<div>
			<h1>{t('auth:staffAdmin.title')}</h1>
			<p>
				<Link to="/province/staff/narrators">{t('voice:narrators.title')}</Link>
			</p>
			{actionData?.setupCode ? (
				<p className="notice" role="status">
					{t('auth:staffAdmin.created', { code: actionData.setupCode })}
				</p>
			) : null}
			<table>
				<thead>
					<tr>
						<th>{t('auth:fields.fullName')}</th>
						<th>{t('auth:staffAdmin.assignments')}</th>
					</tr>
				</thead>
				<tbody>
					{loaderData.staff.map((s) => (
						<tr key={s.id}>
							<td>
								<Link to={s.id}>{s.fullName}</Link>
								<br />
								<span className="hint">
									{s.phone} {s.active ? '' : `· ${t('auth:staffAdmin.notActivated')}`}
								</span>
							</td>
							<td>
								{s.roles.map((r, i) => (
									<div key={i}>
										{t(`auth:staffAdmin.roles.${r.role}`)}: {r.unit}
									</div>
								))}
							</td>
						</tr>
					))}
				</tbody>
			</table>
			<h2>{t('auth:staffAdmin.appoint')}</h2>
			<Form method="post" {...getFormProps(form)} noValidate>
				<FormError errors={form.errors} />
				<Field label={t('auth:fields.phone')} meta={fields.phone} type="tel" inputMode="tel" maxLength={20} />
				<Field label={t('auth:fields.fullName')} meta={fields.fullName} maxLength={100} />
				{loaderData.admin ? (
					<>
						<SelectField
							label={t('auth:staffAdmin.role')}
							meta={fields.role}
							options={(['COMMUNE_STAFF', 'PROVINCE_OFFICER'] as const).map((r) => ({ value: r, label: t(`auth:staffAdmin.roles.${r}`) }))}
						/>
						<SelectField label={t('auth:fields.province')} meta={fields.provinceCode} options={loaderData.provinces} placeholder={t('auth:fields.choose')} />
						<Field label={t('auth:staffAdmin.communeCode')} meta={fields.communeCode} inputMode="numeric" maxLength={5} />
					</>
				) : (
					<>
						<input type="hidden" name="role" value="COMMUNE_STAFF" />
						<SelectField label={t('auth:fields.commune')} meta={fields.communeCode} options={loaderData.communes} placeholder={t('auth:fields.choose')} />
					</>
				)}
				<p>
					<button type="submit">{t('auth:staffAdmin.appointSubmit')}</button>
				</p>
			</Form>
		</div>
	)
}
