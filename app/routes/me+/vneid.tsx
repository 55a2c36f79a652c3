import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { pinKeyboard } from '#app/components/forms.tsx'
import { z } from 'zod'
import { confirmSecretForVneidLink, startVneidSignIn, vneidEnabled, vneidRefusal } from '#app/modules/people/vneid.server.ts'
import { clientIp, notFound, requireUser } from '#app/utils/auth.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { readSessionToken } from '#app/utils/session.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'auth:vneid.linkTitle')

const ConfirmSchema = z.object({ secret: z.string().min(1).max(128) })

/** "Liên kết VNeID": a signed-in person links VNeID to their account after entering their secret again. */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	if (!vneidEnabled()) throw notFound()
	const { vneidSubject } = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { vneidSubject: true } })
	const params = new URL(request.url).searchParams
	return {
		linked: Boolean(vneidSubject),
		justLinked: params.get('linked') === '1' && Boolean(vneidSubject),
		refusal: vneidRefusal(params.get('vneid')),
		// A resident confirms with their PIN: the number keyboard (pinKeyboard).
		pin: user.credentialKind === 'PIN',
	}
}

export async function action({ request, context }: ActionFunctionArgs) {
	const user = await requireUser(request)
	if (!vneidEnabled()) throw notFound()
	const parsed = ConfirmSchema.safeParse(Object.fromEntries(await readFormData(request)))
	if (!parsed.success) return data({ message: 'auth:errors.secretRequired' }, { status: 400 })
	const token = await readSessionToken(request)
	const result = token ? await confirmSecretForVneidLink({ sessionToken: token, userId: user.id, secret: parsed.data.secret, ip: clientIp(context) }) : 'wrong'
	if (result === 'tooMany') return data({ message: 'auth:vneid.tooMany' }, { status: 429 })
	if (result === 'wrong') return data({ message: 'auth:vneid.wrongSecret' }, { status: 400 })
	try {
		const { url, cookie } = await startVneidSignIn(request, { link: true })
		return redirect(url, { headers: { 'Set-Cookie': cookie } })
	} catch (error) {
		console.error('VNeID discovery failed:', (error as Error).message)
		return data({ message: 'auth:errors.vneidFailed' }, { status: 503 })
	}
}

export default function LinkVneid() {
	const { t } = useTranslation()
	const { linked, justLinked, refusal, pin } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	return (
		<div>
			<h1>{t('auth:vneid.linkTitle')}</h1>
			{justLinked ? (
				<p className="notice" role="status">
					{t('auth:vneid.linkedNow')}
				</p>
			) : null}
			{refusal ? (
				<p className="form-error" role="alert">
					{t(refusal)}
				</p>
			) : null}
			{linked ? (
				<p>{t('auth:vneid.linkedAlready')}</p>
			) : (
				<>
					<p>{t('auth:vneid.linkLead')}</p>
					{result ? (
						<p className="form-error" role="alert">
							{t(result.message)}
						</p>
					) : null}
					<Form method="post">
						<label htmlFor="secret">{t('auth:fields.secret')}</label>
						<input id="secret" name="secret" type="password" autoComplete="current-password" required maxLength={128} {...pinKeyboard(pin)} />
						<p>
							<button type="submit">{t('auth:vneid.linkSubmit')}</button>
						</p>
					</Form>
				</>
			)}
		</div>
	)
}
