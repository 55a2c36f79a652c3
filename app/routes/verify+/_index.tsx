import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => [...pageTitle(matches, 'learning:certificate.verifyTitle'), { name: 'robots', content: 'noindex' }]

const CODE = /^[A-Z2-9]{10}$/

/**
 * Public: someone holding a paper certificate types or pastes its code. A plain GET form, so it
 * works without JavaScript; a well-formed code goes to /verify/<code>. Spaces, dashes and lower
 * case are forgiven (codes are read aloud and copied from print).
 */
export async function loader({ request }: LoaderFunctionArgs) {
	const raw = new URL(request.url).searchParams.get('code')
	if (raw === null) return { error: null, code: '' }
	const code = raw.replace(/[\s-]/g, '').toUpperCase().slice(0, 40)
	if (!CODE.test(code)) return data({ error: 'learning:certificate.badCode', code: code.slice(0, 20) }, { status: 400 })
	return redirect(`/verify/${code}`)
}

export default function VerifyForm() {
	const { t } = useTranslation()
	const { error, code } = useLoaderData<typeof loader>()
	return (
		<div>
			<h1>{t('learning:certificate.verifyTitle')}</h1>
			<p>{t('learning:certificate.verifyLead')}</p>
			<Form method="get" action="/verify">
				<label htmlFor="code">{t('learning:certificate.codeLabel')}</label>
				<input
					id="code"
					name="code"
					required
					maxLength={40}
					autoCapitalize="characters"
					autoComplete="off"
					spellCheck={false}
					defaultValue={code}
					aria-invalid={error ? true : undefined}
					aria-describedby={error ? 'code-error' : undefined}
				/>
				{error ? (
					<p id="code-error" className="form-error" role="alert">
						{t(error)}
					</p>
				) : null}
				<p>
					<button type="submit">{t('learning:certificate.verifySubmit')}</button>
				</p>
			</Form>
		</div>
	)
}
