import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { isLessonUnlocked, lessonPageState, lessonsRequiredBefore, unlockedLessons } from './progression.ts'

const lessons = ['a', 'b', 'c', 'd']

describe('sequential unlocking', () => {
	test('the first lesson is always open; each next one opens when every lesson before it is completed', () => {
		expect(unlockedLessons({ lessonIds: lessons, completed: [], sequential: true })).toEqual(['a'])
		expect(unlockedLessons({ lessonIds: lessons, completed: ['a'], sequential: true })).toEqual(['a', 'b'])
		expect(unlockedLessons({ lessonIds: lessons, completed: ['a', 'b', 'c', 'd'], sequential: true })).toEqual(lessons)
	})

	test('a lesson completed out of order (by staff, in class) does not open the lessons after a gap', () => {
		expect(unlockedLessons({ lessonIds: lessons, completed: ['a', 'c'], sequential: true })).toEqual(['a', 'b'])
		expect(isLessonUnlocked({ lessonIds: lessons, lessonId: 'd', completed: ['a', 'c'], sequential: true })).toBe(false)
		expect(isLessonUnlocked({ lessonIds: lessons, lessonId: 'c', completed: ['b', 'a'], sequential: true })).toBe(true)
	})

	test('completions of lessons the course no longer has change nothing', () => {
		expect(unlockedLessons({ lessonIds: lessons, completed: ['gone', 'a'], sequential: true })).toEqual(['a', 'b'])
	})

	test('every lesson is open in a course that is not sequential', () => {
		expect(unlockedLessons({ lessonIds: lessons, completed: [], sequential: false })).toEqual(lessons)
		expect(isLessonUnlocked({ lessonIds: lessons, lessonId: 'd', completed: [], sequential: false })).toBe(true)
		expect(lessonsRequiredBefore({ lessonIds: lessons, lessonId: 'd', sequential: false })).toEqual([])
	})

	test('a lesson that is not in the course is never open', () => {
		expect(isLessonUnlocked({ lessonIds: lessons, lessonId: 'x', completed: lessons, sequential: true })).toBe(false)
		expect(isLessonUnlocked({ lessonIds: lessons, lessonId: 'x', completed: lessons, sequential: false })).toBe(false)
		expect(lessonsRequiredBefore({ lessonIds: lessons, lessonId: 'x', sequential: true })).toEqual([])
	})

	test('the three forms agree: the open lessons are a prefix of the course, and a lesson is open when those required before it are completed', () => {
		const course = fc.uniqueArray(fc.stringMatching(/^[a-z]{1,3}$/), { minLength: 1, maxLength: 8 })
		fc.assert(
			fc.property(course, fc.array(fc.stringMatching(/^[a-z]{1,3}$/), { maxLength: 10 }), fc.boolean(), (lessonIds, extra, sequential) => {
				const completed = [...lessonIds.filter((_, i) => i % 2 === 0 || extra.includes(lessonIds[i]!)), ...extra]
				const open = unlockedLessons({ lessonIds, completed, sequential })
				expect(open).toEqual(lessonIds.slice(0, open.length))
				for (const lessonId of lessonIds) {
					const unlocked = isLessonUnlocked({ lessonIds, lessonId, completed, sequential })
					expect(unlocked).toBe(open.includes(lessonId))
					const required = lessonsRequiredBefore({ lessonIds, lessonId, sequential })
					expect(unlocked).toBe(required.every((id) => completed.includes(id)))
				}
			}),
		)
	})
})

test('lessonPageState: what a lesson page shows of the learner (visitor, not enrolled, open, done, locked with where to continue)', () => {
	const lessonIds = ['a', 'b', 'c']
	const progress = (completed: string[]) => ({ enrolled: true, completed, unlocked: unlockedLessons({ lessonIds, completed, sequential: true }) })
	expect(lessonPageState({ lessonIds, lessonId: 'b', progress: null })).toEqual({ enrolled: false, done: false, locked: false, firstOpenId: null })
	expect(lessonPageState({ lessonIds, lessonId: 'b', progress: { enrolled: false, completed: [], unlocked: [] } })).toEqual({
		enrolled: false,
		done: false,
		locked: false,
		firstOpenId: null,
	})
	expect(lessonPageState({ lessonIds, lessonId: 'b', progress: progress(['a']) })).toEqual({ enrolled: true, done: false, locked: false, firstOpenId: 'b' })
	expect(lessonPageState({ lessonIds, lessonId: 'a', progress: progress(['a']) })).toEqual({ enrolled: true, done: true, locked: false, firstOpenId: 'b' })
	expect(lessonPageState({ lessonIds, lessonId: 'c', progress: progress(['a']) })).toEqual({ enrolled: true, done: false, locked: true, firstOpenId: 'b' })
	expect(lessonPageState({ lessonIds, lessonId: 'c', progress: progress(['a', 'b', 'c']) })).toEqual({
		enrolled: true,
		done: true,
		locked: false,
		firstOpenId: null,
	})
})
