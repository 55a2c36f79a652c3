import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { SetupSlip } from '#app/components/setup-slip.tsx'
import { useFormat } from '#app/components/use-format.ts'
import { requireResidentRecord } from '#app/features/workspace/resident-record.server.ts'
import { keptSlipCode } from '#app/features/workspace/slip-cookie.server.ts'
import { activeSetupCode, isActiveSetupCode } from '#app/modules/people/setup-code.server.ts'
import { slipData } from '#app/modules/people/slip.server.ts'
import { requireStaff } from '#app/utils/auth.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { titled } from '#app/utils/title.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
	data ? [{ title: titled(data.resident.fullName) }] : pageTitle(matches, 'staff:slip.pageTitle')

/**
 * The resident's setup slip while its code still works: shown again (reload, back, print later)
 * from the code this browser kept; elsewhere, when and until when the working code was made.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireStaff(request)
	const resident = await requireResidentRecord(user, params.residentId)
	const lng = await getLng(request)
	const kept = await keptSlipCode(request)
	const active = kept ? await isActiveSetupCode(resident.id, kept) : null
	const current = active ? null : await activeSetupCode(resident.id)
	return {
		resident: { id: resident.id, fullName: resident.fullName, activated: Boolean(resident.credentialKind) },
		slip: active ? await slipData(request, { fullName: resident.fullName, phone: resident.phone, code: active.code, expiresAt: active.expiresAt, lng }) : null,
		elsewhere: current ? { createdAt: current.createdAt.toISOString(), expiresAt: current.expiresAt.toISOString() } : null,
	}
}

export default function SlipPage() {
	const { t } = useTranslation()
	const format = useFormat()
	const { resident, slip, elsewhere } = useLoaderData<typeof loader>()
	const [params] = useSearchParams()
	// Just registered (?registered=<courses enrolled in>): what was done, and the next person.
	const registered = params.get('registered')
	return (
		<div>
			<p className="no-print">
				<Link to={`/staff/residents/${resident.id}`}>← {resident.fullName}</Link>
			</p>
			{slip ? (
				<>
					<p className="notice no-print" role="status">
						{registered !== null ? `${t('staff:slip.registered')} ` : null}
						{registered && Number(registered) > 0 ? `${t('workspace:enrol.done', { count: Number(registered) })} ` : null}
						{t('staff:slip.ready')}
					</p>
					<SetupSlip {...slip} />
					<p className="no-print">
						<a href="/staff/residents/new">{t('staff:register.another')}</a> ·&nbsp;
						<a href={`/staff/residents/${resident.id}`}>{t('workspace:dashboard.residents')}</a> ·&nbsp;<a href="/staff">{t('staff:home.title')}</a>
					</p>
					<script src="/print.js" defer />
				</>
			) : (
				<>
					<h1>{t('staff:slip.pageTitle')}</h1>
					<p>
						{elsewhere ? t('staff:slip.elsewhere', { made: format.date(elsewhere.createdAt), until: format.date(elsewhere.expiresAt) }) : t('staff:slip.none')}
					</p>
					<p>
						<Link to={`/staff/residents/${resident.id}?confirm=code`}>{resident.activated ? t('staff:resident.reset') : t('staff:resident.activate')}</Link>
					</p>
				</>
			)}
		</div>
	)
}
