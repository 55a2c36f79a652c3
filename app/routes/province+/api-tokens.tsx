import { replyOptions } from '#app/utils/errors.server.ts'
import { isDomainError } from '#app/kernel/errors.ts'
import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type z } from 'zod'
import { Field, FormError, SelectField } from '#app/components/forms.tsx'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { CreateApiTokenSchema, RevokeApiTokenSchema } from '#app/features/api/api-token.schema.ts'
import { createApiToken, listApiTokens, revokeApiToken } from '#app/features/api/api-token.server.ts'
import { listProvincesInScope } from '#app/modules/units/units.server.ts'
import { requireProvinceLevel } from '#app/utils/auth.server.ts'
import { formatDate } from '#app/kernel/format.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { env } from '#app/utils/env.server.ts'

/**
 * Province officers (and administrators) create, list and revoke the API tokens other systems use
 * to read their province's indicators (GET /api/v1/indicators). A new token is shown once.
 */
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'province:api.title')
export const handle = { hydrate: true }

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireProvinceLevel(request)
	const lng = await getLng(request)
	const provinces = await listProvincesInScope(user.scope, lng)
	const names = new Map(provinces.map((p) => [p.value, p.label]))
	const tokens = await listApiTokens(user.scope)
	// The confirm step (?revoke=<id>): a GET page with the one button that revokes, so it works without JavaScript.
	const asked = new URL(request.url).searchParams.get('revoke')
	const confirm = asked ? tokens.find((t) => t.id === asked && !t.revokedAt) : undefined
	return {
		confirmRevoke: confirm ? { id: confirm.id, name: confirm.name } : null,
		provinces,
		origin: env.APP_ORIGIN,
		tokens: tokens.map((t) => ({
			id: t.id,
			name: t.name,
			province: names.get(t.provinceCode) ?? t.provinceCode,
			createdAt: formatDate(t.createdAt, lng),
			createdBy: t.createdByName,
			lastUsedAt: t.lastUsedAt ? formatDate(t.lastUsedAt, lng) : null,
			revokedAt: t.revokedAt ? formatDate(t.revokedAt, lng) : null,
		})),
	}
}

type ActionResult = { result?: SubmissionResult<string[]>; created?: { name: string; token: string }; revoked?: string; message?: string }

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireProvinceLevel(request)
	const form = await readFormData(request, { maxBytes: 4 * 1024 })
	if (form.get('intent') === 'revoke') {
		const submission = parseWithZod(form, { schema: RevokeApiTokenSchema })
		if (submission.status !== 'success') {
			const confirmOnly = Object.keys(submission.error ?? {}).every((field) => field === 'confirmed')
			return data<ActionResult>({ message: confirmOnly ? 'province:api.errors.confirmFirst' : 'province:api.errors.tokenUnknown' }, { status: 400 })
		}
		try {
			const { name } = await revokeApiToken({ scope: user.scope, actorId: user.id, tokenId: submission.value.tokenId })
			return data<ActionResult>({ revoked: name })
		} catch (error) {
			if (isDomainError(error)) return data<ActionResult>({ message: error.key }, { status: 404 })
			throw error
		}
	}
	const submission = parseWithZod(form, { schema: CreateApiTokenSchema })
	if (submission.status !== 'success') return data<ActionResult>({ result: submission.reply() }, { status: 400 })
	try {
		const { token } = await createApiToken({ scope: user.scope, actorId: user.id, ...submission.value })
		return data<ActionResult>({ result: submission.reply({ resetForm: true }), created: { name: submission.value.name, token } })
	} catch (error) {
		if (isDomainError(error)) return data<ActionResult>({ result: submission.reply(replyOptions(error)) }, { status: 400 })
		throw error
	}
}

