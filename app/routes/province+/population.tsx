import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Field, FormError, SelectField } from '#app/components/forms.tsx'
import { TableScroll } from '#app/components/table-scroll.tsx'
import {
	DenominatorError,
	getDenominators,
	PopulationSchema,
	type PopulationInput,
	readCsv,
	setPopulations,
	setTargets,
	TargetSchema,
	validateRows,
} from '#app/modules/reporting/denominators.server.ts'
import { TARGET_INDICATORS, type TargetIndicator } from '#app/kernel/metrics.ts'
import { useFormat } from '#app/components/use-format.ts'
import { defaultProvince } from '#app/modules/reporting/report-params.server.ts'
import { vietnamDay } from '#app/kernel/calendar.ts'
import { listCommunes } from '#app/modules/units/units.server.ts'
import { forbidden, requireProvinceLevel } from '#app/utils/auth.server.ts'
import { badRequest, readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { canActInProvince } from '#app/kernel/scope.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'province:population.title')

function provinceOf(url: URL, scope: Parameters<typeof defaultProvince>[0] & { communeCodes: string[] }) {
	const province = url.searchParams.get('province') || defaultProvince(scope)
	if (!/^\d{2}$/.test(province)) throw badRequest('province:errors.badProvince')
	if (!canActInProvince(scope, province)) throw forbidden()
	return province
}

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireProvinceLevel(request)
	const url = new URL(request.url)
	const provinceCode = provinceOf(url, user.scope)
	const thisYear = Number(vietnamDay(new Date()).slice(0, 4))
	const year = Number(url.searchParams.get('year')) || thisYear
	if (year < 2024 || year > 2040) throw badRequest('province:population.errors.year')
	const lng = await getLng(request)
	const communes = await listCommunes(provinceCode, lng)
	const { latest, targets } = await getDenominators(provinceCode, year)
	return {
		provinceCode,
		year,
		communes,
		rows: communes.map((c) => ({ code: c.value, name: c.label, population: latest.get(c.value) ?? null, targets: targets.get(c.value) ?? {} })),
	}
}

/** What was saved, named in the confirmation ("Đã lưu dân số của Xã X: 18.500"). */
type Saved =
	| { kind: 'population'; commune: string; adults: number; asOf: string }
	| { kind: 'target'; commune: string | null; communes: number; indicator: TargetIndicator; year: number; value: number }
	| { kind: 'import-population' | 'import-targets'; rows: number; file: string }

type ActionData = {
	intent: string
	result?: SubmissionResult<string[]>
	saved?: Saved
	error?: string
	problems?: { line: number; field: string; key: string }[]
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireProvinceLevel(request)
	const provinceCode = provinceOf(new URL(request.url), user.scope)
	const form = await readFormData(request, { maxBytes: 1024 * 1024 })
	const intent = String(form.get('intent') ?? '')
	const communeName = async (code: string) => (await listCommunes(provinceCode, await getLng(request))).find((c) => c.value === code)?.label ?? code
	const save = async (run: () => Promise<Saved>, reply?: ActionData['result']) => {
		try {
			return data<ActionData>({ intent, saved: await run(), result: reply })
		} catch (error) {
			if (error instanceof DenominatorError) return data<ActionData>({ intent, error: error.key, problems: error.problems, result: reply }, { status: 400 })
			throw error
		}
	}
	if (intent === 'population') {
		const submission = parseWithZod(form, { schema: PopulationSchema })
		if (submission.status !== 'success') return data<ActionData>({ intent, result: submission.reply() }, { status: 400 })
		const row = submission.value
		return save(
			async () => {
				await setPopulations({ scope: user.scope, actorId: user.id, provinceCode, rows: [row] })
				return { kind: 'population', commune: await communeName(row.communeCode), adults: row.adultPopulation, asOf: row.asOf }
			},
			submission.reply({ resetForm: true }),
		)
	}
	if (intent === 'target') {
		const submission = parseWithZod(form, { schema: TargetSchema })
		if (submission.status !== 'success') return data<ActionData>({ intent, result: submission.reply() }, { status: 400 })
		const row = submission.value
		return save(
			async () => {
				const communes = await setTargets({ scope: user.scope, actorId: user.id, provinceCode, rows: [row] })
				const commune = row.communeCode === 'all' ? null : await communeName(row.communeCode)
				return { kind: 'target', commune, communes, indicator: row.indicator, year: row.year, value: row.value }
			},
			submission.reply({ resetForm: true }),
		)
	}
	if (intent === 'import-population' || intent === 'import-targets') {
		const file = form.get('file')
		if (!(file instanceof File) || file.size === 0) return data<ActionData>({ intent, error: 'province:population.errors.noFile' }, { status: 400 })
		return save(async () => {
			const rows = readCsv(await file.text())
			const saved =
				intent === 'import-population'
					? await setPopulations({ scope: user.scope, actorId: user.id, provinceCode, rows: validateRows(PopulationSchema, rows) })
					: await setTargets({ scope: user.scope, actorId: user.id, provinceCode, rows: validateRows(TargetSchema, rows) })
			return { kind: intent, rows: saved, file: file.name.slice(0, 120) }
		})
	}
	return data<ActionData>({ intent, error: 'common:errors.badForm' }, { status: 400 })
}

