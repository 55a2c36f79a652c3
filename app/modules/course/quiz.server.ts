import { DomainError } from '#app/kernel/errors.ts'
import { type QuizQuestion } from './content.schema.ts'

/**
 * Grades a quiz on the server (answers never reach the browser before submission). Returns, per
 * question, whether the chosen option was right, the right option and why.
 */
/** Answers that do not fit the quiz (a missing, unknown or extra question or option). */
export class QuizInputError extends DomainError {
	constructor(detail?: string) {
		super('learning:errors.badAnswers')
		if (detail) this.message = detail
	}
}

export interface GradedQuestion {
	questionId: string
	chosen: string
	correct: boolean
	correctOption: string
	explanation: string
}

export interface QuizResult {
	questions: GradedQuestion[]
	correct: number
	total: number
	/** Percentage, rounded down. */
	score: number
	passed: boolean
}

export function gradeQuiz({ quiz, answers, passMark }: { quiz: QuizQuestion[]; answers: Record<string, string>; passMark: number }): QuizResult {
	const known = new Set(quiz.map((q) => q.id))
	for (const key of Object.keys(answers)) {
		if (!known.has(key)) throw new QuizInputError(`unknown question ${key.slice(0, 40)}`)
	}
	const questions = quiz.map((q) => {
		const chosen = answers[q.id]
		if (!chosen) throw new QuizInputError('unanswered')
		if (!q.options.some((o) => o.id === chosen)) throw new QuizInputError(`unknown option for ${q.id}`)
		const right = q.options.find((o) => o.correct)!
		return { questionId: q.id, chosen, correct: chosen === right.id, correctOption: right.id, explanation: q.explanation }
	})
	const correct = questions.filter((q) => q.correct).length
	const score = quiz.length ? Math.floor((correct * 100) / quiz.length) : 100
	return { questions, correct, total: quiz.length, score, passed: score >= passMark }
}