export default function ApiTokens() {
	const { t } = useTranslation()
	const { provinces, tokens, origin, confirmRevoke } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const [form, fields] = useForm<z.input<typeof CreateApiTokenSchema>>({
		id: 'create-token',
		lastResult: actionData?.result,
		defaultValue: { provinceCode: provinces.length === 1 ? provinces[0]!.value : undefined },
		onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateApiTokenSchema }),
		shouldRevalidate: 'onBlur',
	})
	const created = actionData?.created
	return (
		<div>
			<h1>{t('province:api.title')}</h1>
			<p>{t('province:api.lead')}</p>
			<p>
				<a href="/api/v1/openapi.json">{t('province:api.docs')}</a>
			</p>
			{created ? (
				<div className="notice" role="status">
					<p>{t('province:api.created', { name: created.name })}</p>
					<p>
						<label htmlFor="new-token">{t('province:api.tokenLabel')}</label>
						<br />
						<input
							id="new-token"
							className="token-once"
							readOnly
							value={created.token}
							size={40}
							spellCheck={false}
							autoComplete="off"
							aria-describedby="token-once"
							onFocus={(e) => e.currentTarget.select()}
						/>
					</p>
					<p className="hint" id="token-once">
						{t('province:api.onceNote')}
					</p>
					<CopyButton value={created.token} />
					<p>{t('province:api.usage')}</p>
					<pre>
						<code>{`curl -H "Authorization: Bearer ${created.token}" \\\n  "${origin}/api/v1/indicators?year=${new Date().getFullYear()}&granularity=month"`}</code>
					</pre>
				</div>
			) : null}
			{actionData?.revoked ? (
				<p className="notice" role="status">
					{t('province:api.revoked', { name: actionData.revoked })}
				</p>
			) : null}
			{actionData?.message ? (
				<p className="form-error" role="alert">
					{t(actionData.message)}
				</p>
			) : null}

			<h2 id="token-table">{t('province:api.list')}</h2>
			{confirmRevoke ? (
				<Form method="post" className="confirm-box" aria-labelledby="confirm-revoke" action="/province/api-tokens">
					<p id="confirm-revoke">
						<strong>{t('province:api.confirmRevoke', { name: confirmRevoke.name })}</strong>
					</p>
					<input type="hidden" name="intent" value="revoke" />
					<input type="hidden" name="tokenId" value={confirmRevoke.id} />
					<button type="submit" name="confirmed" value="yes" className="danger">
						{t('province:api.confirmRevokeYes')}
					</button>{' '}
					<Link to="/province/api-tokens">{t('province:api.cancel')}</Link>
				</Form>
			) : null}
			{tokens.length ? (
				<TableScroll labelledBy="token-table">
					<table aria-labelledby="token-table">
						<thead>
							<tr>
								<th scope="col">{t('province:api.columns.name')}</th>
								<th scope="col">{t('province:api.columns.province')}</th>
								<th scope="col">{t('province:api.columns.created')}</th>
								<th scope="col">{t('province:api.columns.lastUsed')}</th>
								<th scope="col">{t('province:api.columns.status')}</th>
							</tr>
						</thead>
						<tbody>
							{tokens.map((token) => (
								<tr key={token.id}>
									<th scope="row">{token.name}</th>
									<td>{token.province}</td>
									<td>
										{token.createdAt}
										{token.createdBy ? (
											<>
												<br />
												<span className="hint">{token.createdBy}</span>
											</>
										) : null}
									</td>
									<td>{token.lastUsedAt ?? t('province:api.neverUsed')}</td>
									<td>
										{token.revokedAt ? (
											t('province:api.revokedOn', { date: token.revokedAt })
										) : (
											<>
												{t('province:api.active')}{' '}
												<Link
													className="button secondary"
													to={`/province/api-tokens?revoke=${encodeURIComponent(token.id)}#confirm-revoke`}
													aria-label={t('province:api.revokeNamed', { name: token.name })}
												>
													{t('province:api.revoke')}
												</Link>
											</>
										)}
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</TableScroll>
			) : (
				<p>{t('province:api.none')}</p>
			)}

			<h2>{t('province:api.create')}</h2>
			<Form method="post" {...getFormProps(form)} noValidate>
				<input type="hidden" name="intent" value="create" />
				<FormError errors={form.errors} />
				<Field label={t('province:api.name')} hint={t('province:api.nameHint')} meta={fields.name} maxLength={80} autoComplete="off" />
				<SelectField
					label={t('province:api.province')}
					meta={fields.provinceCode}
					options={provinces}
					placeholder={provinces.length === 1 ? undefined : t('province:api.chooseProvince')}
				/>
				<p>
					<button type="submit">{t('province:api.createSubmit')}</button>
				</p>
			</Form>
		</div>
	)
}

/**
 * Copies the new token (JavaScript only: rendered after hydration, so a page without JavaScript
 * shows no button that does nothing; the selectable box and its note serve there).
 */
function CopyButton({ value }: { value: string }) {
	const { t } = useTranslation()
	const [ready, setReady] = useState(false)
	const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
	useEffect(() => setReady(true), [])
	if (!ready) return null
	return (
		<p>
			<button
				type="button"
				className="secondary"
				onClick={() => {
					const copy = navigator.clipboard?.writeText(value)
					if (!copy) return setState('failed')
					copy.then(
						() => setState('copied'),
						() => setState('failed'),
					)
				}}
			>
				{t('province:api.copy')}
			</button>{' '}
			<span className="copy-status" role="status">
				{state === 'copied' ? t('province:api.copied') : state === 'failed' ? t('province:api.copyFailed') : ''}
			</span>
		</p>
	)
}
