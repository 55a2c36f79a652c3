/**
 * npm run content:check — fails on: a missing translation; a duplicate id, or an id that vanished
 * or changed since content/ids.lock.json (`--update-lock` adds new ids); broken links or images; a
 * quiz question without exactly one correct answer, or whose ids/answers differ between
 * languages; a component outside the allow-list; a quiz without <Quiz />; and an unfair quiz
 * (issue #21): a question without 3–4 options or without an explanation, a quiz whose pass mark
 * allows no slip, a course where the right option sits in one position, or is the longest or the shortest
 * option, in more than 40% of its questions; a <Term> defined two ways in one language; a lesson folder without SOURCES.md; an SVG over 10 KB or with
 * scripts, handlers or outside links; a <Figure> without alt text, or whose alt text is not in the
 * lesson's language, or leaves out a word drawn in its SVG; an SVG with words in another language
 * (`xml:lang`) or in colours outside the drawings' palette; a web address that could be a real site
 * (examples end in the reserved .example); a raster image (PNG, JPEG, WebP…) in a
 * lesson folder: lessons show drawings, never screenshots (ADR 026). Prints a summary.
 */
import fs from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'
import { CONTENT_DIR, courseFolders, lessonFolders } from '#app/modules/course/compile.server.ts'
import { answersNeeded } from '#app/kernel/quiz.ts'
import { staleDrawings } from './draw-screens.ts'
import { ALLOWED_COMPONENTS, CourseYamlSchema, LANGUAGES, LessonFrontmatterSchema } from '#app/modules/course/content.schema.ts'

/** At most this share of a course's questions may have the right option in one position, or as the longest option. */
export const MAX_SHARE = 0.4
export const MIN_OPTIONS = 3
export const MAX_OPTIONS = 4

type Question = { id: string; options: { id: string; text: string; correct?: boolean }[]; explanation?: string }

const length = (text: string) => [...text].length

/** The right option is longer than every other one (a tie gives nothing away). */
export function rightIsLongest(q: Question): boolean {
	const right = q.options.find((o) => o.correct)
	if (!right) return false
	return q.options.every((o) => o === right || length(o.text) < length(right.text))
}

/** The right option is shorter than every other one: the other way length gives it away. */
export function rightIsShortest(q: Question): boolean {
	const right = q.options.find((o) => o.correct)
	if (!right) return false
	return q.options.every((o) => o === right || length(o.text) > length(right.text))
}

/**
 * Whether a course's quizzes can be guessed (issue #21): the right option's position (as stored;
 * the app also shuffles per attempt) and its length, over all the course's questions in one language.
 */
export function courseQuizBias(questions: readonly Question[]) {
	const positions = new Map<number, number>()
	let longest = 0
	let shortest = 0
	for (const q of questions) {
		const at = q.options.findIndex((o) => o.correct)
		if (at >= 0) positions.set(at, (positions.get(at) ?? 0) + 1)
		if (rightIsLongest(q)) longest++
		if (rightIsShortest(q)) shortest++
	}
	const problems: string[] = []
	const total = questions.length
	if (!total) return problems
	for (const [at, n] of [...positions].sort((x, y) => x[0] - y[0]))
		if (n / total > MAX_SHARE) problems.push(`the right option is option ${at + 1} in ${n} of ${total} questions (at most ${Math.round(MAX_SHARE * 100)}%)`)
	if (longest / total > MAX_SHARE)
		problems.push(`the right option is the longest in ${longest} of ${total} questions (at most ${Math.round(MAX_SHARE * 100)}%)`)
	if (shortest / total > MAX_SHARE)
		problems.push(`the right option is the shortest in ${shortest} of ${total} questions (at most ${Math.round(MAX_SHARE * 100)}%)`)
	return problems
}

