import { isDomainError } from '#app/kernel/errors.ts'
import { domainErrorResponse } from '#app/utils/errors.server.ts'
import { randomUUID } from 'node:crypto'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getCatalogue, getCourseById } from '#app/modules/course/course.server.ts'
import { vietnamDay } from '#app/kernel/calendar.ts'
import { classCandidates, ClassSessionSchema, recordClassSession } from '#app/features/workspace/classes.server.ts'
import { recordResidentList } from '#app/features/workspace/access.server.ts'
import { communesForStaff } from '#app/features/workspace/workspace.server.ts'
import { requirePersonalData, requireStaff } from '#app/utils/auth.server.ts'
import { getCommuneInScope } from '#app/modules/units/units.server.ts'
import { badRequest, readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'workspace:classes.new')

/**
 * Record a group class. Without JavaScript in two steps: choose the course (GET), then date,
 * place, lessons and attendees (POST). The form carries a client id: sending it twice records once.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireStaff(request)
	const lng = await getLng(request)
	const params = new URL(request.url).searchParams
	// The form's client id lives in the address: going back to the form (signed-in pages are never
	// cached, so the browser loads it again) and sending it again finds the class already saved
	// instead of recording it twice.
	const cid = params.get('cid')
	if (!cid || !UUID.test(cid)) {
		params.set('cid', randomUUID())
		throw redirect(`/staff/classes/new?${params}`)
	}
	const commune = params.get('commune') || (await communesForStaff(user.scope))[0]?.code || ''
	const courseId = params.get('course') || ''
	const course = courseId ? getCourseById(courseId) : null
	if (courseId && !course) throw badRequest('workspace:errors.course')
	// The form lists the commune's residents by name: the same rule as the residents list.
	const ref = await getCommuneInScope(user.scope, commune)
	if (ref) requirePersonalData(user.scope, ref)
	try {
		const people = await classCandidates(user.scope, commune, params.get('village') ?? undefined)
		// The attendance list names residents (ADR 019).
		await recordResidentList({
			actorId: user.id,
			scope: user.scope,
			list: 'class',
			communeCode: commune,
			filter: { village: params.get('village') ?? undefined },
			residentIds: people.map((p) => p.id),
		})
		return {
			commune,
			clientId: cid,
			today: vietnamDay(new Date()),
			village: params.get('village') ?? '',
			courses: getCatalogue(lng).map((c) => ({ id: c.id, title: c.title })),
			course: course ? { id: course.id, lessons: course.lessons.map((l) => ({ id: l.id, title: l.title[lng] })) } : null,
			people,
		}
	} catch (error) {
		throw domainErrorResponse(error)
	}
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireStaff(request)
	const form = await readFormData(request)
	const parsed = ClassSessionSchema.safeParse({
		clientId: form.get('clientId'),
		communeCode: form.get('communeCode'),
		courseId: form.get('courseId'),
		heldOn: form.get('heldOn'),
		place: form.get('place'),
		lessonIds: form.getAll('lessonId').map(String),
		attendeeIds: form.getAll('attendeeId').map(String),
	})
	if (!parsed.success) {
		const errors = [...new Set(parsed.error.issues.map((i) => i.message))]
		return data({ message: errors[0]!, errors }, { status: 400 })
	}
	const ref = await getCommuneInScope(user.scope, parsed.data.communeCode)
	if (ref) requirePersonalData(user.scope, ref)
	try {
		const result = await recordClassSession({ scope: user.scope, staffId: user.id, input: parsed.data })
		return redirect(`/staff/classes/${result.classId}?saved=1`)
	} catch (error) {
		if (isDomainError(error)) return data({ message: error.key, errors: [error.key] }, { status: error.status === 404 ? 400 : error.status })
		throw error
	}
}

export default function NewClass() {
	const { t } = useTranslation()
	const d = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	return (
		<div>
			<h1>{t('workspace:classes.new')}</h1>
			<Form method="get" className="report-filter">
				<input type="hidden" name="cid" value={d.clientId} />
				<fieldset>
					<input type="hidden" name="commune" value={d.commune} />
					<label>
						{t('workspace:classes.course')}
						<select name="course" defaultValue={d.course?.id ?? ''}>
							<option value="">{t('auth:fields.choose')}</option>
							{d.courses.map((c) => (
								<option key={c.id} value={c.id}>
									{c.title}
								</option>
							))}
						</select>
					</label>
					<label>
						{t('workspace:classes.filterVillage')}
						<input type="text" name="village" defaultValue={d.village} maxLength={100} />
					</label>
					<button type="submit" className="secondary">
						{t('workspace:classes.pickLessons')}
					</button>
				</fieldset>
			</Form>
			{!d.course ? (
				<p className="hint">{t('workspace:classes.chooseCourse')}</p>
			) : (
				<Form method="post" action={`/staff/classes/new?commune=${d.commune}&course=${d.course.id}&cid=${d.clientId}`}>
					{actionData?.errors ? (
						<div className="form-error" role="alert">
							{actionData.errors.map((e) => (
								<p key={e}>{t(e)}</p>
							))}
						</div>
					) : null}
					<input type="hidden" name="clientId" value={d.clientId} />
					<input type="hidden" name="communeCode" value={d.commune} />
					<input type="hidden" name="courseId" value={d.course.id} />
					<div className="field">
						<label htmlFor="heldOn">{t('workspace:classes.heldOn')}</label>
						<input id="heldOn" type="date" name="heldOn" defaultValue={d.today} max={d.today} required />
					</div>
					<div className="field">
						<label htmlFor="place">{t('workspace:classes.place')}</label>
						<p className="hint" id="place-hint">
							{t('workspace:classes.placeHint')}
						</p>
						<input id="place" type="text" name="place" aria-describedby="place-hint" required minLength={2} maxLength={200} />
					</div>
					<fieldset>
						<legend>{t('workspace:classes.lessons')}</legend>
						{d.course.lessons.map((l) => (
							<label key={l.id} className="check">
								<input type="checkbox" name="lessonId" value={l.id} /> {l.title}
							</label>
						))}
					</fieldset>
					<fieldset>
						<legend>{t('workspace:classes.attendees')}</legend>
						<p className="hint">{t('workspace:classes.attendeesHint')}</p>
						{d.people.map((p) => (
							<label key={p.id} className="check">
								<input type="checkbox" name="attendeeId" value={p.id} /> {p.fullName}
								{p.village ? <span className="hint"> ·&nbsp;{p.village}</span> : null}
							</label>
						))}
					</fieldset>
					<p>
						<button type="submit">{t('workspace:classes.save')}</button>
					</p>
				</Form>
			)}
		</div>
	)
}
