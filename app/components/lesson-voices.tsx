import { useTranslation } from 'react-i18next'
import { durationText } from '#app/kernel/voices.ts'

export interface LessonVoice {
	id: string
	/** The language's name in the page's language ("Thái Đen"). */
	name: string
	dialectNote: string
	section: number | null
	durationMs: number
	bytes: number
	url: string
}

/**
 * "Nghe bằng tiếng …": the lesson read by a narrator of the learner's own language (issue #23). A
 * plain `<audio controls>`: it plays without JavaScript and with the screen off, and loads nothing
 * until played. Fed by its own loader field (`voices`), apart from the lesson body.
 */
export function LessonVoices({ voices }: { voices: readonly LessonVoice[] }) {
	const { t } = useTranslation()
	if (!voices.length) return null
	return (
		<section className="lesson-voices no-print" aria-label={t('voice:listen.label')}>
			{voices.map((v) => (
				<div key={v.id} className="lesson-voice">
					<p>
						🔊 {t('voice:listen.in', { language: v.name })}
						{v.section ? ` ·\u00a0${t('voice:section', { n: v.section })}` : ''}
						<span className="hint">
							{' '}
							·&nbsp;{durationText(v.durationMs)} ·&nbsp;{t('voice:kb', { kb: Math.ceil(v.bytes / 1024) })}
							{v.dialectNote ? ` ·\u00a0${v.dialectNote}` : ''}
						</span>
					</p>
					{/* biome-ignore lint/a11y/useMediaCaption: the lesson's text on this page is what is read; most of these languages have no written form to caption in */}
					<audio controls preload="none" src={v.url} data-voice-bytes={v.bytes} />
				</div>
			))}
		</section>
	)
}