/** The confirmation of a save, naming what was saved and its value, written the page's way. */
function SavedNotice({ saved }: { saved: Saved }) {
	const { t } = useTranslation()
	const format = useFormat()
	const message =
		saved.kind === 'population'
			? t('province:population.savedPopulation', { commune: saved.commune, adults: format.n(saved.adults), asOf: format.date(saved.asOf) })
			: saved.kind === 'target'
				? t(saved.commune ? 'province:population.savedTarget' : 'province:population.savedTargetAll', {
						commune: saved.commune,
						communes: saved.communes,
						year: saved.year,
						indicator: t(`province:population.targetIndicators.${saved.indicator}`),
						value: saved.indicator === 'coverage' ? format.pct(saved.value) : format.n(saved.value),
					})
				: t(saved.kind === 'import-population' ? 'province:population.importedPopulation' : 'province:population.importedTargets', {
						rows: saved.rows,
						file: saved.file,
					})
	return (
		<p className="notice" role="status">
			{message}
		</p>
	)
}

export default function PopulationAndTargets() {
	const { t } = useTranslation()
	const format = useFormat()
	const { provinceCode, year, communes, rows } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>() as ActionData | undefined
	const communeOptions = communes.map((c) => ({ value: c.value, label: `${c.label} (${c.value})` }))
	const [popForm, pop] = useForm<PopulationInput>({ id: 'population', lastResult: actionData?.intent === 'population' ? actionData.result : undefined })
	const [targetForm, target] = useForm<{ communeCode: string; indicator: string; year: string; value: string }>({
		id: 'target',
		lastResult: actionData?.intent === 'target' ? actionData.result : undefined,
	})
	const action = `/province/population?province=${provinceCode}&year=${year}`
	const outcome = (intents: string[]) =>
		actionData && intents.includes(actionData.intent) ? (
			actionData.error ? (
				<div className="form-error" role="alert">
					<p>{t(actionData.error)}</p>
					{actionData.problems?.length ? (
						<ul>
							{actionData.problems.map((p) => (
								<li key={`${p.line}-${p.field}-${p.key}`}>{t('province:population.problem', { line: p.line, problem: t(p.key) })}</li>
							))}
						</ul>
					) : null}
				</div>
			) : actionData.saved ? (
				<SavedNotice saved={actionData.saved} />
			) : null
		) : null
	return (
		<div className="report">
			<h1>{t('province:population.title')}</h1>
			<p className="lead">{t('province:population.lead')}</p>
			<p>
				<Link to={`/province?province=${provinceCode}`}>{t('province:dashboard.back')}</Link>
			</p>

			<h2>{t('province:population.enterPopulation')}</h2>
			{outcome(['population'])}
			<Form method="post" action={action} {...getFormProps(popForm)}>
				<input type="hidden" name="intent" value="population" />
				<FormError errors={popForm.errors} />
				<SelectField label={t('province:dashboard.commune')} meta={pop.communeCode} options={communeOptions} placeholder={t('auth:fields.choose')} />
				<Field
					label={t('province:indicators.adults')}
					hint={t('province:population.adultsHint')}
					meta={pop.adultPopulation}
					inputMode="numeric"
					autoComplete="off"
				/>
				<Field label={t('province:population.source')} hint={t('province:population.sourceHint')} meta={pop.source} />
				<div className="field">
					<label htmlFor={pop.asOf.id}>{t('province:population.asOf')}</label>
					<input
						type="date"
						id={pop.asOf.id}
						name={pop.asOf.name}
						defaultValue={pop.asOf.initialValue as string | undefined}
						aria-invalid={pop.asOf.errors ? true : undefined}
					/>
					{pop.asOf.errors?.map((e) => (
						<p key={e} className="field-error">
							{t(e)}
						</p>
					))}
				</div>
				<button type="submit">{t('province:population.save')}</button>
			</Form>

			<h2>{t('province:population.setTarget')}</h2>
			{outcome(['target'])}
			<Form method="post" action={action} {...getFormProps(targetForm)}>
				<input type="hidden" name="intent" value="target" />
				<SelectField
					label={t('province:dashboard.commune')}
					meta={target.communeCode}
					options={[{ value: 'all', label: t('province:population.allCommunes') }, ...communeOptions]}
					placeholder={t('auth:fields.choose')}
				/>
				<SelectField
					label={t('province:population.indicator')}
					meta={target.indicator}
					options={TARGET_INDICATORS.map((i) => ({ value: i, label: t(`province:population.targetIndicators.${i}`) }))}
					placeholder={t('auth:fields.choose')}
				/>
				<Field label={t('province:population.year')} meta={target.year} type="number" inputMode="numeric" defaultValue={String(year)} />
				<Field label={t('province:population.value')} hint={t('province:population.valueHint')} meta={target.value} inputMode="decimal" autoComplete="off" />
				<button type="submit">{t('province:population.save')}</button>
			</Form>

			<h2>{t('province:population.import')}</h2>
			<p className="hint">{t('province:population.importHint')}</p>
			{outcome(['import-population', 'import-targets'])}
			<Form method="post" action={action} encType="multipart/form-data">
				<div className="field">
					<label htmlFor="population-file">{t('province:population.file')}</label>
					<input id="population-file" type="file" name="file" accept=".csv,text/csv" required />
				</div>
				<button type="submit" name="intent" value="import-population">
					{t('province:population.importPopulation')}
				</button>{' '}
				<button type="submit" name="intent" value="import-targets" className="secondary">
					{t('province:population.importTargets')}
				</button>
			</Form>

			<h2 id="population-table">{t('province:population.current', { year })}</h2>
			<TableScroll labelledBy="population-table">
				<table aria-labelledby="population-table">
					<thead>
						<tr>
							<th scope="col">{t('province:columns.commune_code')}</th>
							<th scope="col">{t('province:columns.commune_name')}</th>
							<th scope="col">{t('province:indicators.adults')}</th>
							<th scope="col">{t('province:population.source')}</th>
							{TARGET_INDICATORS.map((i) => (
								<th key={i} scope="col">
									{t(`province:population.targetIndicators.${i}`)}
								</th>
							))}
						</tr>
					</thead>
					<tbody>
						{rows.map((r) => (
							<tr key={r.code} data-commune={r.code}>
								<td>{r.code}</td>
								<th scope="row">{r.name}</th>
								<td>{r.population ? format.n(r.population.adults) : <span className="hint">{t('province:dashboard.missing')}</span>}</td>
								<td>{r.population ? `${r.population.source} (${format.date(r.population.asOf)})` : ''}</td>
								{TARGET_INDICATORS.map((i) => (
									<td key={i}>{r.targets[i] === undefined ? '' : i === 'coverage' ? format.pct(r.targets[i]) : format.n(r.targets[i])}</td>
								))}
							</tr>
						))}
					</tbody>
				</table>
			</TableScroll>
		</div>
	)
}
