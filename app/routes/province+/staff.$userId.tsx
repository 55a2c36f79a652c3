import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { maskPhone } from '#app/modules/people/phone.ts'
import { formatSetupCode } from '#app/modules/people/setup-code.server.ts'
import { getStaffMember, resetStaffSecret, revokeAssignment, setPersonalDataExport } from '#app/modules/people/staff.server.ts'
import { communeName, provinceName } from '#app/modules/units/units.server.ts'
import { isAdmin } from '#app/kernel/scope.ts'
import { notFound, requireProvinceLevel } from '#app/utils/auth.server.ts'
import { badRequest, readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { titled } from '#app/utils/title.ts'

export const handle = { hydrate: true }

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
	data ? [{ title: titled(data.fullName) }] : pageTitle(matches, 'auth:staffAdmin.title')

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireProvinceLevel(request)
	const member = await getStaffMember(user.scope, params.userId ?? '')
	if (!member) throw notFound()
	const lng = await getLng(request)
	return {
		fullName: member.fullName,
		phone: member.phone ? maskPhone(member.phone) : '',
		canRevokeOfficers: isAdmin(user.scope),
		roles: await Promise.all(
			member.roles.map(async (r) => ({
				id: r.id,
				role: r.role,
				unit: r.communeCode ? await communeName(r.communeCode, lng) : await provinceName(r.provinceCode, lng),
				personalDataExport: r.personalDataExport,
			})),
		),
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireProvinceLevel(request)
	const member = await getStaffMember(user.scope, params.userId ?? '')
	if (!member) throw notFound()
	const form = await readFormData(request)
	if (form.get('intent') === 'reset-secret') {
		// Administrators only, and never another administrator's (that is `npm run admin:reset`).
		const reset = await resetStaffSecret({ scope: user.scope, actorId: user.id, userId: member.id })
		if (!reset) return data({ message: 'auth:staffAdmin.actionNotAllowed', code: null }, { status: 403 })
		return data({ message: null, code: formatSetupCode(reset.code) })
	}
	const assignmentId = form.get('assignmentId')
	if (typeof assignmentId !== 'string' || !member.roles.some((r) => r.id === assignmentId)) throw badRequest('common:errors.badInput')
	const intent = form.get('intent')
	if (intent === 'personal-data-grant' || intent === 'personal-data-revoke') {
		// Administrators only: a province officer cannot give themselves or a colleague the residents lists.
		const done = await setPersonalDataExport({ scope: user.scope, actorId: user.id, assignmentId, allowed: intent === 'personal-data-grant' })
		if (!done) return data({ message: 'auth:staffAdmin.actionNotAllowed' }, { status: 403 })
		return redirect(`/province/staff/${member.id}`)
	}
	const ok = await revokeAssignment({ scope: user.scope, actorId: user.id, assignmentId })
	if (!ok) return data({ message: 'auth:staffAdmin.actionNotAllowed' }, { status: 403 })
	return redirect(`/province/staff/${member.id}`)
}

export default function StaffMember() {
	const { t } = useTranslation()
	const m = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	return (
		<div>
			<p>
				<Link to="/province/staff">← {t('auth:staffAdmin.title')}</Link>
			</p>
			<h1>{m.fullName}</h1>
			<p className="hint">{m.phone}</p>
			<ul>
				{m.roles.map((r) => (
					<li key={r.id}>
						{t(`auth:staffAdmin.roles.${r.role}`)}: {r.unit}
						{r.role === 'COMMUNE_STAFF' || m.canRevokeOfficers ? (
							<Form method="post" style={{ display: 'inline' }}>
								<input type="hidden" name="assignmentId" value={r.id} />{' '}
								<button type="submit" className="secondary">
									{t('auth:staffAdmin.revoke')}
								</button>
							</Form>
						) : null}
						{r.role === 'PROVINCE_OFFICER' && r.personalDataExport ? <> ({t('auth:staffAdmin.personalDataAllowed')})</> : null}
						{r.role === 'PROVINCE_OFFICER' && m.canRevokeOfficers ? (
							<Form method="post" style={{ display: 'inline' }}>
								<input type="hidden" name="assignmentId" value={r.id} />
								<input type="hidden" name="intent" value={r.personalDataExport ? 'personal-data-revoke' : 'personal-data-grant'} />{' '}
								<button type="submit" className="secondary">
									{t(r.personalDataExport ? 'auth:staffAdmin.personalDataRevoke' : 'auth:staffAdmin.personalDataGrant')}
								</button>
							</Form>
						) : null}
					</li>
				))}
			</ul>
			{m.canRevokeOfficers ? (
				<Form method="post">
					<input type="hidden" name="intent" value="reset-secret" />
					<p className="hint">{t('auth:staffAdmin.resetSecretHint')}</p>
					<button type="submit" className="secondary">
						{t('auth:staffAdmin.resetSecret')}
					</button>
				</Form>
			) : null}
			{result && 'code' in result && result.code ? (
				<p role="status">{t('auth:staffAdmin.resetSecretDone', { code: result.code })}</p>
			) : result?.message ? (
				<p role="alert">{t(result.message)}</p>
			) : null}
		</div>
	)
}
