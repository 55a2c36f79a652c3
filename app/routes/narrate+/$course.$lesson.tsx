import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { LessonContext, mdxComponents, useLessonComponent } from '#app/components/mdx.tsx'
import { isDomainError } from '#app/kernel/errors.ts'
import { durationText, VOICE_LANGUAGES, VOICE_LIMITS, voiceLanguageName } from '#app/kernel/voices.ts'
import { getLessonBySlugs, getLessonCode } from '#app/modules/course/course.server.ts'
import { communeName, provinceName } from '#app/modules/units/units.server.ts'
import { audioUrl, listOwnRecordings, requireNarrator, uploadRecording } from '#app/modules/voice/voice.server.ts'
import { UploadSchema } from '#app/modules/voice/voice.schema.ts'
import { notFound } from '#app/utils/auth.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { titled } from '#app/utils/title.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: titled(data?.lesson.title) }]

/** Recording one lesson: its Vietnamese text to read from, the recorder (or a file), what was sent. */
export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, grants } = await requireNarrator(request)
	const found = getLessonBySlugs(params.course ?? '', params.lesson ?? '')
	if (!found) throw notFound()
	const lng = await getLng(request)
	const { code, hash } = await getLessonCode(found.lesson, 'vi')
	const own = (await listOwnRecordings(user.id)).filter((r) => r.lessonId === found.lesson.id)
	return {
		course: { slug: found.course.slug, title: found.course.title[lng]! },
		lesson: { id: found.lesson.id, title: found.lesson.title[lng]!, minutes: found.lesson.minutes },
		maxMinutes: VOICE_LIMITS.maxSecondsFor(found.lesson.minutes) / 60,
		maxMb: VOICE_LIMITS.maxUploadBytes / 1024 / 1024,
		maxBytes: VOICE_LIMITS.maxUploadBytes,
		code,
		hash,
		languages: VOICE_LANGUAGES.map((l) => ({ value: l.code, label: `${lng === 'vi' ? l.vi : l.en} (${l.code})` })),
		grants: await Promise.all(
			grants.map(async (g) => ({ id: g.id, place: g.communeCode ? await communeName(g.communeCode, lng) : await provinceName(g.provinceCode, lng) })),
		),
		recordings: own.map((r) => ({
			id: r.id,
			language: voiceLanguageName(r.language, lng),
			section: r.section,
			status: r.status,
			duration: durationText(r.durationMs),
			kb: Math.ceil(r.bytes / 1024),
			url: audioUrl(r),
		})),
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user } = await requireNarrator(request)
	const found = getLessonBySlugs(params.course ?? '', params.lesson ?? '')
	if (!found) throw notFound()
	// The file plus the few fields and the multipart framing.
	const form = await readFormData(request, { maxBytes: VOICE_LIMITS.maxUploadBytes + 64 * 1024 })
	const parsed = UploadSchema.safeParse({
		language: form.get('language'),
		dialectNote: form.get('dialectNote') ?? '',
		section: form.get('section') ?? '',
		grant: form.get('grant') ?? '',
	})
	if (!parsed.success) return data({ error: parsed.error.issues[0]?.message ?? 'common:errors.badInput' }, { status: 400 })
	const file = form.get('audio')
	if (!(file instanceof File) || file.size === 0) return data({ error: 'voice:errors.noFile' }, { status: 400 })
	try {
		await uploadRecording({
			narratorId: user.id,
			lessonId: found.lesson.id,
			language: parsed.data.language,
			dialectNote: parsed.data.dialectNote,
			section: parsed.data.section,
			grantId: parsed.data.grant,
			file: new Uint8Array(await file.arrayBuffer()),
		})
	} catch (error) {
		if (isDomainError(error)) return data({ error: error.key }, { status: error.status })
		throw error
	}
	return redirect(`/narrate/${found.course.slug}/${found.lesson.slug}?sent=1`)
}

