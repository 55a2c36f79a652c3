import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from 'vitest'
import { addressProblems, checkContent } from './content-check.ts'

type LessonOptions = {
	correct?: string[]
	quizTag?: boolean
	extra?: string
	questions?: number
	optionIds?: string[]
	explanation?: string
	longRight?: boolean
	shortRight?: boolean
}

/**
 * A lesson with a fair quiz by default: 4 questions of 3 same-length options, the right one moving
 * with the question and the lesson (`correct` puts it on the given ids in every question instead).
 */
function lesson(
	id: string,
	lng: string,
	{
		correct,
		quizTag = true,
		extra = '',
		questions = 4,
		optionIds = ['a', 'b', 'c'],
		explanation = 'because',
		longRight = false,
		shortRight = false,
	}: LessonOptions = {},
) {
	const at = Number(/-(\d+)$/.exec(id)?.[1] ?? 0)
	const quiz = Array.from({ length: questions }, (_, i) => i + 1)
		.map((n) => {
			const right = correct ?? [optionIds[(n + at) % optionIds.length]!]
			const options = optionIds
				.map(
					(o) =>
						`      - id: ${o}\n        text: ${lng} ${o}${right.includes(o) && longRight ? ' and much longer' : ''}${!right.includes(o) && shortRight ? ' and much longer' : ''}${right.includes(o) ? '\n        correct: true' : ''}`,
				)
				.join('\n')
			return `  - id: q${n}\n    question: ${lng} question ${n}\n    options:\n${options}\n    explanation: ${explanation}`
		})
		.join('\n')
	return `---\nid: ${id}\ntitle: ${lng} title\nminutes: 3\nquiz:\n${quiz}\n---\n\n## Heading\n\nText.${extra}\n\n${quizTag ? '<Quiz />' : ''}\n`
}

/** Writes lesson `n` of the demo course in both languages with the same options. */
const both = (d: string, n: number, options: LessonOptions) => {
	for (const l of ['vi', 'en']) fs.writeFileSync(path.join(d, `0${n}-lesson-${n}`, `${l}.mdx`), lesson(`demo-${n}`, l, options))
}
const everyLesson = (d: string, options: LessonOptions) => {
	for (let n = 1; n <= 5; n++) both(d, n, options)
}

function fixture(mutate?: (root: string) => void, passMark = 70) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-content-'))
	const dir = path.join(root, 'courses', 'demo')
	fs.mkdirSync(dir, { recursive: true })
	fs.writeFileSync(
		path.join(dir, 'course.yml'),
		`id: demo\norder: 1\ntitle: { vi: Thử, en: Demo }\nsummary: { vi: Thử, en: Demo }\nminutes: 15\nsequential: true\npassMark: ${passMark}\ncore: true\n`,
	)
	for (let i = 1; i <= 5; i++) {
		fs.mkdirSync(path.join(dir, `0${i}-lesson-${i}`))
		for (const lng of ['vi', 'en']) fs.writeFileSync(path.join(dir, `0${i}-lesson-${i}`, `${lng}.mdx`), lesson(`demo-${i}`, lng))
		fs.writeFileSync(path.join(dir, `0${i}-lesson-${i}`, 'SOURCES.md'), '# Sources\n')
	}
	mutate?.(dir)
	return { root: path.join(root, 'courses'), lock: path.join(root, 'ids.lock.json') }
}

/** A drawing in the drawings' style, with words in `lang` ('' for none declared). */
const SVG = (lang: string, ...words: string[]) =>
	`<svg xmlns="http://www.w3.org/2000/svg"${lang ? ` xml:lang="${lang}"` : ''} viewBox="0 0 320 300" width="320" height="300" stroke="#1f2937"><rect x="60" y="8" width="200" height="284" rx="22" fill="#f3f4f6"/>${words.map((w, i) => `<text x="80" y="${60 + i * 20}">${w}</text>`).join('')}</svg>`

const check = (f: ReturnType<typeof fixture>) => checkContent(f.root, f.lock).errors.join('\n')

