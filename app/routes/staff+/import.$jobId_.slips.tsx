import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { SetupSlip } from '#app/components/setup-slip.tsx'
import { useFormat } from '#app/components/use-format.ts'
import { importedWithoutPin, SLIP_BATCH_MAX } from '#app/modules/people/import.server.ts'
import { issueSetupCode } from '#app/modules/people/setup-code.server.ts'
import { slipData } from '#app/modules/people/slip.server.ts'
import { notFound, requirePersonalData, requireStaff, type SessionUser } from '#app/utils/auth.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'staff:batch.title')

async function residentsOfJob(user: SessionUser, jobId: string | undefined) {
	const found = await importedWithoutPin({ scope: user.scope, jobId: jobId ?? '' })
	if (!found) throw notFound()
	requirePersonalData(user.scope, { code: found.job.communeCode, provinceCode: found.job.provinceCode })
	return found
}

/** The residents a finished import added who have no PIN yet: one setup slip each, several per A4 page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireStaff(request)
	const { job, people } = await residentsOfJob(user, params.jobId)
	return {
		jobId: job.id,
		done: job.status === 'DONE',
		count: people.length,
		max: SLIP_BATCH_MAX,
		names: people.slice(0, SLIP_BATCH_MAX).map((p) => p.fullName),
	}
}

/**
 * Make the slips (confirmed by pressing the button on this page): a new activation code for each
 * (earlier unused codes of theirs stop working; nobody with a PIN is touched), shown as the sheet.
 */
export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireStaff(request)
	const form = await readFormData(request)
	const { people } = await residentsOfJob(user, params.jobId)
	if (form.get('intent') !== 'make-slips') return data({ slips: [], message: 'common:errors.badInput' }, { status: 400 })
	const lng = await getLng(request)
	const slips = []
	for (const person of people.slice(0, SLIP_BATCH_MAX)) {
		const { code, expiresAt } = await issueSetupCode({ userId: person.id, purpose: 'ACTIVATE', createdById: user.id })
		slips.push({ id: person.id, ...(await slipData(request, { fullName: person.fullName, phone: person.phone, code, expiresAt, lng })) })
	}
	return data({ slips, message: null as string | null })
}

export default function BatchSlips() {
	const { t } = useTranslation()
	const { n } = useFormat()
	const { jobId, count, max, names } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	if (actionData?.slips.length) {
		return (
			<div>
				<div className="no-print">
					<h1>{t('staff:batch.title')}</h1>
					<p className="notice" role="status">
						{t('staff:batch.made', { n: n(actionData.slips.length) })}
					</p>
					<p>
						<button type="button" data-print="">
							{t('staff:batch.print')}
						</button>
					</p>
					<p className="hint">{t('staff:batch.printHint')}</p>
				</div>
				<div className="slip-sheet">
					{actionData.slips.map((s) => (
						<SetupSlip key={s.id} {...s} inSheet />
					))}
				</div>
				<p className="no-print">
					<Link to={`/staff/import/${jobId}`}>{t('staff:batch.back')}</Link>
				</p>
				<script src="/print.js" defer />
			</div>
		)
	}
	return (
		<div>
			<h1>{t('staff:batch.title')}</h1>
			{actionData?.message ? (
				<p className="form-error" role="alert">
					{t(actionData.message)}
				</p>
			) : null}
			{count ? (
				<>
					<p>{t('staff:batch.lead', { n: n(count) })}</p>
					{count > max ? <p className="hint">{t('staff:batch.tooMany', { max: n(max) })}</p> : null}
					<details>
						<summary>{t('staff:batch.who', { n: n(Math.min(count, max)) })}</summary>
						<ul>
							{names.map((name, i) => (
								<li key={i}>{name}</li>
							))}
						</ul>
					</details>
					<Form method="post">
						<p className="hint">{t('staff:batch.confirmHint')}</p>
						<button type="submit" name="intent" value="make-slips">
							{t('staff:batch.make', { n: n(Math.min(count, max)) })}
						</button>
					</Form>
				</>
			) : (
				<p>{t('staff:batch.none')}</p>
			)}
			<p>
				<Link to={`/staff/import/${jobId}`}>{t('staff:batch.back')}</Link>
			</p>
		</div>
	)
}
