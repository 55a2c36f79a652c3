import { formatDate, formatDateTime } from '#app/kernel/format.ts'
import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { type TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { type Actor, collectMyData, type MyData } from '#app/features/mydata/my-data.server.ts'
import { notFound, requireUser } from '#app/utils/auth.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'mydata:title')

/** Everything kept about me (issue #18 item 2): the same document as the JSON download. */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const lng = await getLng(request)
	const data = await collectMyData(user.id, lng)
	if (!data) throw notFound()
	return { data, lng }
}

/** The page lists the newest entries of the access log; the download holds every one. */
const SHOWN = 200

/** The sections the page knows; any other key of the document (added later) is shown as it is. */
const KNOWN = new Set([
	'$schema',
	'schemaVersion',
	'generatedAt',
	'language',
	'person',
	'registration',
	'roles',
	'sessions',
	'setupCodes',
	'enrolments',
	'quizAttempts',
	'certificates',
	'classes',
	'deviceEvents',
	'accessLog',
])

export default function MyDataPage() {
	const { t } = useTranslation()
	const { data, lng } = useLoaderData<typeof loader>() as { data: MyData; lng: string }
	const day = (d: string | null) => (d ? formatDate(d, lng) : '—')
	const moment = (d: string) => formatDateTime(d, lng)
	const p = data.person
	const extra = Object.entries(data).filter(([key]) => !KNOWN.has(key))
	return (
		<div className="my-data">
			<h1>{t('mydata:title')}</h1>
			<p>{t('mydata:intro')}</p>
			<p>
				<a className="button" href="/me/data/download" download>
					{t('mydata:download')}
				</a>
			</p>
			<p className="hint">{t('mydata:downloadHint')}</p>

			<h2>{t('mydata:person.title')}</h2>
			<dl className="facts">
				<Fact label={t('auth:fields.fullName')} value={p.fullName} />
				<Fact label={t('auth:fields.phone')} value={p.phone} />
				<Fact label={t('auth:fields.birthYear')} value={p.birthYear} />
				<Fact label={t('auth:fields.sex')} value={p.sex === 'MALE' ? t('auth:fields.male') : p.sex === 'FEMALE' ? t('auth:fields.female') : null} />
				<Fact label={t('mydata:person.ethnicGroup')} value={p.ethnicGroup?.name} />
				<Fact label={t('mydata:person.learnerGroup')} value={t(`auth:learnerGroups.${p.learnerGroup}`)} />
				<Fact label={t('auth:fields.province')} value={p.province?.name} />
				<Fact label={t('auth:fields.commune')} value={p.commune?.name} />
				<Fact label={t('mydata:person.village')} value={p.village} />
				<Fact label={t('mydata:person.signInWith')} value={p.signInWith ? t(`mydata:person.credential.${p.signInWith}`) : t('mydata:person.notActivated')} />
				<Fact label={t('mydata:person.vneid')} value={p.vneidLinked ? t('mydata:yes') : t('mydata:no')} />
				<Fact label={t('mydata:person.updatedAt')} value={day(p.updatedAt)} />
			</dl>

			<h2>{t('mydata:registration.title')}</h2>
			<p>
				{t('mydata:registration.line', { date: day(data.registration.at), via: t(`mydata:registration.via.${data.registration.via}`) })}
				{data.registration.by ? ` ${t('mydata:registration.by', { who: actorLabel(t, data.registration.by) })}` : ''}
			</p>
			{data.roles.length ? (
				<ul>
					{data.roles.map((r, i) => (
						<li key={i}>{t('mydata:roles.line', { role: t(`mydata:roles.${r.role}`), unit: r.unit ?? '—', date: day(r.since) })}</li>
					))}
				</ul>
			) : null}

			<h2>{t('mydata:enrolments.title')}</h2>
			{data.enrolments.length ? (
				<ul className="my-data-list">
					{data.enrolments.map((e) => (
						<li key={e.courseId}>
							<strong>{e.course}</strong>
							<br />
							{t('mydata:enrolments.enrolled', { date: day(e.enrolledAt) })}
							{e.enrolledBy ? ` ${t('mydata:registration.by', { who: actorLabel(t, e.enrolledBy) })}` : ''}
							{e.completedAt ? ` ·\u00a0✔ ${t('mydata:enrolments.completed', { date: day(e.completedAt) })}` : ''}
							<details>
								<summary>{t('mydata:enrolments.lessons', { count: e.lessons.length })}</summary>
								<ul>
									{e.lessons.map((l) => (
										<li key={l.lessonId}>
											{l.lesson}: {t('mydata:enrolments.opened', { date: day(l.openedAt) })}
											{l.completedAt ? ` ·\u00a0${t('mydata:enrolments.done', { date: day(l.completedAt) })}` : ''}
											{l.source !== 'SELF' ? ` ·\u00a0${t(`mydata:enrolments.source.${l.source}`)}` : ''}
											{l.recordedBy ? ` (${actorLabel(t, l.recordedBy)})` : ''}
										</li>
									))}
								</ul>
							</details>
						</li>
					))}
				</ul>
			) : (
				<p>{t('mydata:none')}</p>
			)}

			<h2>{t('mydata:quiz.title')}</h2>
			{data.quizAttempts.length ? (
				<ul>
					{data.quizAttempts.map((q, i) => (
						<li key={i}>
							{q.lesson}: {t('mydata:quiz.score', { correct: q.correct, total: q.total })} ·&nbsp;{q.passed ? t('mydata:quiz.passed') : t('mydata:quiz.failed')}{' '}
							·&nbsp;
							{day(q.occurredAt)}
						</li>
					))}
				</ul>
			) : (
				<p>{t('mydata:none')}</p>
			)}

			<h2>{t('mydata:certificates.title')}</h2>
			{data.certificates.length ? (
				<ul>
					{data.certificates.map((c) => (
						<li key={c.code}>
							<Link to={`/certificates/${c.code}`}>{c.course}</Link> ·&nbsp;
							{t('mydata:certificates.line', { code: c.code, name: c.nameOnCertificate, date: day(c.issuedAt) })}
							{c.revokedAt ? ` ·\u00a0${t('mydata:certificates.revoked', { date: day(c.revokedAt) })}` : ''}
						</li>
					))}
				</ul>
			) : (
				<p>{t('mydata:none')}</p>
			)}

			<h2>{t('mydata:classes.title')}</h2>
			{data.classes.length ? (
				<ul>
					{data.classes.map((c, i) => (
						<li key={i}>{t('mydata:classes.line', { date: day(c.heldOn), place: c.place, course: c.course })}</li>
					))}
				</ul>
			) : (
				<p>{t('mydata:none')}</p>
			)}

			<h2>{t('mydata:access.title')}</h2>
			<p className="hint">{t('mydata:access.hint')}</p>
			{data.accessLog.length > SHOWN ? <p className="notice">{t('mydata:access.more', { shown: SHOWN, count: data.accessLog.length })}</p> : null}
			{data.accessLog.length ? (
				<ul className="my-data-list access-log">
					{data.accessLog.slice(0, SHOWN).map((a, i) => (
						<li key={i}>
							<strong>{moment(a.at)}</strong> ·&nbsp;{actorLabel(t, a.by)}
							<br />
							{t(`audit:actions.${a.action}`, { defaultValue: a.action })}
							{a.place !== null ? ` ·\u00a0${t('mydata:access.place', { place: a.place })}` : ''}
							{a.filter ? <FilterLine filter={a.filter} /> : null}
						</li>
					))}
				</ul>
			) : (
				<p>{t('mydata:access.none')}</p>
			)}

			<h2>{t('mydata:account.title')}</h2>
			<p>{t('mydata:account.sessions', { count: data.sessions.length })}</p>
			{data.setupCodes.length ? (
				<ul>
					{data.setupCodes.map((s, i) => (
						<li key={i}>
							{t(`mydata:account.setupCode.${s.purpose}`)} ·&nbsp;{day(s.createdAt)}
							{s.createdBy ? ` ${t('mydata:registration.by', { who: actorLabel(t, s.createdBy) })}` : ''}
							{s.usedAt ? ` ·\u00a0${t('mydata:account.used', { date: day(s.usedAt) })}` : ''}
						</li>
					))}
				</ul>
			) : null}
			<p>{t('mydata:account.deviceEvents', { count: data.deviceEvents.length })}</p>

			{extra.map(([key, value]) => (
				<section key={key}>
					<h2>{t(`mydata:sections.${key}`, { defaultValue: key })}</h2>
					<pre className="my-data-raw">{JSON.stringify(value, null, 2)}</pre>
				</section>
			))}

			<p className="hint">{t('mydata:generated', { date: moment(data.generatedAt) })}</p>
			<p>
				<Link to="/me">{t('mydata:back')}</Link>
			</p>
		</div>
	)
}

