import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { durationText, voiceLanguageName } from '#app/kernel/voices.ts'
import { getManifest } from '#app/modules/course/course.server.ts'
import { canReviewAny, listOwnRecordings, requireNarrator } from '#app/modules/voice/voice.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'voice:narrate.title')

/** A narrator's start: the lessons to record, and what they recorded with its state. */
export async function loader({ request }: LoaderFunctionArgs) {
	const { user } = await requireNarrator(request)
	const lng = await getLng(request)
	const courses = getManifest().courses.map((c) => ({
		slug: c.slug,
		title: c.title[lng]!,
		lessons: c.lessons.map((l) => ({ id: l.id, slug: l.slug, title: l.title[lng]!, minutes: l.minutes })),
	}))
	const lessonTitle = (id: string) => {
		for (const c of courses) for (const l of c.lessons) if (l.id === id) return { title: l.title, href: `/narrate/${c.slug}/${l.slug}` }
		return { title: id, href: '/narrate' }
	}
	const own = await listOwnRecordings(user.id)
	return {
		courses,
		canReview: await canReviewAny(user),
		recordings: own.map((r) => ({
			id: r.id,
			...lessonTitle(r.lessonId),
			language: voiceLanguageName(r.language, lng),
			section: r.section,
			status: r.status,
			durationMs: r.durationMs,
			bytes: r.bytes,
			createdAt: r.createdAt.toISOString(),
		})),
	}
}

export default function NarrateIndex() {
	const { t } = useTranslation()
	const d = useLoaderData<typeof loader>()
	return (
		<div>
			<h1>{t('voice:narrate.title')}</h1>
			<p>{t('voice:narrate.lead')}</p>
			{d.canReview ? (
				<p>
					<a href="/narrate/review" className="button secondary">
						{t('voice:review.title')}
					</a>
				</p>
			) : null}
			<h2>{t('voice:narrate.mine')}</h2>
			{d.recordings.length ? (
				<ul className="voice-list">
					{d.recordings.map((r) => (
						<li key={r.id}>
							<a href={r.href}>{r.title}</a> ·&nbsp;{r.language}
							{r.section ? ` ·\u00a0${t('voice:section', { n: r.section })}` : ''} ·&nbsp;{durationText(r.durationMs)} ·&nbsp;
							{t('voice:kb', { kb: Math.ceil(r.bytes / 1024) })}
							<br />
							<span className={`status status-${r.status.toLowerCase()}`}>{t(`voice:status.${r.status}`)}</span>
						</li>
					))}
				</ul>
			) : (
				<p className="hint">{t('voice:narrate.none')}</p>
			)}
			<h2>{t('voice:narrate.pick')}</h2>
			{d.courses.map((c) => (
				<details key={c.slug}>
					<summary>{c.title}</summary>
					<ol>
						{c.lessons.map((l) => (
							<li key={l.id}>
								<a href={`/narrate/${c.slug}/${l.slug}`}>{l.title}</a> <span className="hint">({t('course:course.minutes', { minutes: l.minutes })})</span>
							</li>
						))}
					</ol>
				</details>
			))}
		</div>
	)
}
