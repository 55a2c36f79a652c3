import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { listRecentResidents } from '#app/modules/people/residents.server.ts'
import { maskPhone } from '#app/modules/people/phone.ts'
import { communeName } from '#app/modules/units/units.server.ts'
import { requireStaff } from '#app/utils/auth.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'staff:home.title')

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireStaff(request)
	const lng = await getLng(request)
	const residents = await listRecentResidents(user.scope)
	return {
		residents: await Promise.all(
			residents.map(async (r) => ({ id: r.id, fullName: r.fullName, phone: r.phone ? maskPhone(r.phone) : '', commune: await communeName(r.communeCode, lng), activated: Boolean(r.credentialKind) })),
		),
	}
}

export default function StaffHome() {
	const { t } = useTranslation()
	const { residents } = useLoaderData<typeof loader>()
	return (
		<div>
			<h1>{t('staff:home.title')}</h1>
			<p>
				<Link className="button" to="/staff/residents/new">
					{t('staff:register.title')}
				</Link>
			</p>
			<h2>{t('staff:home.recent')}</h2>
			<ul>
				{residents.map((r) => (
					<li key={r.id}>
						<Link to={`/staff/residents/${r.id}`}>{r.fullName}</Link> <span className="hint">{r.phone} · {r.commune}{r.activated ? '' : ` · ${t('staff:home.notActivated')}`}</span>
					</li>
				))}
			</ul>
		</div>
	)
}
