import { replyOptions } from '#app/utils/errors.server.ts'
import { isDomainError } from '#app/kernel/errors.ts'
import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { type z } from 'zod'
import { FormErrors } from '#app/components/forms.tsx'
import { ProfileFields } from '#app/components/profile-fields.tsx'
import { listCertificatesWithOldName, reissueCertificateName } from '#app/modules/certificate/certificate.server.ts'
import { getCourseById } from '#app/modules/course/course.server.ts'
import { listConsents } from '#app/modules/people/consent.server.ts'
import { ProfileCorrectionSchema } from '#app/modules/people/people.schema.ts'
import { correctProfile, getProfile, profileFormDefaults } from '#app/modules/people/profile.server.ts'
import { isProvinceCode, listCommunes, listProvinces } from '#app/modules/units/units.server.ts'
import { requireUser } from '#app/utils/auth.server.ts'
import { echoForm, readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

/**
 * A resident corrects their own details (ADR 018): name, birth year, sex, ethnic group and its
 * consent, learner group, commune and village. Certificates keep the name they were issued with;
 * each can be reissued with the current name from here.
 */
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'privacy:profile.title')

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	if (!user.communeCode) throw redirect('/me/complete')
	const lng = await getLng(request)
	const profile = await getProfile(user.id)
	if (!profile) throw redirect('/login')
	const consents = await listConsents(user.id)
	const certificates = await listCertificatesWithOldName(user.id)
	return {
		lng,
		provinces: await listProvinces(lng),
		communes: await listCommunes(profile.provinceCode ?? '', lng),
		defaults: profileFormDefaults(profile),
		consents: consents.map((c) => ({
			id: c.id,
			purpose: c.purpose,
			version: c.noticeVersion,
			channel: c.channel,
			givenAt: c.givenAt.toISOString().slice(0, 10),
			withdrawnAt: c.withdrawnAt?.toISOString().slice(0, 10) ?? null,
		})),
		certificates: certificates.map((c) => ({
			code: c.code,
			course: getCourseById(c.courseId)?.title[lng] ?? c.courseId,
			name: c.recipientName,
			currentName: c.currentName,
		})),
	}
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireUser(request)
	if (!user.communeCode) throw redirect('/me/complete')
	const lng = await getLng(request)
	const form = await readFormData(request)
	const province = String(form.get('provinceCode') ?? '')
	const communes = (await isProvinceCode(province)) ? await listCommunes(province, lng) : undefined
	const intent = form.get('intent')
	if (intent === 'choose-province') return data({ result: echoForm(form), communes, reissued: null })
	if (intent === 'reissue') {
		const reissued = await reissueCertificateName({ userId: user.id, code: String(form.get('code') ?? '').slice(0, 40) })
		if (!reissued) return data({ result: undefined, communes, reissued: 'privacy:profile.reissueNone' }, { status: 400 })
		return redirect('/me/profile?reissued=1')
	}
	const submission = parseWithZod(form, { schema: ProfileCorrectionSchema })
	if (submission.status !== 'success') return data({ result: submission.reply(), communes, reissued: null }, { status: 400 })
	try {
		await correctProfile({ userId: user.id, profile: submission.value, by: { kind: 'self' } })
	} catch (error) {
		if (isDomainError(error)) return data({ result: submission.reply(replyOptions(error)), communes, reissued: null }, { status: 400 })
		throw error
	}
	return redirect('/me/profile?saved=1')
}

export default function MyProfile() {
	const { t } = useTranslation()
	const loaderData = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const [params] = useSearchParams()
	const [form, fields] = useForm<z.input<typeof ProfileCorrectionSchema>>({
		id: 'profile',
		lastResult: actionData?.result,
		defaultValue: loaderData.defaults,
		shouldRevalidate: 'onBlur',
	})
	return (
		<div>
			<h1>{t('privacy:profile.title')}</h1>
			<p className="lead">{t('privacy:profile.lead')}</p>
			{params.get('saved') ? (
				<p className="notice" role="status">
					{t('privacy:profile.saved')}
				</p>
			) : null}
			{params.get('reissued') ? (
				<p className="notice" role="status">
					{t('privacy:profile.reissued')}
				</p>
			) : null}
			{actionData?.reissued ? (
				<p className="form-error" role="alert">
					{t(actionData.reissued)}
				</p>
			) : null}
			<Form method="post" {...getFormProps(form)} noValidate>
				<FormErrors form={form} fields={fields}>
					<ProfileFields fields={fields} provinces={loaderData.provinces} communes={actionData?.communes ?? loaderData.communes} lng={loaderData.lng} />
					<p className="hint">{t('privacy:profile.moveHint')}</p>
					<p>
						<button type="submit">{t('privacy:profile.save')}</button>
					</p>
				</FormErrors>
			</Form>
			{loaderData.certificates.length ? (
				<section aria-labelledby="reissue-title">
					<h2 id="reissue-title">{t('privacy:profile.certificatesTitle')}</h2>
					<p>{t('privacy:profile.certificatesLead')}</p>
					<ul>
						{loaderData.certificates.map((c) => (
							<li key={c.code}>
								<Link to={`/certificates/${c.code}`}>{c.course}</Link>: {t('privacy:profile.issuedTo', { name: c.name })}
								<Form method="post">
									<input type="hidden" name="intent" value="reissue" />
									<input type="hidden" name="code" value={c.code} />
									<button type="submit" className="secondary">
										{t('privacy:profile.reissue', { name: c.currentName })}
									</button>
								</Form>
							</li>
						))}
					</ul>
				</section>
			) : null}
			<section aria-labelledby="consents-title">
				<h2 id="consents-title">{t('privacy:profile.consentsTitle')}</h2>
				<ul>
					{loaderData.consents.map((c) => (
						<li key={c.id}>
							{t(`privacy:purposes.${c.purpose}`)}:{' '}
							{t('privacy:profile.consentGiven', { date: c.givenAt, channel: t(`privacy:channels.${c.channel}`), version: c.version })}
							{c.withdrawnAt ? ` ·\u00a0${t('privacy:profile.consentWithdrawn', { date: c.withdrawnAt })}` : ''}
						</li>
					))}
				</ul>
				<p>
					<Link to="/privacy">{t('privacy:short.more')}</Link>
				</p>
			</section>
			<p>
				<Link to="/me">{t('privacy:profile.back')}</Link>
			</p>
		</div>
	)
}
