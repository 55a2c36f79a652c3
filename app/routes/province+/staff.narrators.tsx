import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { isDomainError } from '#app/kernel/errors.ts'
import { maskPhone } from '#app/modules/people/phone.ts'
import { communeName, listAllCommunesInScope, listProvincesInScope, provinceName } from '#app/modules/units/units.server.ts'
import { GrantSchema } from '#app/modules/voice/voice.schema.ts'
import { grantNarrator, listNarrators, revokeNarrator } from '#app/modules/voice/voice.server.ts'
import { requireProvinceLevel } from '#app/utils/auth.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'voice:narrators.title')

/** Province officers let people of their communes narrate lessons (issue #23), and take it back. Audited. */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireProvinceLevel(request)
	const lng = await getLng(request)
	const rows = await listNarrators(user.scope)
	return {
		provinces: await listProvincesInScope(user.scope, lng),
		communes: (await listAllCommunesInScope(user.scope, lng)) ?? [],
		narrators: await Promise.all(
			rows.map(async (r) => ({
				id: r.id,
				fullName: r.fullName,
				phone: r.phone ? maskPhone(r.phone) : '',
				place: r.communeCode ? await communeName(r.communeCode, lng) : await provinceName(r.provinceCode, lng),
				recordings: r.recordings,
			})),
		),
	}
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireProvinceLevel(request)
	const form = await readFormData(request)
	try {
		if (form.get('intent') === 'revoke') {
			const grantId = form.get('grantId')
			if (typeof grantId !== 'string' || grantId.length > 40) return data({ error: 'common:errors.badInput' }, { status: 400 })
			await revokeNarrator({ scope: user.scope, actorId: user.id, grantId })
			return redirect('/province/staff/narrators?revoked=1')
		}
		const parsed = GrantSchema.safeParse({ phone: form.get('phone'), provinceCode: form.get('provinceCode'), communeCode: form.get('communeCode') ?? '' })
		if (!parsed.success) return data({ error: parsed.error.issues[0]?.message ?? 'common:errors.badInput' }, { status: 400 })
		await grantNarrator({ scope: user.scope, actorId: user.id, ...parsed.data })
		return redirect('/province/staff/narrators?granted=1')
	} catch (error) {
		if (isDomainError(error)) return data({ error: error.key }, { status: error.status })
		throw error
	}
}

export default function Narrators() {
	const { t } = useTranslation()
	const d = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	return (
		<div>
			<p className="breadcrumb">
				<a href="/province/staff">{t('auth:staffAdmin.title')}</a>
			</p>
			<h1>{t('voice:narrators.title')}</h1>
			<p>{t('voice:narrators.lead')}</p>
			{actionData?.error ? (
				<div className="form-error" role="alert">
					{t(actionData.error)}
				</div>
			) : null}
			{d.narrators.length ? (
				<table>
					<thead>
						<tr>
							<th>{t('auth:fields.fullName')}</th>
							<th>{t('voice:narrators.place')}</th>
							<th>{t('voice:narrators.recordings')}</th>
							<th />
						</tr>
					</thead>
					<tbody>
						{d.narrators.map((n) => (
							<tr key={n.id}>
								<td>
									{n.fullName}
									<br />
									<span className="hint">{n.phone}</span>
								</td>
								<td>{n.place}</td>
								<td>{n.recordings}</td>
								<td>
									<form method="post">
										<input type="hidden" name="intent" value="revoke" />
										<input type="hidden" name="grantId" value={n.id} />
										<button type="submit" className="secondary">
											{t('voice:narrators.revoke')}
										</button>
									</form>
								</td>
							</tr>
						))}
					</tbody>
				</table>
			) : (
				<p className="hint">{t('voice:narrators.none')}</p>
			)}
			<h2>{t('voice:narrators.grant')}</h2>
			<form method="post">
				<div className="field">
					<label htmlFor="phone">{t('auth:fields.phone')}</label>
					<input id="phone" name="phone" type="tel" inputMode="tel" maxLength={20} required />
				</div>
				<div className="field">
					<label htmlFor="provinceCode">{t('auth:fields.province')}</label>
					<select id="provinceCode" name="provinceCode">
						{d.provinces.map((p) => (
							<option key={p.value} value={p.value}>
								{p.label}
							</option>
						))}
					</select>
				</div>
				<div className="field">
					<label htmlFor="communeCode">{t('auth:fields.commune')}</label>
					<select id="communeCode" name="communeCode" defaultValue="">
						<option value="">{t('voice:narrators.wholeProvince')}</option>
						{d.communes.map((c) => (
							<option key={c.value} value={c.value}>
								{c.label}
							</option>
						))}
					</select>
				</div>
				<p>
					<button type="submit">{t('voice:narrators.grantSubmit')}</button>
				</p>
			</form>
		</div>
	)
}
