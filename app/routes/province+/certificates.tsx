import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { listRevokedCertificates, revokeCertificate } from '#app/modules/certificate/certificate.server.ts'
import { REVOCATION_REASONS } from '#app/modules/certificate/revocation.ts'
import { getCourseById } from '#app/modules/course/course.server.ts'
import { requireProvinceLevel } from '#app/utils/auth.server.ts'
import { formatDate } from '#app/kernel/format.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { freeText } from '#app/utils/input.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'learning:certificate.revoke')

const RevokeSchema = z.object({
	code: z
		.string()
		.trim()
		.toUpperCase()
		.regex(/^[A-Z2-9]{10}$/),
	reason: z.enum(REVOCATION_REASONS),
	note: freeText({
		min: 0,
		max: 300,
		multiline: true,
		punctuation: ".,-'/():;!?",
		messages: {
			tooShort: 'learning:certificate.reasonRequired',
			tooLong: 'learning:certificate.reasonRequired',
			invalid: 'learning:certificate.reasonInvalid',
		},
	}).optional(),
})

/** The revocation form, and the province's revoked certificates with their internal notes. */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireProvinceLevel(request)
	const lng = await getLng(request)
	const revoked = await listRevokedCertificates(user.scope)
	return {
		revoked: revoked.map((c) => ({
			code: c.code,
			course: getCourseById(c.courseId)?.title[lng] ?? c.courseId,
			communeCode: c.communeCode,
			date: c.revokedAt ? formatDate(c.revokedAt, lng) : '',
			reason: c.revocationReason ?? 'OTHER',
			note: c.revokedNote,
		})),
	}
}

/** Province officers revoke a certificate of their province, with a reason from the list (audit-logged). */
export async function action({ request }: ActionFunctionArgs) {
	const user = await requireProvinceLevel(request)
	const parsed = RevokeSchema.safeParse(Object.fromEntries(await readFormData(request)))
	if (!parsed.success)
		return data(
			{ ok: false, message: parsed.error.issues.find((i) => i.path[0] === 'note')?.message ?? 'learning:certificate.reasonRequired' },
			{ status: 400 },
		)
	const ok = await revokeCertificate({ ...parsed.data, actorId: user.id, scope: user.scope })
	if (!ok) return data({ ok: false, message: 'learning:certificate.notFound' }, { status: 404 })
	// The confirmation names the certificate revoked (issue #17 item 6: "say what was saved").
	return data({ ok: true, message: 'learning:certificate.revokedDone', code: parsed.data.code })
}

export default function RevokeCertificate() {
	const { t } = useTranslation()
	const { revoked } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	return (
		<div>
			<h1>{t('learning:certificate.revoke')}</h1>
			{result ? (
				<p className={result.ok ? 'notice' : 'form-error'} role={result.ok ? 'status' : 'alert'}>
					{t(result.message, { code: 'code' in result ? result.code : '' })}
				</p>
			) : null}
			<Form method="post">
				<label htmlFor="code">{t('learning:certificate.code', { code: '' })}</label>
				<input id="code" name="code" required maxLength={12} autoCapitalize="characters" />
				<label htmlFor="reason">{t('learning:certificate.revokeReason')}</label>
				<select id="reason" name="reason" required defaultValue="">
					<option value="" disabled>
						{t('learning:certificate.chooseReason')}
					</option>
					{REVOCATION_REASONS.map((r) => (
						<option key={r} value={r}>
							{t(`learning:certificate.reasons.${r}`)}
						</option>
					))}
				</select>
				<label htmlFor="note">{t('learning:certificate.revokeNote')}</label>
				<textarea id="note" name="note" maxLength={300} rows={3} aria-describedby="note-hint" />
				<p id="note-hint" className="hint">
					{t('learning:certificate.revokeNoteHint')}
				</p>
				<p>
					<button type="submit">{t('learning:certificate.revokeSubmit')}</button>
				</p>
			</Form>
			<h2>{t('learning:certificate.revokedList')}</h2>
			{revoked.length === 0 ? (
				<p>{t('learning:certificate.revokedNone')}</p>
			) : (
				<table>
					<thead>
						<tr>
							<th scope="col">{t('learning:certificate.columns.code')}</th>
							<th scope="col">{t('learning:certificate.columns.course')}</th>
							<th scope="col">{t('learning:certificate.columns.date')}</th>
							<th scope="col">{t('learning:certificate.columns.reason')}</th>
							<th scope="col">{t('learning:certificate.columns.note')}</th>
						</tr>
					</thead>
					<tbody>
						{revoked.map((c) => (
							<tr key={c.code}>
								<td>{c.code}</td>
								<td>{c.course}</td>
								<td>{c.date}</td>
								<td>{t(`learning:certificate.reasons.${c.reason}`)}</td>
								<td>{c.note ?? ''}</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
		</div>
	)
}
