import { isDomainError } from '#app/kernel/errors.ts'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { maskPhone } from '#app/modules/people/phone.ts'
import { requireResidentRecord } from '#app/features/workspace/resident-record.server.ts'
import { resetResidentPin } from '#app/modules/people/residents.server.ts'
import { keepSlipCode, slipPath } from '#app/features/workspace/slip-cookie.server.ts'
import { getCatalogue } from '#app/modules/course/course.server.ts'
import { getMyLearning } from '#app/modules/progress/progress.server.ts'
import { enrolOnBehalf } from '#app/features/workspace/workspace.server.ts'
import { recordResidentView } from '#app/features/workspace/access.server.ts'
import { ACCESS_ACTIONS } from '#app/modules/audit/access-log.server.ts'
import { communeName } from '#app/modules/units/units.server.ts'
import { isProvinceLevel } from '#app/kernel/scope.ts'
import { notFound, requireStaff } from '#app/utils/auth.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { activeSetupCode } from '#app/modules/people/setup-code.server.ts'
import { pageTitle } from '#app/utils/meta.ts'
import { titled } from '#app/utils/title.ts'
import { useFormat } from '#app/components/use-format.ts'

/** The resident's name first: staff tell their open tabs apart by it. */
export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
	data ? [{ title: titled(data.resident.fullName) }] : pageTitle(matches, 'workspace:residents.title')

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireStaff(request)
	const resident = await requireResidentRecord(user, params.residentId)
	await recordResidentView({ actorId: user.id, resident })
	const lng = await getLng(request)
	const learning = await getMyLearning(resident.id)
	const classes = await prisma.classAttendance.findMany({
		where: { userId: resident.id },
		select: { classSession: { select: { id: true, heldOn: true, place: true } } },
		take: 20,
	})
	const history = await prisma.auditLog.findMany({
		// What was done to the record; who looked at it is the province's audit viewer's and the resident's.
		where: { targetUserId: resident.id, action: { notIn: [...ACCESS_ACTIONS] } },
		orderBy: { createdAt: 'desc' },
		take: 20,
		select: { action: true, createdAt: true },
	})
	return {
		// Province officers and administrators follow who looked at the record in the audit viewer.
		auditLink: isProvinceLevel(user.scope) ? `/province/audit?person=${resident.id}` : null,
		resident: {
			id: resident.id,
			fullName: resident.fullName,
			phone: resident.phone ? maskPhone(resident.phone) : '',
			commune: await communeName(resident.communeCode, lng),
			village: resident.village,
			activated: Boolean(resident.credentialKind),
		},
		// A slip whose code still works can be shown again from its own page.
		activeSlip: Boolean(await activeSetupCode(resident.id)),
		learning: learning.map((c) => ({ title: c.title[lng], done: c.completedCount, total: c.lessonCount, completed: Boolean(c.completedAt) })),
		notEnrolled: getCatalogue(lng)
			.filter((c) => !learning.some((l) => l.courseId === c.id))
			.map((c) => ({ id: c.id, title: c.title })),
		history: [
			...history.map((h) => ({ action: h.action, at: h.createdAt.toISOString().slice(0, 10), place: null as string | null, classId: null as string | null })),
			...classes.map((c) => ({
				action: 'class.attended',
				at: c.classSession.heldOn.toISOString().slice(0, 10),
				place: c.classSession.place,
				classId: c.classSession.id,
			})),
		].sort((a, b) => b.at.localeCompare(a.at)),
	}
}

/**
 * A setup code (confirmed first on the page, ?confirm=code): an activation code for someone who
 * never had a PIN, a reset for someone who had one (their old PIN and every session end). Then the
 * slip's own page (POST → redirect → GET: reloading shows the same slip, never a second code).
 * Enrol: staff enrol the resident in courses (recorded as enrolled by them).
 */
export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireStaff(request)
	const form = await readFormData(request)
	// Acting on a resident shows their name (the setup slip, the page): the same rule as reading the page.
	await requireResidentRecord(user, params.residentId)
	if (form.get('intent') === 'enrol') {
		try {
			const created = await enrolOnBehalf({
				scope: user.scope,
				staffId: user.id,
				residentId: params.residentId ?? '',
				courseIds: form.getAll('courseId').map(String),
			})
			return data({ slip: null, message: created.length ? 'workspace:enrol.done' : 'workspace:enrol.already', count: created.length })
		} catch (error) {
			if (isDomainError(error)) {
				if (error.status === 404) throw notFound()
				return data({ slip: null, message: error.key, count: 0 }, { status: error.status })
			}
			throw error
		}
	}
	if (form.get('intent') !== 'reset-pin') return data({ slip: null, message: 'common:errors.badInput' }, { status: 400 })
	const reset = await resetResidentPin({ scope: user.scope, staffId: user.id, residentId: params.residentId ?? '' })
	if (!reset) throw notFound()
	return redirect(slipPath(reset.resident.id), { headers: { 'Set-Cookie': await keepSlipCode(reset.resident.id, reset.code, reset.expiresAt) } })
}

