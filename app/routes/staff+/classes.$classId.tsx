import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { isDomainError } from '#app/kernel/errors.ts'
import { vietnamDay } from '#app/kernel/calendar.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { useTranslation } from 'react-i18next'
import { getCourseById } from '#app/modules/course/course.server.ts'
import { classCandidates, ClassCorrectionSchema, correctClassSession, getClassSession } from '#app/features/workspace/classes.server.ts'
import { recordResidentList } from '#app/features/workspace/access.server.ts'
import { notFound, requirePersonalData, requireStaff } from '#app/utils/auth.server.ts'
import { getCommuneInScope } from '#app/modules/units/units.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'workspace:classes.title')

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireStaff(request)
	const session = await getClassSession(user.scope, params.classId ?? '')
	if (!session) throw notFound()
	// The attendees' names: the same rule as the residents list.
	const commune = await getCommuneInScope(user.scope, session.communeCode)
	if (!commune) throw notFound()
	requirePersonalData(user.scope, commune)
	await recordResidentList({
		actorId: user.id,
		scope: user.scope,
		list: 'class',
		communeCode: session.communeCode,
		filter: { class: session.id },
		residentIds: session.people.map((p) => p.id),
	})
	const lng = await getLng(request)
	const course = getCourseById(session.courseId)
	const query = new URL(request.url).searchParams
	// The correction form (?edit=1): every resident of the commune, those who came ticked.
	const editing = query.get('edit') === '1'
	const candidates = editing ? await classCandidates(user.scope, session.communeCode) : []
	if (editing) {
		await recordResidentList({
			actorId: user.id,
			scope: user.scope,
			list: 'class',
			communeCode: session.communeCode,
			filter: { class: session.id },
			residentIds: candidates.map((p) => p.id),
		})
	}
	return {
		saved: query.has('saved'),
		corrected: query.has('corrected') ? { added: Number(query.get('added')) || 0, removed: Number(query.get('removed')) || 0 } : null,
		editing,
		today: vietnamDay(new Date()),
		notes: session.notes ?? '',
		attendeeIds: session.attendees.map((a) => a.userId),
		candidates: candidates.map((p) => ({ id: p.id, fullName: p.fullName, village: p.village })),
		heldOn: session.heldOn.toISOString().slice(0, 10),
		place: session.place,
		communeCode: session.communeCode,
		course: course?.title[lng] ?? session.courseId,
		lessons: session.lessonIds.map((id) => course?.lessons.find((l) => l.id === id)?.title[lng] ?? id),
		people: session.people.map((p) => ({ id: p.id, fullName: p.fullName, village: p.village })),
		// Attendees who had their data erased since (ADR 020): counted, never named.
		erased: session.attendees.length - session.people.length,
	}
}

/** A correction of the class (ADR 031): date, place, notes, attendees; audited with before and after. */
export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireStaff(request)
	const session = await getClassSession(user.scope, params.classId ?? '')
	if (!session) throw notFound()
	const commune = await getCommuneInScope(user.scope, session.communeCode)
	if (!commune) throw notFound()
	requirePersonalData(user.scope, commune)
	const form = await readFormData(request)
	if (form.get('intent') !== 'correct') return refused([{ key: 'common:errors.badInput', values: {} }], 400)
	const parsed = ClassCorrectionSchema.safeParse({
		heldOn: form.get('heldOn'),
		place: form.get('place'),
		notes: form.get('notes') ?? undefined,
		attendeeIds: form.getAll('attendeeId').map(String),
	})
	if (!parsed.success) {
		return refused(
			[...new Set(parsed.error.issues.map((i) => i.message))].map((key) => ({ key, values: {} })),
			400,
		)
	}
	try {
		const result = await correctClassSession({ scope: user.scope, staffId: user.id, classId: session.id, input: parsed.data })
		return redirect(`/staff/classes/${result.classId}?corrected=1&added=${result.added}&removed=${result.removed}`)
	} catch (error) {
		if (isDomainError(error)) {
			return refused([{ key: error.key, values: error.values }], error.status === 404 ? 400 : error.status)
		}
		throw error
	}
}

