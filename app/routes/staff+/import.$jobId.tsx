import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { NoticeSummary } from '#app/components/privacy-notice.tsx'
import { useTranslation } from 'react-i18next'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { type CheckedRow, getImportJob, importedWithoutPin, importUndoPlan, startImport, undoImport } from '#app/modules/people/import.server.ts'
import { communeName } from '#app/modules/units/units.server.ts'
import { recordImportRows } from '#app/features/workspace/access.server.ts'
import { notFound, requirePersonalData, requireStaff } from '#app/utils/auth.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { useFormat } from '#app/components/use-format.ts'

const PAGE_SIZE = 100
const SHOWS = ['invalid', 'new', 'present', 'refused'] as const
type Show = (typeof SHOWS)[number]

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => [
	...pageTitle(matches, 'staff:import.title'),
	// A running import: the page reloads itself, so progress shows without JavaScript.
	...(data?.job.status === 'RUNNING' ? [{ httpEquiv: 'refresh', content: '2' }] : []),
]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireStaff(request)
	const job = await getImportJob({ scope: user.scope, jobId: params.jobId ?? '' })
	if (!job) throw notFound()
	requirePersonalData(user.scope, { code: job.communeCode, provinceCode: job.provinceCode })
	const url = new URL(request.url)
	const wanted = url.searchParams.get('show') as Show
	// After confirm the page lists the rows that were not imported (refused); before it, the preview's.
	const show: Show = job.status === 'DONE' ? 'refused' : SHOWS.includes(wanted) && wanted !== 'refused' ? wanted : job.invalidRows ? 'invalid' : 'new'
	const matching = job.rows.filter((r) => r.status === show)
	const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE))
	const page = Math.min(pages, Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1))
	const shown = matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
	// Rows of registered people are their records seen by staff: the access log says so (ADR 028).
	await recordImportRows({ actorId: user.id, job, show, page, phones: shown.map((r) => r.phone), offset: (page - 1) * PAGE_SIZE })
	return {
		job: {
			id: job.id,
			fileName: job.fileName,
			commune: await communeName(job.communeCode, await getLng(request)),
			status: job.status,
			totalRows: job.totalRows,
			newRows: job.newRows,
			presentRows: job.presentRows,
			invalidRows: job.invalidRows,
			imported: job.imported,
			error: job.error,
			progress: job.progress,
		},
		show,
		page,
		pages,
		rows: shown.map(rowView),
		// Done: how many of those imported still need a setup slip (printed together, several per page).
		withoutPin: job.status === 'DONE' ? ((await importedWithoutPin({ scope: user.scope, jobId: job.id }))?.people.length ?? 0) : 0,
		undo: await undoView(user.scope, job, url.searchParams.get('undo') === 'confirm'),
	}
}

/**
 * The undo step of a finished import: before, on `?undo=confirm`, how many would be removed and who
 * would be kept (and why); after, when it was undone, how many were removed and who was kept.
 */
async function undoView(
	scope: Parameters<typeof importUndoPlan>[0]['scope'],
	job: { id: string; status: string; undoneAt: Date | null; removed: number },
	asking: boolean,
) {
	if (job.status !== 'DONE') return null
	if (!job.undoneAt && !asking) return { asking: false, undoneOn: null, removed: 0, removable: 0, kept: [] }
	const plan = await importUndoPlan({ scope, jobId: job.id })
	const kept = (plan?.kept ?? []).map((r) => ({ id: r.id, fullName: r.fullName, phone: r.phone, kept: r.kept! }))
	return {
		asking: !job.undoneAt,
		undoneOn: job.undoneAt ? job.undoneAt.toISOString() : null,
		removed: job.removed,
		removable: plan?.removable.length ?? 0,
		kept,
	}
}

/** Confirm: the import runs in the background and this page follows it. Confirming again changes nothing. */
export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireStaff(request)
	const form = await readFormData(request)
	const intent = form.get('intent')
	if (intent !== 'confirm' && intent !== 'undo') return data({ message: 'common:errors.badInput' }, { status: 400 })
	const job = await getImportJob({ scope: user.scope, jobId: params.jobId ?? '' })
	if (!job) throw notFound()
	requirePersonalData(user.scope, { code: job.communeCode, provinceCode: job.provinceCode })
	if (intent === 'undo') {
		// Only the confirm step's button sends confirmed=yes: one tap never undoes an import.
		if (form.get('confirmed') !== 'yes') return data({ message: 'staff:import.undo.errors.confirmFirst' }, { status: 400 })
		const undone = await undoImport({ scope: user.scope, staffId: user.id, jobId: job.id })
		if (undone.status === 'not-found') throw notFound()
		if (undone.status === 'not-done') return data({ message: 'staff:import.undo.errors.notDone' }, { status: 409 })
		if (undone.status === 'already') return data({ message: 'staff:import.undo.errors.already' }, { status: 409 })
		return redirect(`/staff/import/${job.id}#undo`)
	}
	// Staff confirm every person listed was given the notice and agreed (ADR 018); nothing is imported otherwise.
	if (form.get('noticeGiven') !== 'on') return data({ message: 'privacy:errors.noticeGivenImport' }, { status: 400 })
	const consent = { noticeGiven: true as const, ethnicity: form.get('ethnicityConsent') === 'on' }
	const result = await startImport({ scope: user.scope, staffId: user.id, jobId: params.jobId ?? '', consent })
	if (result.status === 'not-found') throw notFound()
	return redirect(`/staff/import/${result.jobId}`)
}