export default function ResidentPage() {
	const { t } = useTranslation()
	const format = useFormat()
	const { resident, learning, notEnrolled, history, auditLink, activeSlip } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const [params] = useSearchParams()
	return (
		<div>
			<h1>{resident.fullName}</h1>
			{params.get('corrected') ? (
				<p className="notice" role="status">
					{t('staff:resident.corrected')}
				</p>
			) : null}
			<p className="hint">
				{resident.phone} ·&nbsp;{resident.commune}
				{resident.village ? ` ·\u00a0${resident.village}` : ''} ·&nbsp;{resident.activated ? t('staff:resident.activated') : t('staff:home.notActivated')}
			</p>
			<p>
				<Link to={`/staff/residents/${resident.id}/profile`}>{t('privacy:staffProfile.link')}</Link>
			</p>
			<h2>{t('staff:resident.learning')}</h2>
			<ul>
				{learning.map((c) => (
					<li key={c.title}>
						{c.title}: {c.completed ? `✔ ${t('learning:me.done')}` : t('learning:me.progress', { done: c.done, total: c.total })}
					</li>
				))}
			</ul>
			{actionData?.message ? (
				<p className={!('count' in actionData) || actionData.count === 0 ? 'form-error' : 'notice'} role="status">
					{t(actionData.message, { count: 'count' in actionData ? Number(actionData.count) : 0 })}
				</p>
			) : null}
			{notEnrolled.length ? (
				<Form method="post" className="enrol-form">
					<fieldset>
						<legend>{t('workspace:enrol.title')}</legend>
						{notEnrolled.map((c) => (
							<label key={c.id} className="check">
								<input type="checkbox" name="courseId" value={c.id} /> {c.title}
							</label>
						))}
					</fieldset>
					<button type="submit" name="intent" value="enrol">
						{t('workspace:enrol.submit')}
					</button>
				</Form>
			) : null}
			<h2 id="setup-code">{resident.activated ? t('staff:resident.resetTitle') : t('staff:resident.activateTitle')}</h2>
			<p className="hint">{resident.activated ? t('staff:resident.resetHint') : t('staff:resident.activateHint')}</p>
			{activeSlip ? (
				<p>
					<Link to={`/staff/residents/${resident.id}/slip`}>{t('staff:resident.openSlip')}</Link>
				</p>
			) : null}
			{params.get('confirm') === 'code' ? (
				<Form method="post" className="confirm-box" aria-labelledby="confirm-code">
					<p id="confirm-code">
						<strong>
							{resident.activated
								? t('staff:resident.confirmReset', { name: resident.fullName })
								: t('staff:resident.confirmActivate', { name: resident.fullName })}
						</strong>
					</p>
					{activeSlip ? <p className="hint">{t('staff:resident.replacesSlip')}</p> : null}
					<button type="submit" name="intent" value="reset-pin" className={resident.activated ? 'danger' : undefined}>
						{resident.activated ? t('staff:resident.reset') : t('staff:resident.activate')}
					</button>{' '}
					<Link to={`/staff/residents/${resident.id}#setup-code`}>{t('staff:resident.cancel')}</Link>
				</Form>
			) : (
				<p>
					<Link className="button secondary" to={`/staff/residents/${resident.id}?confirm=code#setup-code`}>
						{resident.activated ? t('staff:resident.reset') : t('staff:resident.activate')}
					</Link>
				</p>
			)}
			<p>
				<Link to={`/staff/residents/${resident.id}/erase`}>{t('erasure:staff.link')}</Link>
			</p>
			<h2>{t('staff:resident.history')}</h2>
			<ul>
				{history.map((h, i) => (
					<li key={i}>
						{format.date(h.at)}:{' '}
						{h.classId ? (
							<a href={`/staff/classes/${h.classId}`}>{t('workspace:classes.attended', { place: h.place })}</a>
						) : (
							t(`staff:actions.${h.action}`, { defaultValue: t(`workspace:actions.${h.action}`, { defaultValue: h.action }) })
						)}
					</li>
				))}
			</ul>
			{auditLink ? (
				<p>
					<Link to={auditLink}>{t('audit:link')}</Link>
				</p>
			) : null}
		</div>
	)
}
