import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { revokeCertificate } from '#app/modules/certificate/certificate.server.ts'
import { requireProvinceLevel } from '#app/utils/auth.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { freeText } from '#app/utils/input.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'learning:certificate.revoke')

const RevokeSchema = z.object({
	code: z.string().trim().toUpperCase().regex(/^[A-Z2-9]{10}$/),
	reason: freeText({ min: 3, max: 300, multiline: true, punctuation: ".,-'/():;!?", messages: { tooShort: 'learning:certificate.reasonRequired', tooLong: 'learning:certificate.reasonRequired', invalid: 'learning:certificate.reasonInvalid' } }),
})

export async function loader({ request }: LoaderFunctionArgs) {
	await requireProvinceLevel(request)
	return null
}

/** Province officers revoke a certificate of their province, with a reason (audit-logged). */
export async function action({ request }: ActionFunctionArgs) {
	const user = await requireProvinceLevel(request)
	const parsed = RevokeSchema.safeParse(Object.fromEntries(await readFormData(request)))
	if (!parsed.success) return data({ ok: false, message: parsed.error.issues.find((i) => i.path[0] === 'reason')?.message ?? 'learning:certificate.reasonRequired' }, { status: 400 })
	const ok = await revokeCertificate({ ...parsed.data, actorId: user.id, provinceCodes: user.scope.provinceCodes, admin: user.scope.admin })
	if (!ok) return data({ ok: false, message: 'learning:certificate.notFound' }, { status: 404 })
	return data({ ok: true, message: 'learning:certificate.revoked' })
}

export default function RevokeCertificate() {
	const { t } = useTranslation()
	const result = useActionData<typeof action>()
	return (
		<div>
			<h1>{t('learning:certificate.revoke')}</h1>
			{result ? <p className={result.ok ? 'notice' : 'form-error'}>{t(result.message)}</p> : null}
			<Form method="post">
				<label htmlFor="code">{t('learning:certificate.code', { code: '' })}</label>
				<input id="code" name="code" required maxLength={12} autoCapitalize="characters" />
				<label htmlFor="reason">{t('learning:certificate.revokeReason')}</label>
				<textarea id="reason" name="reason" required maxLength={300} rows={3} />
				<p>
					<button type="submit">{t('learning:certificate.revokeSubmit')}</button>
				</p>
			</Form>
		</div>
	)
}
