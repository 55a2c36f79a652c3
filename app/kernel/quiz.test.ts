import { expect, test } from 'vitest'
import { answersNeeded, learnerFeedback, shuffled } from './quiz.ts'

test('the same seed gives the same order, other seeds other orders, and every option is kept', () => {
	const options = ['a', 'b', 'c', 'd']
	expect(shuffled(options, 'x:q1')).toEqual(shuffled(options, 'x:q1'))
	const orders = new Set(Array.from({ length: 50 }, (_, i) => shuffled(options, `seed-${i}:q1`).join('')))
	expect(orders.size).toBeGreaterThan(10)
	for (const order of orders) expect([...order].sort().join('')).toBe('abcd')
	expect(options).toEqual(['a', 'b', 'c', 'd'])
})

test('each position is about equally likely for the right answer', () => {
	const counts = [0, 0, 0]
	for (let i = 0; i < 3000; i++) counts[shuffled(['right', 'x', 'y'], `${i}`).indexOf('right')]!++
	for (const n of counts) expect(n).toBeGreaterThan(800)
})

test('a learner is told how many answers they need, not a percentage', () => {
	expect(answersNeeded(3, 70)).toBe(3)
	expect(answersNeeded(4, 70)).toBe(3)
	expect(answersNeeded(4, 75)).toBe(3)
	expect(answersNeeded(5, 70)).toBe(4)
	expect(answersNeeded(2, 100)).toBe(2)
})

test('a failed attempt never names the right option; a passed one does', () => {
	const qs = [{ questionId: 'q1', chosen: 'a', correct: false, correctOption: 'b', explanation: 'why' }]
	expect(learnerFeedback(qs, false)[0]!.correctOption).toBeNull()
	expect(learnerFeedback(qs, true)[0]!.correctOption).toBe('b')
})