/** A refused correction: every message for the page, the first as `message` (like every action's 4xx). */
function refused(errors: { key: string; values: Record<string, string | number> }[], status: number) {
	return data({ message: errors[0]!.key, errors }, { status })
}

export default function ClassDetail() {
	const { t } = useTranslation()
	const c = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	return (
		<div>
			<h1>{t('workspace:classes.detail', { date: c.heldOn })}</h1>
			{c.corrected ? (
				<p className="notice" role="status">
					{t('workspace:classes.corrected', c.corrected)}
				</p>
			) : null}
			{c.notes ? <p className="hint">{c.notes}</p> : null}
			{c.saved ? (
				<p className="notice" role="status">
					{t('workspace:classes.saved', { attendees: c.people.length, lessons: c.lessons.length })}
				</p>
			) : null}
			<p>
				{c.course}
				{c.place ? ` ·\u00a0${c.place}` : ''}
			</p>
			<h2>{t('workspace:classes.lessons')}</h2>
			<ul>
				{c.lessons.map((l) => (
					<li key={l}>{l}</li>
				))}
			</ul>
			<h2>{t('workspace:classes.people')}</h2>
			<p className="hint">{t('workspace:classes.recordedBy')}</p>
			<ul>
				{c.people.map((p) => (
					<li key={p.id}>
						<Link to={`/staff/residents/${p.id}`}>{p.fullName}</Link>
						{p.village ? <span className="hint"> ·&nbsp;{p.village}</span> : null}
					</li>
				))}
				{c.erased > 0 ? <li className="hint">{t('erasure:classErased', { count: c.erased })}</li> : null}
			</ul>
			<h2 id="correct">{t('workspace:classes.correct')}</h2>
			{c.editing ? (
				<Form method="post" action="?edit=1#correct">
					<p className="hint">{t('workspace:classes.correctHint')}</p>
					{actionData?.errors ? (
						<div className="form-error" role="alert">
							{actionData.errors.map((e) => (
								<p key={e.key}>{t(e.key, e.values)}</p>
							))}
						</div>
					) : null}
					<input type="hidden" name="intent" value="correct" />
					<div className="field">
						<label htmlFor="heldOn">{t('workspace:classes.heldOn')}</label>
						<input id="heldOn" type="date" name="heldOn" defaultValue={c.heldOn} max={c.today} required />
					</div>
					<div className="field">
						<label htmlFor="place">{t('workspace:classes.place')}</label>
						<input id="place" type="text" name="place" defaultValue={c.place} required minLength={2} maxLength={200} />
					</div>
					<div className="field">
						<label htmlFor="notes">{t('workspace:classes.notes')}</label>
						<textarea id="notes" name="notes" defaultValue={c.notes} maxLength={500} rows={3} />
					</div>
					<fieldset>
						<legend>{t('workspace:classes.attendees')}</legend>
						{c.candidates.map((p) => (
							<label key={p.id} className="check">
								<input type="checkbox" name="attendeeId" value={p.id} defaultChecked={c.attendeeIds.includes(p.id)} /> {p.fullName}
								{p.village ? <span className="hint"> ·&nbsp;{p.village}</span> : null}
							</label>
						))}
					</fieldset>
					<p>
						<button type="submit">{t('workspace:classes.saveCorrection')}</button> <Link to="?#correct">{t('workspace:classes.cancel')}</Link>
					</p>
				</Form>
			) : (
				<p>
					<Link className="button secondary" to="?edit=1#correct">
						{t('workspace:classes.correct')}
					</Link>
				</p>
			)}
			<p>
				<Link to={`/staff/classes?commune=${c.communeCode}`}>{t('workspace:classes.list')}</Link>
			</p>
		</div>
	)
}
