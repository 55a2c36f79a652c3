import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from 'vitest'
import { checkContent } from './content-check.ts'

function lesson(id: string, lng: string, { correct = ['b'], quizTag = true, extra = '' } = {}) {
	const options = ['a', 'b', 'c'].map((o) => `      - id: ${o}\n        text: ${lng} ${o}${correct.includes(o) ? '\n        correct: true' : ''}`).join('\n')
	const quiz = [1, 2, 3].map((n) => `  - id: q${n}\n    question: ${lng} question ${n}\n    options:\n${options}\n    explanation: because`).join('\n')
	return `---\nid: ${id}\ntitle: ${lng} title\nminutes: 3\nquiz:\n${quiz}\n---\n\n## Heading\n\nText.${extra}\n\n${quizTag ? '<Quiz />' : ''}\n`
}

function fixture(mutate?: (root: string) => void) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-content-'))
	const dir = path.join(root, 'courses', 'demo')
	fs.mkdirSync(dir, { recursive: true })
	fs.writeFileSync(
		path.join(dir, 'course.yml'),
		'id: demo\norder: 1\ntitle: { vi: Thử, en: Demo }\nsummary: { vi: Thử, en: Demo }\nminutes: 15\nsequential: true\npassMark: 70\ncore: true\n',
	)
	for (let i = 1; i <= 5; i++) {
		fs.mkdirSync(path.join(dir, `0${i}-lesson-${i}`))
		for (const lng of ['vi', 'en']) fs.writeFileSync(path.join(dir, `0${i}-lesson-${i}`, `${lng}.mdx`), lesson(`demo-${i}`, lng))
	}
	mutate?.(dir)
	return { root: path.join(root, 'courses'), lock: path.join(root, 'ids.lock.json') }
}

const check = (f: ReturnType<typeof fixture>) => checkContent(f.root, f.lock).errors.join('\n')

test('complete content passes and is summarised', () => {
	const f = fixture()
	const result = checkContent(f.root, f.lock)
	expect(result.errors).toEqual([])
	expect(result.summary.join('')).toContain('5 lessons,  15 questions')
})

test.each([
	['a missing translation', (d: string) => fs.rmSync(path.join(d, '02-lesson-2', 'en.mdx')), /missing translation/],
	[
		'a duplicate id',
		(d: string) => {
			for (const l of ['vi', 'en']) fs.writeFileSync(path.join(d, '03-lesson-3', `${l}.mdx`), lesson('demo-2', l))
		},
		/also used by/,
	],
	[
		'no correct answer',
		(d: string) => {
			for (const l of ['vi', 'en']) fs.writeFileSync(path.join(d, '01-lesson-1', `${l}.mdx`), lesson('demo-1', l, { correct: [] }))
		},
		/0 correct answers/,
	],
	[
		'two correct answers',
		(d: string) => {
			for (const l of ['vi', 'en']) fs.writeFileSync(path.join(d, '01-lesson-1', `${l}.mdx`), lesson('demo-1', l, { correct: ['a', 'b'] }))
		},
		/2 correct answers/,
	],
	[
		'answers differing between languages',
		(d: string) => fs.writeFileSync(path.join(d, '01-lesson-1', 'en.mdx'), lesson('demo-1', 'en', { correct: ['c'] })),
		/differ between vi and en/,
	],
	[
		'an unknown component',
		(d: string) => fs.writeFileSync(path.join(d, '01-lesson-1', 'vi.mdx'), lesson('demo-1', 'vi', { extra: '\n\n<Video src="x" />' })),
		/<Video> is not an allowed component/,
	],
	[
		'a broken image',
		(d: string) => fs.writeFileSync(path.join(d, '01-lesson-1', 'vi.mdx'), lesson('demo-1', 'vi', { extra: '\n\n<Figure src="./missing.svg" alt="x" />' })),
		/image .\/missing.svg not found/,
	],
	[
		'a broken link',
		(d: string) => fs.writeFileSync(path.join(d, '01-lesson-1', 'vi.mdx'), lesson('demo-1', 'vi', { extra: '\n\n[xem](/courses/nope/x)' })),
		/broken link/,
	],
	[
		'a quiz without <Quiz />',
		(d: string) => fs.writeFileSync(path.join(d, '01-lesson-1', 'vi.mdx'), lesson('demo-1', 'vi', { quizTag: false })),
		/no <Quiz \/>/,
	],
	['too few lessons', (d: string) => fs.rmSync(path.join(d, '05-lesson-5'), { recursive: true }), /at least 5 lessons/],
])('fails on %s', (_name, mutate, message) => {
	expect(check(fixture(mutate))).toMatch(message)
})

test('fails when a locked id vanished or changed', () => {
	const f = fixture((d) => {
		for (const l of ['vi', 'en']) fs.writeFileSync(path.join(d, '01-lesson-1', `${l}.mdx`), lesson('demo-1-renamed', l))
	})
	fs.writeFileSync(f.lock, JSON.stringify({ courses: { demo: ['demo-1', 'demo-2'] } }))
	expect(check(f)).toMatch(/lesson id "demo-1" of demo vanished or changed/)
})
