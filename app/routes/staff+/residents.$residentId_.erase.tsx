import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { isDomainError } from '#app/kernel/errors.ts'
import { eraseResident } from '#app/modules/people/erasure.server.ts'
import { requireResidentRecord } from '#app/features/workspace/resident-record.server.ts'
import { requireStaff } from '#app/utils/auth.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'erasure:staff.link')

/**
 * Staff record a request to erase made in person (issue #18 item 4, ADR 020): a confirmation step,
 * then the same erasure as the resident's own. Whoever may open the resident's page may do it; a
 * resident outside the caller's communes (or anyone holding a role) is a 404, like that page.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireStaff(request)
	const resident = await requireResidentRecord(user, params.residentId)
	return { resident: { id: resident.id, fullName: resident.fullName } }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireStaff(request)
	const resident = await requireResidentRecord(user, params.residentId)
	const form = await readFormData(request, { maxBytes: 4_096 })
	if (form.get('confirm') !== 'yes') return data({ error: 'erasure:errors.confirm' }, { status: 400 })
	try {
		await eraseResident({ userId: resident.id, via: 'STAFF', actorId: user.id })
	} catch (error) {
		if (isDomainError(error)) return data({ error: error.key }, { status: error.status })
		throw error
	}
	return redirect('/staff/residents?erased=1')
}

export default function EraseResident() {
	const { t } = useTranslation()
	const { resident } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	return (
		<div>
			<h1>{t('erasure:staff.title', { name: resident.fullName })}</h1>
			<p className="lead">{t('erasure:staff.lead')}</p>
			<p>{t('erasure:staff.whatGoes')}</p>
			<Form method="post" noValidate>
				{actionData?.error ? (
					<p className="form-error" role="alert">
						{t(actionData.error)}
					</p>
				) : null}
				<p>
					<label className="check">
						<input type="checkbox" name="confirm" value="yes" required /> {t('erasure:staff.confirm')}
					</label>
				</p>
				<p>
					<button type="submit">{t('erasure:staff.submit')}</button>
				</p>
			</Form>
			<p>
				<Link to={`/staff/residents/${resident.id}`}>{t('erasure:staff.cancel')}</Link>
			</p>
		</div>
	)
}
