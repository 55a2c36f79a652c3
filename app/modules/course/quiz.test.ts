import { expect, test } from 'vitest'
import { gradeQuiz, QuizInputError } from './quiz.server.ts'

const quiz = [1, 2, 3].map((n) => ({
	id: `q${n}`,
	question: `Question ${n}`,
	options: [
		{ id: 'a', text: 'A' },
		{ id: 'b', text: 'B', correct: true },
	],
	explanation: `Because ${n}`,
}))

test('grades answers, says which were wrong and why, and applies the pass mark', () => {
	const result = gradeQuiz({ quiz, answers: { q1: 'b', q2: 'a', q3: 'b' }, passMark: 70 })
	expect(result).toMatchObject({ correct: 2, total: 3, score: 66, passed: false })
	expect(result.questions[1]).toEqual({ questionId: 'q2', chosen: 'a', correct: false, correctOption: 'b', explanation: 'Because 2' })
	expect(gradeQuiz({ quiz, answers: { q1: 'b', q2: 'b', q3: 'b' }, passMark: 70 }).passed).toBe(true)
	expect(gradeQuiz({ quiz, answers: { q1: 'b', q2: 'a', q3: 'b' }, passMark: 60 }).passed).toBe(true)
})

test('unknown questions or options and unanswered questions are invalid input, not a crash', () => {
	expect(() => gradeQuiz({ quiz, answers: { q1: 'b', q2: 'b', q3: 'z' }, passMark: 70 })).toThrow(QuizInputError)
	expect(() => gradeQuiz({ quiz, answers: { q1: 'b', q2: 'b', q3: 'b', q9: 'a' }, passMark: 70 })).toThrow(QuizInputError)
	expect(() => gradeQuiz({ quiz, answers: { q1: 'b' }, passMark: 70 })).toThrow(QuizInputError)
})