export default function NarrateLesson() {
	const { t } = useTranslation()
	const d = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const Component = useLessonComponent(d.code, d.hash)
	return (
		<div className="narrate">
			<p className="breadcrumb">
				<a href="/narrate">{t('voice:narrate.title')}</a> ·&nbsp;{d.course.title}
			</p>
			<h1>{d.lesson.title}</h1>
			{actionData?.error ? (
				<div className="form-error" role="alert" id="upload-error">
					{t(actionData.error, { minutes: d.maxMinutes, mb: d.maxMb })}
				</div>
			) : null}
			{d.recordings.length ? (
				<section>
					<h2>{t('voice:narrate.mineHere')}</h2>
					<ul className="voice-list">
						{d.recordings.map((r) => (
							<li key={r.id}>
								{r.language}
								{r.section ? ` ·\u00a0${t('voice:section', { n: r.section })}` : ''} ·&nbsp;{r.duration} ·&nbsp;{t('voice:kb', { kb: r.kb })} ·&nbsp;
								<span className={`status status-${r.status.toLowerCase()}`}>{t(`voice:status.${r.status}`)}</span>
								<br />
								{/* biome-ignore lint/a11y/useMediaCaption: the narrator's own reading of the lesson text on this page */}
								<audio controls preload="none" src={r.url} />
							</li>
						))}
					</ul>
				</section>
			) : null}
			<form
				method="post"
				encType="multipart/form-data"
				className="narrate-form"
				data-max-bytes={d.maxBytes}
				data-too-large={t('voice:errors.tooLarge', { mb: d.maxMb })}
			>
				<h2>{t('voice:narrate.record')}</h2>
				<div className="field">
					<label htmlFor="language">{t('voice:fields.language')}</label>
					<select id="language" name="language" required defaultValue="">
						<option value="" disabled>
							{t('voice:fields.choose')}
						</option>
						{d.languages.map((l) => (
							<option key={l.value} value={l.value}>
								{l.label}
							</option>
						))}
					</select>
				</div>
				<div className="field">
					<label htmlFor="dialectNote">{t('voice:fields.dialectNote')}</label>
					<p className="hint" id="dialectNote-hint">
						{t('voice:fields.dialectNoteHint')}
					</p>
					<input id="dialectNote" name="dialectNote" maxLength={120} aria-describedby="dialectNote-hint" />
				</div>
				<div className="field">
					<label htmlFor="section">{t('voice:fields.section')}</label>
					<p className="hint" id="section-hint">
						{t('voice:fields.sectionHint')}
					</p>
					<input id="section" name="section" type="number" inputMode="numeric" min={1} max={50} aria-describedby="section-hint" />
				</div>
				{d.grants.length > 1 ? (
					<div className="field">
						<label htmlFor="grant">{t('voice:fields.place')}</label>
						<select id="grant" name="grant">
							{d.grants.map((g) => (
								<option key={g.id} value={g.id}>
									{g.place}
								</option>
							))}
						</select>
					</div>
				) : null}
				<div className="recorder" data-recorder="" hidden>
					<p>
						<button type="button" data-record="">
							⏺ {t('voice:recorder.start')}
						</button>{' '}
						<button type="button" className="secondary" data-stop="" hidden>
							⏹ {t('voice:recorder.stop')}
						</button>
					</p>
					<p
						className="hint"
						role="status"
						data-recorder-status=""
						data-recording={t('voice:recorder.recording')}
						data-ready={t('voice:recorder.ready')}
						data-denied={t('voice:recorder.denied')}
					/>
					{/* biome-ignore lint/a11y/useMediaCaption: the narrator's own reading of the lesson text on this page */}
					<audio controls data-preview="" hidden />
					<p className="hint" data-again="" hidden>
						{t('voice:recorder.again')}
					</p>
				</div>
				<div className="field">
					<label htmlFor="audio">{t('voice:fields.file')}</label>
					<p className="hint" id="audio-hint">
						{t('voice:fields.fileHint', { minutes: d.maxMinutes, mb: d.maxMb })}
					</p>
					<input id="audio" name="audio" type="file" accept="audio/*" capture="user" aria-describedby="audio-hint" />
				</div>
				<p>
					<button type="submit">{t('voice:narrate.send')}</button>
				</p>
			</form>
			<h2>{t('voice:narrate.text')}</h2>
			<LessonContext.Provider value={{ quiz: [], clientId: '', feedback: null, canRecord: false }}>
				<div className="lesson-body" lang="vi">
					<Component components={mdxComponents} />
				</div>
			</LessonContext.Provider>
			<script src="/narrate.js" defer />
		</div>
	)
}