function rowView(r: CheckedRow) {
	return { line: r.line, fullName: r.fullName, phone: r.phone, reasons: r.status === 'invalid' ? r.reasons : [] }
}

export default function ImportJobPage() {
	const { t } = useTranslation()
	const { job, show, page, pages, rows, withoutPin, undo } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { n } = useFormat()
	if (job.status === 'RUNNING') {
		const { done, total } = job.progress ?? { done: 0, total: job.newRows }
		return (
			<div>
				<h1>{t('staff:import.running.title')}</h1>
				<p>
					<progress max={total || 1} value={done} aria-label={t('staff:import.running.label')} />
				</p>
				<p role="status">{t('staff:import.running.progress', { done: n(done), total: n(total) })}</p>
				<p className="hint">{t('staff:import.running.wait')}</p>
			</div>
		)
	}
	if (job.status === 'DONE') {
		return (
			<div>
				<h1>{t('staff:import.done.title')}</h1>
				<p className="notice" role="status">
					{t('staff:import.done.result', { n: n(job.imported), commune: job.commune })}
				</p>
				{job.newRows > job.imported ? <p>{t('staff:import.done.skipped', { n: n(job.newRows - job.imported) })}</p> : null}
				{rows.length ? (
					<TableScroll labelledBy="rows-refused">
						<table aria-labelledby="rows-refused">
							<caption id="rows-refused">{t('staff:import.done.refusedTitle')}</caption>
							<RowsHead />
							<tbody>
								{rows.map((r) => (
									<tr key={r.line}>
										<td>{r.line}</td>
										<td>{r.fullName}</td>
										<td>{r.phone}</td>
										<td>{t('staff:import.reasons.notFromHere')}</td>
									</tr>
								))}
							</tbody>
						</table>
					</TableScroll>
				) : null}
				{pages > 1 ? (
					<p>
						{page > 1 ? <Link to={`?page=${page - 1}`}>{t('staff:import.preview.prev')}</Link> : null} {t('staff:import.preview.page', { page, pages })}{' '}
						{page < pages ? <Link to={`?page=${page + 1}`}>{t('staff:import.preview.next')}</Link> : null}
					</p>
				) : null}
				{withoutPin ? (
					<p>
						<Link className="button" to={`/staff/import/${job.id}/slips`}>
							{t('staff:batch.link', { n: n(withoutPin) })}
						</Link>
					</p>
				) : null}
				{undo ? <UndoSection file={job.fileName} undo={undo} message={actionData?.message} /> : null}
				<p>
					<Link to="/staff/import">{t('staff:import.another')}</Link> ·&nbsp;<Link to="/staff/import#export">{t('staff:export.title')}</Link>
				</p>
			</div>
		)
	}
	const tab = (s: Show, count: number) => (
		<li key={s}>
			{s === show ? (
				<strong id="rows-shown" aria-current="page">
					{t(`staff:import.preview.${s}`, { n: n(count) })}
				</strong>
			) : (
				<Link to={`?show=${s}`}>{t(`staff:import.preview.${s}`, { n: n(count) })}</Link>
			)}
		</li>
	)
	return (
		<div>
			<h1>{t('staff:import.preview.title', { file: job.fileName })}</h1>
			<p>{t('staff:import.preview.commune', { commune: job.commune })}</p>
			{job.status === 'FAILED' ? (
				<div className="form-error" role="alert">
					<p>{t(job.error ?? 'staff:import.errors.failed')}</p>
				</div>
			) : null}
			<p className="lead" role="status">
				{t('staff:import.preview.summary', { total: n(job.totalRows), new: n(job.newRows), present: n(job.presentRows), invalid: n(job.invalidRows) })}
			</p>
			{job.newRows ? (
				<Form method="post">
					<input type="hidden" name="intent" value="confirm" />
					<NoticeSummary audience="staff" />
					{actionData?.message ? (
						<p className="form-error" role="alert" id="import-consent-error">
							{t(actionData.message)}
						</p>
					) : null}
					<label className="check">
						<input type="checkbox" name="noticeGiven" aria-describedby={actionData?.message ? 'import-consent-error' : undefined} />{' '}
						{t('privacy:import.noticeGiven')}
					</label>
					<label className="check">
						<input type="checkbox" name="ethnicityConsent" /> {t('privacy:import.ethnicityConsent')}
					</label>
					<p className="hint">{t('privacy:import.ethnicityHint')}</p>
					<p className="hint">{t('staff:import.preview.confirmHint')}</p>
					<p>
						<button type="submit">{job.status === 'FAILED' ? t('staff:import.failed.retry') : t('staff:import.preview.confirm', { n: n(job.newRows) })}</button>
					</p>
				</Form>
			) : (
				<p>
					<strong>{t('staff:import.preview.nothingNew')}</strong>
				</p>
			)}
			{job.invalidRows ? <p className="hint">{t('staff:import.preview.fixHint')}</p> : null}
			<nav aria-label={t('staff:import.preview.show')}>
				<ul className="tabs">{[tab('invalid', job.invalidRows), tab('new', job.newRows), tab('present', job.presentRows)]}</ul>
			</nav>
			{rows.length ? (
				<TableScroll labelledBy="rows-shown">
					<table aria-labelledby="rows-shown">
						<RowsHead />
						<tbody>
							{rows.map((r) => (
								<tr key={r.line}>
									<td>{r.line}</td>
									<td>{r.fullName}</td>
									<td>{r.phone}</td>
									<td>
										{show === 'invalid'
											? r.reasons.map((reason, i) => (
													<p key={i} className="field-error">
														{t(reason.key, reason.values)}
													</p>
												))
											: show === 'new'
												? t('staff:import.preview.willImport')
												: t('staff:import.preview.alreadyThere')}
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</TableScroll>
			) : (
				<p>{t('staff:import.preview.none')}</p>
			)}
			{pages > 1 ? (
				<p>
					{page > 1 ? <Link to={`?show=${show}&page=${page - 1}`}>{t('staff:import.preview.prev')}</Link> : null}{' '}
					{t('staff:import.preview.page', { page, pages })}{' '}
					{page < pages ? <Link to={`?show=${show}&page=${page + 1}`}>{t('staff:import.preview.next')}</Link> : null}
				</p>
			) : null}
			<p>
				<Link to="/staff/import">{t('staff:import.another')}</Link>
			</p>
		</div>
	)
}

/** The header of the preview's and the done page's row tables (line, name, phone, result). */
function RowsHead() {
	const { t } = useTranslation()
	return (
		<thead>
			<tr>
				<th scope="col">{t('staff:import.preview.line')}</th>
				<th scope="col">{t('staff:import.preview.name')}</th>
				<th scope="col">{t('staff:import.preview.phone')}</th>
				<th scope="col">{t('staff:import.preview.result')}</th>
			</tr>
		</thead>
	)
}

type UndoView = NonNullable<Awaited<ReturnType<typeof undoView>>>

/** Undo: a link, then a confirm step (GET ?undo=confirm) with the one button; afterwards who was kept. */
function UndoSection({ file, undo, message }: { file: string; undo: UndoView; message?: string }) {
	const { t } = useTranslation()
	const format = useFormat()
	const keptTable = undo.kept.length ? (
		<TableScroll labelledBy="undo-kept">
			<table aria-labelledby="undo-kept" className="stack-on-phone">
				<caption id="undo-kept">{t('staff:import.undo.keptTitle', { n: format.n(undo.kept.length) })}</caption>
				<thead>
					<tr>
						<th scope="col">{t('staff:import.preview.name')}</th>
						<th scope="col">{t('staff:import.preview.phone')}</th>
						<th scope="col">{t('staff:import.undo.reason')}</th>
					</tr>
				</thead>
				<tbody>
					{undo.kept.map((r) => (
						<tr key={r.id}>
							<th scope="row">
								<Link to={`/staff/residents/${r.id}`}>{r.fullName}</Link>
							</th>
							<td data-label={t('staff:import.preview.phone')}>{r.phone}</td>
							<td data-label={t('staff:import.undo.reason')}>{t(`staff:import.undo.kept.${r.kept}`)}</td>
						</tr>
					))}
				</tbody>
			</table>
		</TableScroll>
	) : null
	return (
		<section aria-labelledby="undo">
			<h2 id="undo">{t('staff:import.undo.title')}</h2>
			{message ? (
				<p className="form-error" role="alert">
					{t(message)}
				</p>
			) : null}
			{undo.undoneOn ? (
				<>
					<p className="notice" role="status">
						{t('staff:import.undo.done', { date: format.date(undo.undoneOn), n: format.n(undo.removed) })}
					</p>
					{keptTable ?? <p>{t('staff:import.undo.keptNone')}</p>}
				</>
			) : undo.asking ? (
				<>
					<Form method="post" className="confirm-box" aria-labelledby="confirm-undo">
						<p id="confirm-undo">
							<strong>{t('staff:import.undo.confirm', { file, removable: format.n(undo.removable) })}</strong>
						</p>
						{undo.kept.length ? <p>{t('staff:import.undo.keptBefore', { n: format.n(undo.kept.length) })}</p> : null}
						<input type="hidden" name="intent" value="undo" />
						<button type="submit" name="confirmed" value="yes" className="danger">
							{t('staff:import.undo.yes')}
						</button>{' '}
						<Link to="?#undo">{t('staff:import.undo.no')}</Link>
					</Form>
					{keptTable}
				</>
			) : (
				<>
					<p className="hint">{t('staff:import.undo.hint')}</p>
					<p>
						<Link className="button secondary" to="?undo=confirm#undo">
							{t('staff:import.undo.link')}
						</Link>
					</p>
				</>
			)}
		</section>
	)
}