/** Lesson drawings are small, self-contained pictures (content/README.md): nothing that runs or loads. */
export const MAX_SVG_BYTES = 10 * 1024
export function svgProblems(svg: string): string[] {
	const problems: string[] = []
	if (Buffer.byteLength(svg) > MAX_SVG_BYTES) problems.push(`is ${Math.ceil(Buffer.byteLength(svg) / 1024)} KB (at most ${MAX_SVG_BYTES / 1024} KB)`)
	if (/<script|<foreignObject|\son\w+\s*=|<image\b|(?:xlink:)?href\s*=\s*["'](?!#)/i.test(svg))
		problems.push('has a script, an event handler, an embedded image or an outside link')
	return problems
}

/** The drawings' one palette (scripts/draw-screens.ts, ADR 026): greys, red for what to touch, gold for a card's chip, green for "answer". */
export const PALETTE = new Set(
	['#1f2937', '#374151', '#6b7280', '#9ca3af', '#d1d5db', '#e5e7eb', '#f3f4f6', '#fff', '#ffffff', '#b91c1c', '#fecaca', '#fcd34d', '#b45309', '#15803d'].map(
		(c) => c.toLowerCase(),
	),
)
export function svgStyleProblems(svg: string): string[] {
	const off = [...new Set([...svg.matchAll(/#[0-9a-f]{3,8}\b/gi)].map((m) => m[0]!.toLowerCase()))].filter((c) => !PALETTE.has(c))
	return off.length ? [`uses colours outside the drawings' palette (${off.join(', ')}; see scripts/draw-screens.ts)`] : []
}

/** Letters only Vietnamese uses (with its tone marks): how a vi text is told from an en one. */
const VIETNAMESE = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i
/**
 * Whether an alt text is written in the lesson's language: in vi, at least 30% of the words carry a
 * letter only Vietnamese has (ordinary Vietnamese prose: about 60%); in en, at most 20% (a label or a name).
 */
export function altInLanguage(alt: string, lng: string): boolean {
	const words = alt.split(/\s+/).filter(Boolean)
	const vietnamese = words.filter((w) => VIETNAMESE.test(w)).length
	return lng === 'vi' ? vietnamese >= words.length * 0.3 : vietnamese <= words.length * 0.2
}

/** Words drawn in an SVG (`<text>`, tspans joined). */
export function svgTexts(svg: string): string[] {
	return [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map((m) =>
		m[1]!
			.replace(/<[^>]*>/g, '')
			.replace(/&lt;/g, '<')
			.replace(/&gt;/g, '>')
			.replace(/&amp;/g, '&')
			.trim(),
	)
}
/** Letters and digits only, lower case: "Tên có đúng không?" is found in "…hỏi: tên có đúng không." */
const fold = (s: string) =>
	s
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim()

/** What is wrong with a <Figure> of a lesson in `lng`, given its alt text and its SVG. */
export function figureProblems(alt: string, svg: string, lng: string): string[] {
	const problems: string[] = []
	if (!altInLanguage(alt, lng)) problems.push(`has alt text that is not in the lesson's language (${lng})`)
	const texts = svgTexts(svg).filter((t) => fold(t))
	const lang = /<svg\b[^>]*\sxml:lang="([^"]+)"/.exec(svg)?.[1]
	if (lang && lang !== lng) problems.push(`is drawn with ${lang} words in a ${lng} lesson (one file per language: name.${lng}.svg)`)
	else if (!lang && texts.some((t) => [...t].length > 3)) problems.push(`has words but no xml:lang="${lng}" (one file per language)`)
	const missing = texts.filter((t) => !` ${fold(alt)} `.includes(` ${fold(t)} `))
	if (missing.length) problems.push(`has words the alt text leaves out: ${missing.map((t) => `"${t}"`).join(', ')}`)
	return problems
}

/**
 * Web addresses a lesson may print: the state's (.gov.vn), the scam-check site tinnhiemmang.vn, and
 * invented examples under the reserved `.example` (RFC 2606), which no one can register: an example
 * scam address must never be, or later become, a real site.
 */
export function addressProblems(text: string): string[] {
	const found = text.match(/\b(?:[a-z0-9-]+\.)+(?:com|net|org|vn|top|xyz|info|online|site|shop|click|app|io|me|co|biz|cc|tk|link|live|asia|example)\b/gi) ?? []
	const bad = [...new Set(found.map((a) => a.toLowerCase()))].filter((a) => !/(^|\.)gov\.vn$/.test(a) && a !== 'tinnhiemmang.vn' && !a.endsWith('.example'))
	return bad.length
		? [
				`prints web addresses that could be real (${bad.join(', ')}): use the state's .gov.vn address, tinnhiemmang.vn, or an invented one ending in .example (content/README.md)`,
			]
		: []
}

/** Raster pictures are refused in lesson folders: they would be screenshots or photos, and heavy. */
export const RASTER = /\.(png|jpe?g|gif|bmp|webp|avif|heic|tiff?)$/i

export function checkContent(root = CONTENT_DIR, lockFile = path.join(root, '..', 'ids.lock.json')) {
	const errors: string[] = []
	const ids = new Map<string, string>()
	const summary: string[] = []
	const lock: { courses: Record<string, string[]> } = fs.existsSync(lockFile) ? JSON.parse(fs.readFileSync(lockFile, 'utf8')) : { courses: {} }
	const seen: Record<string, string[]> = {}
	const claim = (id: string, where: string) => {
		const other = ids.get(id)
		if (other && other !== where) errors.push(`${where}: id "${id}" is also used by ${other}`)
		ids.set(id, where)
	}
	const slugs = new Set<string>()
	// One definition per term and language across all courses (issue #21): the word, lower-cased.
	const terms: Record<string, Map<string, { def: string; where: string }>> = Object.fromEntries(LANGUAGES.map((l) => [l, new Map()]))
	for (const folder of courseFolders(root)) {
		const dir = path.join(root, folder)
		const ymlFile = path.join(dir, 'course.yml')
		let course
		try {
			course = CourseYamlSchema.safeParse(YAML.parse(fs.readFileSync(ymlFile, 'utf8')))
		} catch (error) {
			errors.push(`${ymlFile}: ${(error as Error).message}`)
			continue
		}
		if (!course.success) {
			errors.push(`${ymlFile}: ${course.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`)
			continue
		}
		claim(course.data.id, ymlFile)
		seen[course.data.id] = []
		let questions = 0
		const courseQuestions: Record<string, Question[]> = { vi: [], en: [] }
		const lessons = lessonFolders(dir)
		for (const lessonFolder of lessons) {
			const perLng: Record<string, ReturnType<typeof LessonFrontmatterSchema.parse>> = {}
			for (const lng of LANGUAGES) {
				const file = path.join(dir, lessonFolder, `${lng}.mdx`)
				if (!fs.existsSync(file)) {
					errors.push(`${file}: missing translation`)
					continue
				}
				const text = fs.readFileSync(file, 'utf8')
				const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text)
				if (!match) {
					errors.push(`${file}: no frontmatter`)
					continue
				}
				let fm
				try {
					fm = LessonFrontmatterSchema.safeParse(YAML.parse(match[1]!))
				} catch (error) {
					errors.push(`${file}: frontmatter is not valid YAML: ${(error as Error).message}`)
					continue
				}
				if (!fm.success) {
					errors.push(`${file}: ${fm.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`)
					continue
				}
				perLng[lng] = fm.data
				for (const problem of addressProblems(text)) errors.push(`${file}: ${problem}`)
				const body = match[2]!
				for (const [, name] of body.matchAll(/<([A-Za-z][\w.]*)/g)) {
					if (!(ALLOWED_COMPONENTS as readonly string[]).includes(name!)) errors.push(`${file}: <${name}> is not an allowed component`)
				}
				for (const [, def, word] of body.matchAll(/<Term\s+def="([^"]*)"\s*>([^<]*)<\/Term>/g)) {
					const key = word!.trim().toLowerCase()
					const first = terms[lng]!.get(key)
					if (!first) terms[lng]!.set(key, { def: def!, where: file })
					else if (first.def !== def) errors.push(`${file}: <Term> "${word}" is defined differently in ${first.where} (one definition per term)`)
				}
				for (const [, src] of body.matchAll(/src="([^"]+)"/g)) {
					const image = path.join(dir, lessonFolder, src!)
					if (!src!.startsWith('./') || !fs.existsSync(image)) errors.push(`${file}: image ${src} not found beside the lesson`)
					else if (!src!.endsWith('.svg')) errors.push(`${file}: image ${src} is not an SVG drawing (no screenshots or photos)`)
					else
						for (const problem of [...svgProblems(fs.readFileSync(image, 'utf8')), ...svgStyleProblems(fs.readFileSync(image, 'utf8'))])
							errors.push(`${file}: image ${src} ${problem}`)
				}
				for (const [figure] of body.matchAll(/<Figure\b[^>]*>/g)) {
					const alt = /\balt="([^"]*)"/.exec(figure!)?.[1] ?? ''
					if (!alt.trim()) {
						errors.push(`${file}: a <Figure> without alt text`)
						continue
					}
					const src = /\bsrc="\.\/([^"]+\.svg)"/.exec(figure!)?.[1]
					const image = src && path.join(dir, lessonFolder, src)
					const svg = image && fs.existsSync(image) ? fs.readFileSync(image, 'utf8') : ''
					for (const problem of figureProblems(alt, svg, lng)) errors.push(`${file}: <Figure> ${src ?? ''} ${problem}`)
				}
				for (const [, href] of body.matchAll(/\]\(([^)\s]+)\)/g)) {
					if (href!.startsWith('/courses/')) {
						const [, , c, l] = href!.split('/')
						const target = c && courseFolders(root).includes(c) && (!l || lessonFolders(path.join(root, c)).some((x) => x.slice(3) === l))
						if (!target) errors.push(`${file}: broken link ${href}`)
					} else if (!/^(https:\/\/|(tel|sms):[0-9]{3,11}$)/.test(href!))
						errors.push(`${file}: link ${href} must be https://, /courses/…, or a number to call or text (tel:19000368, sms:156)`)
				}
				for (const q of fm.data.quiz ?? []) {
					const right = q.options.filter((o) => o.correct).length
					if (right !== 1) errors.push(`${file}: question ${q.id} has ${right} correct answers (needs exactly 1)`)
					if (new Set(q.options.map((o) => o.id)).size !== q.options.length) errors.push(`${file}: question ${q.id} repeats an option id`)
					if (q.options.length < MIN_OPTIONS || q.options.length > MAX_OPTIONS)
						errors.push(`${file}: question ${q.id} has ${q.options.length} options (needs ${MIN_OPTIONS}–${MAX_OPTIONS})`)
					if (!q.explanation?.trim()) errors.push(`${file}: question ${q.id} has no explanation`)
					courseQuestions[lng]!.push(q)
				}
				const total = fm.data.quiz?.length ?? 0
				if (total > 0 && answersNeeded(total, course.data.passMark) >= total)
					errors.push(
						`${file}: with passMark ${course.data.passMark} a quiz of ${total} questions needs all ${total} right (allow one slip: more questions or a lower passMark)`,
					)
				if ((fm.data.quiz?.length ?? 0) > 0 && !/<Quiz\s*\/>/.test(body)) errors.push(`${file}: has a quiz but no <Quiz />`)
				if ((fm.data.quiz?.length ?? 0) < 3) errors.push(`${file}: a lesson needs a quiz of at least 3 questions`)
			}
			const [vi, en] = [perLng.vi, perLng.en]
			if (vi && en) {
				if (vi.id !== en.id) errors.push(`${path.join(dir, lessonFolder)}: id differs between vi (${vi.id}) and en (${en.id})`)
				const shape = (f: typeof vi) => JSON.stringify((f.quiz ?? []).map((q) => [q.id, q.options.map((o) => [o.id, Boolean(o.correct)])]))
				if (shape(vi) !== shape(en)) errors.push(`${path.join(dir, lessonFolder)}: quiz question ids, option ids or answers differ between vi and en`)
				claim(vi.id, path.join(dir, lessonFolder))
				seen[course.data.id]!.push(vi.id)
				questions += vi.quiz?.length ?? 0
			}
			for (const name of fs.readdirSync(path.join(dir, lessonFolder)))
				if (RASTER.test(name))
					errors.push(`${path.join(dir, lessonFolder, name)}: a raster image; lessons use SVG drawings made for the course, never screenshots`)
			if (!fs.existsSync(path.join(dir, lessonFolder, 'SOURCES.md')))
				errors.push(`${path.join(dir, lessonFolder)}: no SOURCES.md (what each fact rests on, what was not checked on a real phone)`)
			if (slugs.has(`${folder}/${lessonFolder.slice(3)}`)) errors.push(`${dir}: two lessons with the slug ${lessonFolder.slice(3)}`)
			slugs.add(`${folder}/${lessonFolder.slice(3)}`)
		}
		for (const lng of LANGUAGES) for (const problem of courseQuizBias(courseQuestions[lng]!)) errors.push(`${dir} (${lng}): ${problem}`)
		if (lessons.length < 5) errors.push(`${dir}: a course needs at least 5 lessons (has ${lessons.length})`)
		summary.push(`  ${course.data.id.padEnd(18)} ${String(lessons.length).padStart(2)} lessons, ${String(questions).padStart(3)} questions, vi + en`)
	}
	for (const [courseId, lessonIds] of Object.entries(lock.courses)) {
		if (!seen[courseId]) errors.push(`course id "${courseId}" is in content/ids.lock.json but no longer in content (ids are forever)`)
		for (const id of lessonIds)
			if (seen[courseId] && !seen[courseId]!.includes(id)) errors.push(`lesson id "${id}" of ${courseId} vanished or changed (ids are forever)`)
	}
	return { errors, summary, seen, lock }
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const root = process.argv.find((a) => a.startsWith('--root='))?.slice(7) ?? CONTENT_DIR
	const lockFile = path.join(root, '..', 'ids.lock.json')
	const { errors, summary, seen, lock } = checkContent(root, lockFile)
	if (root === CONTENT_DIR) errors.push(...staleDrawings())
	console.log(`Content check of ${path.relative(process.cwd(), root) || root}:`)
	console.log(summary.join('\n'))
	if (process.argv.includes('--update-lock') && !errors.length) {
		for (const [c, ids] of Object.entries(seen)) lock.courses[c] = [...new Set([...(lock.courses[c] ?? []), ...ids])]
		fs.writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`)
		console.log(`Updated ${lockFile}.`)
	}
	const newIds = Object.entries(seen).flatMap(([c, ids]) => ids.filter((id) => !lock.courses[c]?.includes(id)))
	if (newIds.length && !process.argv.includes('--update-lock'))
		errors.push(`new ids not in content/ids.lock.json (run npm run content:check -- --update-lock): ${newIds.join(', ')}`)
	if (errors.length) {
		console.error(`\n✖ ${errors.length} problem(s):\n${errors.map((e) => `  - ${e}`).join('\n')}`)
		process.exit(1)
	}
	console.log('✔ content is complete and consistent')
}
