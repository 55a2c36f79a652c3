import { domainErrorBody } from '#app/utils/errors.server.ts'
import { isDomainError } from '#app/kernel/errors.ts'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { importableCommune, listRecentImports, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, previewImport } from '#app/modules/people/import.server.ts'
import { communeName, listAllCommunesInScope } from '#app/modules/units/units.server.ts'
import { notFound, requirePersonalData, requireStaff } from '#app/utils/auth.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'staff:import.title')

const MB = MAX_IMPORT_BYTES / 1024 / 1024

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireStaff(request)
	const lng = await getLng(request)
	const recent = await listRecentImports({ scope: user.scope })
	const communes = await listAllCommunesInScope(user.scope, lng)
	// The dashboard links here with its commune (?commune=03721): preselect it.
	const wanted = new URL(request.url).searchParams.get('commune')
	return {
		limits: { mb: MB, rows: MAX_IMPORT_ROWS },
		communes,
		// Commune staff, or an officer an administrator allowed (/staff/export checks each commune: canExportPersonalData).
		mayExport: user.scope.communeCodes.length > 0 || (user.scope.personalDataProvinceCodes?.length ?? 0) > 0,
		chosen: communes?.length === 1 ? communes[0]!.value : (communes?.find((c) => c.value === wanted)?.value ?? ''),
		recent: await Promise.all(
			recent.map(async (j) => ({
				id: j.id,
				fileName: j.fileName,
				status: j.undoneAt ? 'UNDONE' : j.status,
				imported: j.imported,
				date: j.createdAt.toISOString().slice(0, 10),
				commune: await communeName(j.communeCode, lng),
			})),
		),
	}
}

/** Upload → checked preview stored as an import job → its page. Nothing is imported yet. */
export async function action({ request }: ActionFunctionArgs) {
	const user = await requireStaff(request)
	let form: FormData
	try {
		// A little more than the file itself: the multipart envelope and the commune field.
		form = await readFormData(request, { maxBytes: MAX_IMPORT_BYTES + 64 * 1024 })
	} catch (error) {
		if (error instanceof Response && error.status === 413) return data({ message: 'staff:import.errors.tooLarge', values: { mb: MB } }, { status: 413 })
		throw error
	}
	const commune = await importableCommune(user.scope, String(form.get('communeCode') ?? '').trim())
	if (!commune) throw notFound()
	// The preview tells which phones are the commune's residents: the same rule as the residents list.
	requirePersonalData(user.scope, commune)
	const file = form.get('file')
	if (!(file instanceof File) || file.size === 0) return data({ message: 'staff:import.errors.noFile', values: {} }, { status: 400 })
	try {
		const job = await previewImport({
			scope: user.scope,
			staffId: user.id,
			communeCode: commune.code,
			fileName: file.name,
			bytes: new Uint8Array(await file.arrayBuffer()),
		})
		if (!job) throw notFound()
		return redirect(`/staff/import/${job.id}`)
	} catch (error) {
		if (isDomainError(error)) return data(domainErrorBody(error), { status: error.status })
		throw error
	}
}

export default function ImportPage() {
	const { t } = useTranslation()
	const { communes, chosen, recent, limits, mayExport } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	return (
		<div>
			<h1>{t('staff:import.title')}</h1>
			<p className="lead">{t('staff:import.lead')}</p>
			<h2>{t('staff:import.columnsTitle')}</h2>
			<ul>
				<li>{t('staff:import.columnsRequired')}</li>
				<li>{t('staff:import.columnsOptional')}</li>
			</ul>
			<p className="hint">{t('staff:import.excelHint', { mb: limits.mb, rows: limits.rows })}</p>
			<ul className="link-list">
				<li>
					<a href="/staff/export?format=template-xlsx" download>
						{t('staff:import.template')}
					</a>
				</li>
				<li>
					<a href="/staff/export?format=template" download>
						{t('staff:import.templateCsv')}
					</a>
				</li>
			</ul>
			<p className="hint">{t('staff:import.templateHint')}</p>
			<Form method="post" encType="multipart/form-data">
				{actionData?.message ? (
					<div className="form-error" role="alert">
						<p>{t(actionData.message, actionData.values)}</p>
					</div>
				) : null}
				<CommuneField communes={communes} chosen={chosen} label={t('staff:import.commune')} id="import-commune" />
				<div className="field">
					<label htmlFor="import-file">{t('staff:import.file')}</label>
					<input
						id="import-file"
						name="file"
						type="file"
						accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv,text/plain"
						required
					/>
				</div>
				<p>
					<button type="submit">{t('staff:import.submit')}</button>
				</p>
			</Form>
			{recent.length ? (
				<>
					<h2>{t('staff:import.recent')}</h2>
					<ul>
						{recent.map((j) => (
							<li key={j.id}>
								<Link to={`/staff/import/${j.id}`}>
									{t('staff:import.recentItem', { date: j.date, file: j.fileName, status: t(`staff:import.status.${j.status}`, { n: j.imported }) })}
								</Link>{' '}
								<span className="hint">{j.commune}</span>
							</li>
						))}
					</ul>
				</>
			) : null}
			<h2 id="export">{t('staff:export.title')}</h2>
			<p>{t('staff:export.lead')}</p>
			<p className="hint">{t('staff:export.privacy')}</p>
			{/* A GET form: the browser downloads the file, with or without JavaScript. */}
			{mayExport ? (
				<form method="get" action="/staff/export">
					<CommuneField communes={communes} chosen={chosen} label={t('staff:export.commune')} id="export-commune" name="commune" />
					<p>
						<button type="submit" name="format" value="csv">
							{t('staff:export.csv')}
						</button>{' '}
						<button type="submit" name="format" value="xlsx" className="secondary">
							{t('staff:export.xlsx')}
						</button>
					</p>
				</form>
			) : (
				<p className="hint">{t('staff:export.errors.personalData')}</p>
			)}
		</div>
	)
}

function CommuneField({
	communes,
	chosen,
	label,
	id,
	name = 'communeCode',
}: {
	communes: { value: string; label: string }[] | null
	chosen: string
	label: string
	id: string
	name?: string
}) {
	const { t } = useTranslation()
	return (
		<div className="field">
			<label htmlFor={id}>{communes ? label : t('staff:import.communeCode')}</label>
			{communes ? (
				// One commune is chosen already: `required` would need an empty first option (HTML rule), so only a list asks for a choice.
				<select id={id} name={name} required={communes.length > 1} defaultValue={chosen}>
					{communes.length > 1 ? <option value="">{t('auth:fields.choose')}</option> : null}
					{communes.map((c) => (
						<option key={c.value} value={c.value}>
							{c.label}
						</option>
					))}
				</select>
			) : (
				<input id={id} name={name} inputMode="numeric" pattern="\d{5}" maxLength={5} required />
			)}
		</div>
	)
}