test('complete content passes and is summarised', () => {
	const f = fixture()
	const result = checkContent(f.root, f.lock)
	expect(result.errors).toEqual([])
	expect(result.summary.join('')).toContain('5 lessons,  20 questions')
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
	['a question with 2 options', (d: string) => both(d, 2, { optionIds: ['a', 'b'] }), /question q1 has 2 options \(needs 3–4\)/],
	['a question with 5 options', (d: string) => both(d, 2, { optionIds: ['a', 'b', 'c', 'd', 'e'] }), /question q1 has 5 options \(needs 3–4\)/],
	['a question without an explanation', (d: string) => both(d, 3, { explanation: '" "' }), /question q1 has no explanation/],
	['a question whose explanation is left out', (d: string) => both(d, 3, { explanation: '' }), /explanation/],
	['a quiz that allows no slip', (d: string) => both(d, 4, { questions: 3 }), /a quiz of 3 questions needs all 3 right/],
	['the right option always in one place', (d: string) => everyLesson(d, { correct: ['b'] }), /\(vi\): the right option is option 2 in 20 of 20 questions/],
	[
		'the right option in one place too often',
		(d: string) => {
			both(d, 1, { correct: ['a'] })
			both(d, 2, { correct: ['a'] })
			both(d, 3, { correct: ['a'] })
		},
		/the right option is option 1 in 1[2-9] of 20 questions/,
	],
	['the right option the longest', (d: string) => everyLesson(d, { longRight: true }), /\(en\): the right option is the longest in 20 of 20 questions/],
	['the right option the shortest', (d: string) => everyLesson(d, { shortRight: true }), /\(vi\): the right option is the shortest in 20 of 20 questions/],
	[
		'option ids differing between languages',
		(d: string) => fs.writeFileSync(path.join(d, '01-lesson-1', 'en.mdx'), lesson('demo-1', 'en', { optionIds: ['a', 'b', 'd'] })),
		/differ between vi and en/,
	],
	[
		'a term defined two ways',
		(d: string) => {
			fs.writeFileSync(path.join(d, '01-lesson-1', 'vi.mdx'), lesson('demo-1', 'vi', { extra: '\n\n<Term def="Mã dùng một lần.">OTP</Term>' }))
			fs.writeFileSync(path.join(d, '04-lesson-4', 'vi.mdx'), lesson('demo-4', 'vi', { extra: '\n\n<Term def="Mã số bí mật.">otp</Term>' }))
		},
		/<Term> "otp" is defined differently in .*01-lesson-1/,
	],
	[
		'an SVG that runs a script',
		(d: string) => {
			fs.writeFileSync(path.join(d, '01-lesson-1', 'x.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
			fs.writeFileSync(path.join(d, '01-lesson-1', 'vi.mdx'), lesson('demo-1', 'vi', { extra: '\n\n<Figure src="./x.svg" alt="x" />' }))
		},
		/image .\/x.svg has a script/,
	],
	[
		'an SVG over 10 KB',
		(d: string) => {
			fs.writeFileSync(path.join(d, '01-lesson-1', 'x.svg'), `<svg xmlns="http://www.w3.org/2000/svg"><!-- ${'x'.repeat(11_000)} --></svg>`)
			fs.writeFileSync(path.join(d, '01-lesson-1', 'vi.mdx'), lesson('demo-1', 'vi', { extra: '\n\n<Figure src="./x.svg" alt="x" />' }))
		},
		/image .\/x.svg is 11 KB \(at most 10 KB\)/,
	],
	[
		'a figure without alt text',
		(d: string) => {
			fs.writeFileSync(path.join(d, '01-lesson-1', 'x.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1"/></svg>')
			fs.writeFileSync(path.join(d, '01-lesson-1', 'vi.mdx'), lesson('demo-1', 'vi', { extra: '\n\n<Figure src="./x.svg" alt=" " />' }))
		},
		/a <Figure> without alt text/,
	],
	[
		'an alt text in the wrong language',
		(d: string) => {
			fs.writeFileSync(path.join(d, '01-lesson-1', 'x.svg'), SVG('vi', 'Tiếp tục'))
			fs.writeFileSync(
				path.join(d, '01-lesson-1', 'vi.mdx'),
				lesson('demo-1', 'vi', { extra: '\n\n<Figure src="./x.svg" alt="A screen with the Tiếp tục button in red." />' }),
			)
		},
		/<Figure> x.svg has alt text that is not in the lesson's language \(vi\)/,
	],
	[
		'an English alt text that is mostly Vietnamese',
		(d: string) => {
			fs.writeFileSync(path.join(d, '01-lesson-1', 'x.svg'), SVG('en', 'Continue'))
			fs.writeFileSync(
				path.join(d, '01-lesson-1', 'en.mdx'),
				lesson('demo-1', 'en', { extra: '\n\n<Figure src="./x.svg" alt="Màn hình có nút Continue tô đỏ." />' }),
			)
		},
		/<Figure> x.svg has alt text that is not in the lesson's language \(en\)/,
	],
	[
		'a word drawn in the SVG but missing from the alt text',
		(d: string) => {
			fs.writeFileSync(path.join(d, '01-lesson-1', 'x.svg'), SVG('vi', 'Chuyển tiền', 'Tên có đúng không?'))
			fs.writeFileSync(
				path.join(d, '01-lesson-1', 'vi.mdx'),
				lesson('demo-1', 'vi', { extra: '\n\n<Figure src="./x.svg" alt="Màn hình Chuyển tiền của ngân hàng." />' }),
			)
		},
		/leaves out: "Tên có đúng không\?"/,
	],
	[
		'an SVG drawn in the other language',
		(d: string) => {
			fs.writeFileSync(path.join(d, '01-lesson-1', 'x.svg'), SVG('en', 'Continue'))
			fs.writeFileSync(
				path.join(d, '01-lesson-1', 'vi.mdx'),
				lesson('demo-1', 'vi', { extra: '\n\n<Figure src="./x.svg" alt="Màn hình có nút Continue tô đỏ." />' }),
			)
		},
		/is drawn with en words in a vi lesson/,
	],
	[
		'an SVG with words and no language',
		(d: string) => {
			fs.writeFileSync(path.join(d, '01-lesson-1', 'x.svg'), SVG('', 'Tiếp tục'))
			fs.writeFileSync(
				path.join(d, '01-lesson-1', 'vi.mdx'),
				lesson('demo-1', 'vi', { extra: '\n\n<Figure src="./x.svg" alt="Màn hình có nút Tiếp tục tô đỏ." />' }),
			)
		},
		/has words but no xml:lang="vi"/,
	],
	[
		'an SVG in colours outside the palette',
		(d: string) => {
			fs.writeFileSync(path.join(d, '01-lesson-1', 'x.svg'), SVG('vi', 'Tiếp tục').replace('#1f2937', '#0068ff'))
			fs.writeFileSync(
				path.join(d, '01-lesson-1', 'vi.mdx'),
				lesson('demo-1', 'vi', { extra: '\n\n<Figure src="./x.svg" alt="Màn hình có nút Tiếp tục tô đỏ." />' }),
			)
		},
		/uses colours outside the drawings' palette \(#0068ff/,
	],
	[
		'a screenshot (raster image) in a lesson folder',
		(d: string) => fs.writeFileSync(path.join(d, '02-lesson-2', 'screen.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47])),
		/02-lesson-2\/screen.png: a raster image/,
	],
	[
		'a figure that is not an SVG',
		(d: string) => {
			fs.writeFileSync(path.join(d, '01-lesson-1', 'x.webp'), 'RIFF')
			fs.writeFileSync(path.join(d, '01-lesson-1', 'vi.mdx'), lesson('demo-1', 'vi', { extra: '\n\n<Figure src="./x.webp" alt="Ảnh màn hình." />' }))
		},
		/image .\/x.webp is not an SVG drawing/,
	],
	['a lesson without SOURCES.md', (d: string) => fs.rmSync(path.join(d, '03-lesson-3', 'SOURCES.md')), /03-lesson-3: no SOURCES.md/],
	['too few lessons', (d: string) => fs.rmSync(path.join(d, '05-lesson-5'), { recursive: true }), /at least 5 lessons/],
])('fails on %s', (_name, mutate, message) => {
	expect(check(fixture(mutate))).toMatch(message)
})

test('a drawing per language, its words in each alt text, passes', () => {
	const f = fixture((d) => {
		fs.writeFileSync(path.join(d, '01-lesson-1', 'x.vi.svg'), SVG('vi', 'Chuyển tiền', '“Tên có đúng không?”', '35.000 đ'))
		fs.writeFileSync(path.join(d, '01-lesson-1', 'x.en.svg'), SVG('en', 'Transfer', 'Is this the right name?', '35,000 VND'))
		fs.writeFileSync(
			path.join(d, '01-lesson-1', 'vi.mdx'),
			lesson('demo-1', 'vi', {
				extra: '\n\n<Figure src="./x.vi.svg" alt="Màn hình Chuyển tiền hỏi: tên có đúng không? Số tiền 35.000 đ." caption="Xem kỹ tên." />',
			}),
		)
		fs.writeFileSync(
			path.join(d, '01-lesson-1', 'en.mdx'),
			lesson('demo-1', 'en', {
				extra: '\n\n<Figure src="./x.en.svg" alt="The Transfer screen asks: Is this the right name? Amount 35,000 VND, to Anh Tuấn." />',
			}),
		)
	})
	expect(check(f)).toBe('')
})

test('the same term with the same definition in several lessons is fine', () => {
	const f = fixture((d) => {
		for (const n of [1, 2])
			for (const l of ['vi', 'en'])
				fs.writeFileSync(path.join(d, `0${n}-lesson-${n}`, `${l}.mdx`), lesson(`demo-${n}`, l, { extra: '\n\n<Term def="Mã dùng một lần.">OTP</Term>' }))
	})
	expect(check(f)).toBe('')
})

test('a 4-question quiz allows one slip at passMark 70 or 75, not at 80', () => {
	expect(check(fixture(undefined, 75))).toBe('')
	expect(check(fixture(undefined, 80))).toMatch(/passMark 80 a quiz of 4 questions needs all 4 right/)
})

test('a course within the limits passes: the right option in one place or the longest in 40% of questions', () => {
	const f = fixture((d) => {
		// 8 of 20 questions have the right option first and longest, 8 the shortest: exactly 40%.
		both(d, 1, { correct: ['a'], longRight: true })
		both(d, 2, { correct: ['a'], longRight: true })
		both(d, 3, { correct: ['b'], shortRight: true })
		both(d, 4, { correct: ['c'], shortRight: true })
		both(d, 5, { correct: ['c'] })
	})
	expect(check(f)).toBe('')
})

test('fails when a locked id vanished or changed', () => {
	const f = fixture((d) => {
		for (const l of ['vi', 'en']) fs.writeFileSync(path.join(d, '01-lesson-1', `${l}.mdx`), lesson('demo-1-renamed', l))
	})
	fs.writeFileSync(f.lock, JSON.stringify({ courses: { demo: ['demo-1', 'demo-2'] } }))
	expect(check(f)).toMatch(/lesson id "demo-1" of demo vanished or changed/)
})

test('an example address that could be a real site is refused; .gov.vn, tinnhiemmang.vn and .example pass', () => {
	expect(addressProblems('Thật: dichvucong.gov.vn, tingia.gov.vn. Tra ở tinnhiemmang.vn. Giả: dichvuc0ng.example')).toEqual([])
	const [problem] = addressProblems('Cap nhat dia chi: giaohang-nhanh.top hoặc dichvucong.gov.vn.com')
	expect(problem).toContain('giaohang-nhanh.top')
	expect(problem).toContain('dichvucong.gov.vn.com')
	expect(addressProblems('Tài khoản VNeID bị khoá. Cài lại tại: vneid-capnhat.com')).toHaveLength(1)
})
