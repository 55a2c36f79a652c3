import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { activeGrantsOf } from '#app/modules/voice/voice.server.ts'
import { vneidEnabled } from '#app/modules/people/vneid.server.ts'
import { getMyLearning } from '#app/modules/progress/progress.server.ts'
import { communeName } from '#app/modules/units/units.server.ts'
import { requireUser } from '#app/utils/auth.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { isProvinceLevel, isStaff } from '#app/kernel/scope.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'auth:me.title')

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const lng = await getLng(request)
	const learning = (await getMyLearning(user.id)).map((c) => ({
		...c,
		title: c.title[lng],
		next: c.next ? { slug: c.next.slug, title: c.next.title[lng] } : null,
	}))
	return {
		learning,
		fullName: user.fullName,
		commune: await communeName(user.communeCode, lng),
		staff: isStaff(user.scope),
		province: isProvinceLevel(user.scope),
		vneid: vneidEnabled(),
		// Narrators of lessons in local languages (issue #23) start from here.
		narrator: (await activeGrantsOf(user.id)).length > 0,
		// Just registered (/register sends them here): welcome, and how to sign in next time.
		welcome: new URL(request.url).searchParams.get('welcome') === '1' ? { phone: user.phone } : null,
	}
}

export default function Me() {
	const { t } = useTranslation()
	const me = useLoaderData<typeof loader>()
	return (
		<div>
			<h1>{t('auth:me.hello', { name: me.fullName })}</h1>
			{me.narrator ? (
				<p>
					<a href="/narrate" className="button secondary">
						🎙 {t('voice:narrate.title')}
					</a>
				</p>
			) : null}
			{me.welcome ? (
				<div className="notice" role="status">
					<p>
						<strong>{t('auth:me.welcome')}</strong>
					</p>
					<p>{t('auth:me.welcomeLogin', { phone: me.welcome.phone })}</p>
					<p>{t('auth:me.welcomeSecret')}</p>
				</div>
			) : null}
			{me.commune ? (
				<p>{t('auth:me.commune', { commune: me.commune })}</p>
			) : (
				<p className="notice">
					{t('auth:me.noCommune')} <Link to="/me/complete">{t('auth:vneid.completeTitle')}</Link>
				</p>
			)}
			<h2>{t('learning:me.title')}</h2>
			{me.learning.length ? (
				<ul className="my-learning">
					{me.learning.map((c) => (
						<li key={c.courseId}>
							<Link to={`/courses/${c.slug}`}>
								<strong>{c.title}</strong>
							</Link>
							<br />
							{t('learning:me.progress', { done: c.completedCount, total: c.lessonCount })}
							{/* The words above say it: read aloud once, not twice. */}
							<progress max={c.lessonCount} value={c.completedCount} aria-hidden="true" />
							{c.completedAt ? (
								<>
									✔ {t('learning:me.done')}
									{c.certificateCode ? (
										<>
											{' '}
											·&nbsp;<Link to={`/certificates/${c.certificateCode}`}>{t('learning:certificate.view')}</Link>
										</>
									) : null}
								</>
							) : c.next ? (
								<Link className="button" to={`/courses/${c.slug}/${c.next.slug}`}>
									{t('learning:me.next', { title: c.next.title })}
								</Link>
							) : null}
						</li>
					))}
				</ul>
			) : (
				<p>{t('learning:me.none')}</p>
			)}
			<p>
				<Link className="button secondary" to="/courses">
					{t('common:home.browseCourses')}
				</Link>
			</p>
			{me.staff ? (
				<p>
					<Link to="/staff">{t('auth:me.staffArea')}</Link>
				</p>
			) : null}
			{me.province ? (
				<p>
					<Link to="/province">{t('auth:me.provinceArea')}</Link>
				</p>
			) : null}
			<h2>{t('auth:me.title')}</h2>
			{me.commune ? (
				<p>
					<Link to="/me/profile">{t('privacy:profile.link')}</Link>
				</p>
			) : null}
			<p>
				<Link to="/me/data">{t('mydata:link')}</Link>
			</p>
			<p>
				<Link to="/me/security">{t('auth:security.link')}</Link>
			</p>
			<p>
				<Link to="/privacy">{t('privacy:title')}</Link>
			</p>
			{me.vneid ? (
				<p>
					<Link to="/me/vneid">{t('auth:vneid.linkLink')}</Link>
				</p>
			) : null}
			<p>
				<Link to="/me/erase">{t('erasure:me.link')}</Link>
			</p>
			<div className="sign-out">
				<p className="hint">{t('auth:me.sharedPhone')}</p>
				<Form method="post" action="/logout">
					<button type="submit" className="secondary">
						{t('auth:logout.submit')}
					</button>
				</Form>
			</div>
			<div className="sign-out">
				<p className="hint">{t('auth:me.everywhereHint')}</p>
				<Form method="post" action="/logout">
					<input type="hidden" name="everywhere" value="1" />
					<button type="submit" className="secondary">
						{t('auth:logout.everywhere')}
					</button>
				</Form>
			</div>
		</div>
	)
}