function Fact({ label, value }: { label: string; value: string | number | null | undefined }) {
	const { t } = useTranslation()
	return (
		<>
			<dt>{label}</dt>
			<dd>{value === null || value === undefined || value === '' ? t('mydata:empty') : value}</dd>
		</>
	)
}

function FilterLine({ filter }: { filter: Record<string, unknown> }) {
	const { t } = useTranslation()
	const parts = Object.entries(filter)
		.filter(([key]) => key !== 'list' && key !== 'page' && key !== 'class' && key !== 'format')
		.map(([key, value]) => t(`mydata:access.filter.${key}`, { value: String(value), defaultValue: '' }))
	const list = typeof filter.list === 'string' ? t(`mydata:access.list.${filter.list}`) : null
	const line = [list, ...parts].filter(Boolean).join(' ·\u00a0')
	return line ? (
		<>
			<br />
			<span className="hint">{line}</span>
		</>
	) : null
}

function actorLabel(t: TFunction, actor: Actor) {
	if (actor.kind === 'self') return t('mydata:actor.self')
	if (actor.kind === 'system') return t('mydata:actor.system')
	if (actor.kind === 'visitor') return t('mydata:actor.visitor')
	if (actor.kind === 'former-staff') return t('mydata:actor.former')
	return t(`mydata:actor.${actor.kind}`, { name: actor.name, unit: actor.unit ?? '' })
}
