import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { isDomainError } from '#app/kernel/errors.ts'
import { durationText, voiceLanguageName } from '#app/kernel/voices.ts'
import { getLessonById } from '#app/modules/course/course.server.ts'
import { communeName, provinceName } from '#app/modules/units/units.server.ts'
import { audioUrl, canReviewAny, contentVersionOf, listForReview, reviewRecording } from '#app/modules/voice/voice.server.ts'
import { ReviewSchema } from '#app/modules/voice/voice.schema.ts'
import { forbidden, requireUser } from '#app/utils/auth.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'voice:review.title')

/**
 * Listening and deciding: narrators review the recordings of their places (not their own), province
 * officers those of their provinces. Approve publishes; take down removes it from learners.
 */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	if (!(await canReviewAny(user))) throw forbidden()
	const lng = await getLng(request)
	const rows = await listForReview(user)
	return {
		recordings: await Promise.all(
			rows.map(async (r) => {
				const found = getLessonById(r.lessonId)
				return {
					id: r.id,
					lesson: found ? `${found.course.title[lng]} ·\u00a0${found.lesson.title[lng]}` : r.lessonId,
					lessonHref: found ? `/courses/${found.course.slug}/${found.lesson.slug}` : null,
					language: `${voiceLanguageName(r.language, lng)} (${r.language})`,
					dialectNote: r.dialectNote,
					section: r.section,
					place: r.communeCode ? await communeName(r.communeCode, lng) : await provinceName(r.provinceCode, lng),
					status: r.status,
					current: found ? contentVersionOf(found.lesson) === r.contentVersion : false,
					duration: durationText(r.durationMs),
					kb: Math.ceil(r.bytes / 1024),
					url: audioUrl(r),
				}
			}),
		),
	}
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireUser(request)
	if (!(await canReviewAny(user))) throw forbidden()
	const form = await readFormData(request)
	const parsed = ReviewSchema.safeParse({ recordingId: form.get('recordingId'), intent: form.get('intent') })
	if (!parsed.success) return data({ error: 'common:errors.badInput' }, { status: 400 })
	try {
		await reviewRecording({ user, recordingId: parsed.data.recordingId, decision: parsed.data.intent })
	} catch (error) {
		if (isDomainError(error)) return data({ error: error.key }, { status: error.status })
		throw error
	}
	return redirect(`/narrate/review?done=${parsed.data.intent}`)
}

export default function Review() {
	const { t } = useTranslation()
	const d = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	return (
		<div>
			<h1>{t('voice:review.title')}</h1>
			<p>{t('voice:review.lead')}</p>
			{actionData?.error ? (
				<div className="form-error" role="alert">
					{t(actionData.error)}
				</div>
			) : null}
			{d.recordings.length === 0 ? <p className="hint">{t('voice:review.none')}</p> : null}
			<ul className="voice-list">
				{d.recordings.map((r) => (
					<li key={r.id} data-recording={r.id}>
						<strong>{r.lesson}</strong>
						{r.section ? ` ·\u00a0${t('voice:section', { n: r.section })}` : ''}
						<br />
						{r.language} ·&nbsp;{r.place} ·&nbsp;{r.duration} ·&nbsp;{t('voice:kb', { kb: r.kb })}
						{r.dialectNote ? (
							<>
								<br />
								<span className="hint">{r.dialectNote}</span>
							</>
						) : null}
						<br />
						<span className={`status status-${r.status.toLowerCase()}`}>{t(`voice:status.${r.status}`)}</span>
						{r.current ? null : <span className="hint"> ·&nbsp;{t('voice:review.outdated')}</span>}
						<br />
						{/* biome-ignore lint/a11y/useMediaCaption: the reviewer listens to check the reading against the lesson's text */}
						<audio controls preload="none" src={r.url} />
						<form method="post" className="inline-actions">
							<input type="hidden" name="recordingId" value={r.id} />
							{r.status !== 'PUBLISHED' && r.current ? (
								<button type="submit" name="intent" value="approve">
									✔ {t('voice:review.approve')}
								</button>
							) : null}{' '}
							<button type="submit" name="intent" value="take-down" className="secondary">
								{t('voice:review.takeDown')}
							</button>
						</form>
					</li>
				))}
			</ul>
		</div>
	)
}
