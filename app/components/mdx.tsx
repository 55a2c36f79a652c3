import { getMDXComponent } from 'mdx-bundler/client/index.js'
import { createContext, useContext, useId, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { answersNeeded, type PublicQuestion, type QuizFeedback, shuffled } from '#app/kernel/quiz.ts'
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

/**
 * A drawing beside the lesson text. Its size comes from the SVG itself (the compiler adds it) so the
 * page does not jump; it loads lazily. The drawing's words are inside the image, so screen readers
 * hear the alt text once, and read-aloud (app/browser/lesson.ts) reads only the caption.
 */
function Figure({ src, alt, caption, width = '320', height = '240' }: { src: string; alt: string; caption?: string; width?: string; height?: string }) {
	return (
		<figure className="mdx-figure">
			<img src={src} alt={alt} loading="lazy" decoding="async" width={width} height={height} />
			{caption ? <figcaption>{caption}</figcaption> : null}
		</figure>
	)
}

/**
 * A word and its meaning, inside its sentence: a label for a hidden checkbox opens the meaning in
 * place on tap, without JavaScript, and stays phrasing content (a `<details>` inside a `<p>` ends the
 * paragraph: the sentence was split and read-aloud skipped its end). Read-aloud reads the word, not
 * the meaning (app/browser/lesson.ts skips `.mdx-term-def`).
 */
function Term({ def, children }: { def: string; children?: React.ReactNode }) {
	const id = `term-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`
	return (
		<span className="mdx-term">
			<input type="checkbox" id={id} className="mdx-term-toggle" />
			<label htmlFor={id}>{children}</label>
			<span className="mdx-term-def" role="note">
				{def}
			</span>
		</span>
	)
}

/**
 * The lesson's quiz; also rendered alone as the fragment /api/quiz answers with. Options come in an
 * order of their own for every attempt (seeded by the attempt's client id). After a failed attempt
 * the form comes back empty, each question saying whether the last answer was right and, if not,
 * why — never which option is right. After a pass the answers are reviewed and a retry is a quiet
 * link to a fresh form, below the way on to the next lesson.
 */
export function Quiz() {
	const { quiz, clientId, feedback, canRecord } = useContext(LessonContext)
	const { t } = useTranslation()
	if (!quiz.length) return null
	const byId = new Map(feedback?.questions.map((q) => [q.questionId, q]))
	const graded = feedback && !feedback.error ? feedback : null
	const optionText = (questionId: string, optionId: string | null) => quiz.find((q) => q.id === questionId)?.options.find((o) => o.id === optionId)?.text ?? ''
	return (
		<section className="mdx-quiz" aria-labelledby="quiz-title" id="quiz">
			<h2 id="quiz-title">{t('course:quiz.title')}</h2>
			{graded ? (
				<div className={graded.passed ? 'notice' : 'form-error'} role="status">
					<p>
						<strong>
							{graded.passed ? t('course:quiz.passed') : t('course:quiz.failed', { needed: answersNeeded(graded.total, graded.passMark), total: graded.total })}
						</strong>{' '}
						{t('course:quiz.score', { correct: graded.correct, total: graded.total })}
					</p>
					{!graded.recorded ? <p>{t('course:quiz.notRecorded')}</p> : null}
					{graded.certificateCode ? (
						<p>
							🎉 {t('learning:certificate.earned')} <a href={`/certificates/${graded.certificateCode}`}>{t('learning:certificate.view')}</a>
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
			{graded?.passed ? (
				<>
					<ol className="quiz-review">
						{quiz.map((q) => {
							const g = byId.get(q.id)
							return (
								<li key={q.id}>
									<p className="quiz-review-question">{q.question}</p>
									<p className={g?.correct ? 'quiz-explain right' : 'quiz-explain wrong'}>
										<strong>{g?.correct ? `✔ ${t('course:quiz.correct')}` : `✘ ${t('course:quiz.incorrect')}`}</strong>{' '}
										{t('course:quiz.youChose', { answer: optionText(q.id, g?.chosen ?? null) })}
										{g && !g.correct && g.correctOption ? ` ${t('course:quiz.rightWas', { answer: optionText(q.id, g.correctOption) })}` : ''}
									</p>
									{g?.explanation ? <p className="hint">{g.explanation}</p> : null}
								</li>
							)
						})}
					</ol>
					<form method="get" action="#quiz" className="quiz-again">
						<button type="submit" className="link-button">
							{t('course:quiz.again')}
						</button>
					</form>
				</>
			) : (
				<form method="post" action="#quiz">
					<input type="hidden" name="intent" value="submit-quiz" />
					<input type="hidden" name="clientId" value={clientId} />
					{quiz.map((q, i) => {
						const g = byId.get(q.id)
						return (
							<fieldset key={q.id} className="quiz-question">
								<legend>
									{i + 1}. {q.question}
								</legend>
								{g ? (
									<p className={g.correct ? 'quiz-explain right' : 'quiz-explain wrong'}>
										<strong>{g.correct ? `✔ ${t('course:quiz.wasRight')}` : `✘ ${t('course:quiz.wasWrong', { answer: optionText(q.id, g.chosen) })}`}</strong>
										{!g.correct && g.explanation ? ` ${g.explanation}` : ''}
									</p>
								) : null}
								{shuffled(q.options, `${clientId}:${q.id}`).map((o) => (
									<label key={o.id}>
										<input type="radio" name={`answer.${q.id}`} value={o.id} required />
										{o.text}
									</label>
								))}
							</fieldset>
						)
					})}
					<p>
						<button type="submit" data-offline-form="quiz">
							{graded ? t('course:quiz.retry') : t('course:quiz.submit')}
						</button>
					</p>
				</form>
			)}
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
