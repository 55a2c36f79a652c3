import { getMDXComponent } from 'mdx-bundler/client/index.js'
import { createContext, useContext, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { type PublicQuestion, type QuizFeedback } from '#app/kernel/quiz.ts'
export type { PublicQuestion, QuizFeedback } from '#app/kernel/quiz.ts'

/**
 * The lesson components authors may use (content/README.md), and nothing else. Lessons render on
 * the server only; none of this ships to the browser.
 */

interface LessonContextValue {
	quiz: readonly PublicQuestion[]
	clientId: string
	feedback: QuizFeedback | null
	canRecord: boolean
}

export const LessonContext = createContext<LessonContextValue>({ quiz: [], clientId: '', feedback: null, canRecord: false })

function Steps({ children }: { children?: React.ReactNode }) {
	return <div className="mdx-steps">{children}</div>
}

function Tip({ children }: { children?: React.ReactNode }) {
	const { t } = useTranslation()
	return (
		<aside className="mdx-tip" aria-label={t('course:components.tip')}>
			<strong>{t('course:components.tip')}: </strong>
			{children}
		</aside>
	)
}

function Warning({ children }: { children?: React.ReactNode }) {
	const { t } = useTranslation()
	return (
		<aside className="mdx-warning" role="note" aria-label={t('course:components.warning')}>
			<strong>⚠ {t('course:components.warning')}: </strong>
			{children}
		</aside>
	)
}

function PhoneScreen({ title, caption, children }: { title?: string; caption?: string; children?: React.ReactNode }) {
	const { t } = useTranslation()
	return (
		<figure className="mdx-phone">
			<div className="phone-frame" role="img" aria-label={`${t('course:components.phoneScreen')}: ${title ?? ''}`}>
				<div className="phone-status" aria-hidden="true">
					<span>📶</span>
					<span>🔋</span>
				</div>
				{title ? <div className="phone-title">{title}</div> : null}
				<div className="phone-body">{children}</div>
			</div>
			{caption ? <figcaption>{caption}</figcaption> : null}
		</figure>
	)
}

function Tap({ children }: { children?: React.ReactNode }) {
	return <span className="mdx-tap">👆 {children}</span>
}

function Figure({ src, alt, caption }: { src: string; alt: string; caption?: string }) {
	return (
		<figure className="mdx-figure">
			<img src={src} alt={alt} loading="lazy" decoding="async" width="320" height="240" />
			{caption ? <figcaption>{caption}</figcaption> : null}
		</figure>
	)
}

/** Opens on tap without JavaScript (details/summary). */
function Term({ def, children }: { def: string; children?: React.ReactNode }) {
	return (
		<details className="mdx-term">
			<summary>{children}</summary>
			<span className="mdx-term-def">{def}</span>
		</details>
	)
}

/** The lesson's quiz; also rendered alone as the fragment /api/quiz answers with. */
export function Quiz() {
	const { quiz, clientId, feedback, canRecord } = useContext(LessonContext)
	const { t } = useTranslation()
	if (!quiz.length) return null
	const byId = new Map(feedback?.questions.map((q) => [q.questionId, q]))
	return (
		<section className="mdx-quiz" aria-labelledby="quiz-title" id="quiz">
			<h2 id="quiz-title">{t('course:quiz.title')}</h2>
			{feedback && !feedback.error ? (
				<div className={feedback.passed ? 'notice' : 'form-error'} role="status">
					<p>
						<strong>{feedback.passed ? t('course:quiz.passed') : t('course:quiz.failed', { passMark: feedback.passMark })}</strong>{' '}
						{t('course:quiz.score', { correct: feedback.correct, total: feedback.total })}
					</p>
					{!feedback.recorded ? <p>{t('course:quiz.notRecorded')}</p> : null}
					{feedback.certificateCode ? (
						<p>
							🎉 {t('learning:certificate.earned')} <a href={`/certificates/${feedback.certificateCode}`}>{t('learning:certificate.view')}</a>
						</p>
					) : null}
				</div>
			) : null}
			{feedback?.error ? (
				<div className="form-error" role="alert">
					{t(feedback.error)}
				</div>
			) : null}
			{!canRecord ? <p className="hint">{t('course:quiz.signInToSave')}</p> : null}
			<form method="post" action="#quiz">
				<input type="hidden" name="intent" value="submit-quiz" />
				<input type="hidden" name="clientId" value={clientId} />
				{quiz.map((q, i) => {
					const graded = byId.get(q.id)
					return (
						<fieldset key={q.id} className="quiz-question">
							<legend>
								{i + 1}. {q.question}
							</legend>
							{q.options.map((o) => (
								<label
									key={o.id}
									className={graded && o.id === graded.correctOption ? 'quiz-right' : graded && o.id === graded.chosen ? 'quiz-wrong' : undefined}
								>
									<input type="radio" name={`answer.${q.id}`} value={o.id} defaultChecked={graded?.chosen === o.id} required />
									{o.text}
									{graded && o.id === graded.correctOption ? <span className="quiz-mark"> ✔ {t('course:quiz.rightAnswer')}</span> : null}
									{graded && o.id === graded.chosen && !graded.correct ? <span className="quiz-mark"> ✘ {t('course:quiz.yourAnswer')}</span> : null}
								</label>
							))}
							{graded ? (
								<p className={graded.correct ? 'quiz-explain right' : 'quiz-explain wrong'}>
									<strong>{graded.correct ? t('course:quiz.correct') : t('course:quiz.incorrect')}</strong> {graded.explanation}
								</p>
							) : null}
						</fieldset>
					)
				})}
				<p>
					<button type="submit" data-offline-form="quiz">
						{feedback ? t('course:quiz.retry') : t('course:quiz.submit')}
					</button>
				</p>
			</form>
		</section>
	)
}

export const mdxComponents = { Steps, Tip, Warning, PhoneScreen, Tap, Figure, Term, Quiz }

const components = new Map<string, React.ComponentType<{ components?: Record<string, unknown> }>>()
export function useLessonComponent(code: string, hash: string) {
	return useMemo(() => {
		let component = components.get(hash)
		if (!component) {
			component = getMDXComponent(code) as React.ComponentType<{ components?: Record<string, unknown> }>
			components.set(hash, component)
		}
		return component
	}, [code, hash])
}
