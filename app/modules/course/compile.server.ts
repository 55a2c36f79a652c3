import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'
import { CourseYamlSchema, LANGUAGES, LessonFrontmatterSchema, type CourseYaml, type LessonFrontmatter } from './content.schema.ts'
import { env } from '../../utils/env.server.ts'

/**
 * Compiles content/courses into .cache/content: one JSON per compiled lesson, keyed by a hash of
 * its inputs (unchanged lessons are skipped), and a manifest the server reads at start. Images are
 * copied to public/content/<hash>.<ext>. A broken lesson throws, naming its file: it fails the
 * build, never a learner's page.
 */
export const COMPILER_VERSION = '1'
export const CONTENT_DIR = env.CONTENT_DIR ?? path.join(process.cwd(), 'content', 'courses')
export const CACHE_DIR = env.CONTENT_CACHE_DIR ?? path.join(process.cwd(), '.cache', 'content')
export const PUBLIC_IMAGES_DIR = path.join(process.cwd(), 'public', 'content')
/** Lessons show drawings only (ADR 026): no screenshots or photos. */
const IMAGE_EXT = new Set(['.svg'])

export interface ManifestLesson {
	id: string
	slug: string
	position: number
	minutes: number
	title: Record<string, string>
	/** Compiled lesson per language: the cache file (hash) to load. */
	hash: Record<string, string>
	/** Quiz per language, with answers: server only. */
	quiz: Record<string, LessonFrontmatter['quiz'] | undefined>
	source: Record<string, string>
}

export interface ManifestCourse extends Omit<CourseYaml, 'order'> {
	slug: string
	position: number
	lessons: ManifestLesson[]
}

export interface Manifest {
	builtAt: string
	courses: ManifestCourse[]
}

export class ContentError extends Error {}

function hashOf(...parts: (string | Buffer)[]) {
	const h = createHash('sha256')
	for (const p of parts) h.update(p)
	return h.digest('hex').slice(0, 20)
}

export function lessonFolders(courseDir: string) {
	return fs
		.readdirSync(courseDir, { withFileTypes: true })
		.filter((d) => d.isDirectory() && /^\d{2}-[a-z0-9-]+$/.test(d.name))
		.map((d) => d.name)
		.sort()
}

export function courseFolders(root = CONTENT_DIR) {
	if (!fs.existsSync(root)) return []
	return fs
		.readdirSync(root, { withFileTypes: true })
		.filter((d) => d.isDirectory() && fs.existsSync(path.join(root, d.name, 'course.yml')))
		.map((d) => d.name)
		.sort()
}

/**
 * A content file's text: UTF-8 (a file saved in another encoding would be shown as U+FFFD on every
 * page), with no NUL or other control character (TAB and line breaks aside) and no U+FFFD already in
 * it (text broken by an earlier conversion). Refused with the file named, before anything is built.
 */
export function readContentText(file: string): string {
	let text: string
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file))
	} catch {
		throw new ContentError(`${file}: not UTF-8 text (save it as UTF-8)`)
	}
	const bad = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/.exec(text)
	if (bad) {
		const line = text.slice(0, bad.index).split('\n').length
		throw new ContentError(`${file}: line ${line}: character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is not allowed in content`)
	}
	return text
}

export function readCourseYaml(file: string): CourseYaml {
	let raw: unknown
	const text = readContentText(file)
	try {
		raw = YAML.parse(text)
	} catch (error) {
		throw new ContentError(`${file}: not valid YAML: ${(error as Error).message}`)
	}
	const parsed = CourseYamlSchema.safeParse(raw)
	if (!parsed.success) throw new ContentError(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
	return parsed.data
}

/** An SVG's own size (its root `width`/`height`), given to its `<img>` so the page does not jump while it loads. */
export function svgSize(svg: string): { width: string; height: string } | null {
	const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? ''
	const width = /\swidth="(\d+)"/.exec(root)?.[1]
	const height = /\sheight="(\d+)"/.exec(root)?.[1]
	return width && height ? { width, height } : null
}

/** Replaces colocated image references (src="./x.svg") with their published, hashed URLs (and an SVG's size). */
function publishImages(source: string, lessonDir: string, publish: boolean, file: string) {
	const images: Buffer[] = []
	const out = source.replace(/src="\.\/([^"]+)"/g, (_m, name: string) => {
		const full = path.join(lessonDir, name)
		const ext = path.extname(name).toLowerCase()
		if (!IMAGE_EXT.has(ext)) throw new ContentError(`${file}: image ${name} must be an SVG drawing`)
		if (!fs.existsSync(full)) throw new ContentError(`${file}: image ${name} does not exist`)
		const bytes = fs.readFileSync(full)
		images.push(bytes)
		const target = `${hashOf(bytes)}${ext}`
		if (publish) {
			fs.mkdirSync(PUBLIC_IMAGES_DIR, { recursive: true })
			const dest = path.join(PUBLIC_IMAGES_DIR, target)
			if (!fs.existsSync(dest)) fs.writeFileSync(dest, bytes)
		}
		const size = ext === '.svg' ? svgSize(bytes.toString('utf8')) : null
		return size ? `src="/content/${target}" width="${size.width}" height="${size.height}"` : `src="/content/${target}"`
	})
	return { source: out, images }
}

export async function compileLesson(file: string, { publish = true } = {}) {
	const raw = readContentText(file)
	const { source, images } = publishImages(raw, path.dirname(file), publish, file)
	const hash = hashOf(COMPILER_VERSION, source, ...images)
	const cacheFile = path.join(CACHE_DIR, 'lessons', `${hash}.json`)
	if (fs.existsSync(cacheFile)) {
		return { hash, cached: true, ...(JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { frontmatter: LessonFrontmatter }) }
	}
	const { bundleMDX } = await import('mdx-bundler')
	let result
	try {
		result = await bundleMDX({ source, cwd: path.dirname(file) })
	} catch (error) {
		const e = error as { errors?: { text: string; location?: { line: number } }[]; message: string }
		const detail = e.errors?.map((x) => `line ${x.location?.line ?? '?'}: ${x.text}`).join('; ') ?? e.message
		throw new ContentError(`${file}: ${detail}`)
	}
	const fm = LessonFrontmatterSchema.safeParse(result.frontmatter)
	if (!fm.success) throw new ContentError(`${file}: frontmatter ${fm.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
	fs.mkdirSync(path.dirname(cacheFile), { recursive: true })
	fs.writeFileSync(cacheFile, JSON.stringify({ code: result.code, frontmatter: fm.data }))
	return { hash, cached: false, frontmatter: fm.data }
}

export async function buildContent({ root = CONTENT_DIR, publish = true, log = console.log } = {}): Promise<Manifest> {
	const courses: ManifestCourse[] = []
	let compiled = 0
	let skipped = 0
	for (const folder of courseFolders(root)) {
		const dir = path.join(root, folder)
		const yml = readCourseYaml(path.join(dir, 'course.yml'))
		const lessons: ManifestLesson[] = []
		for (const [index, lessonFolder] of lessonFolders(dir).entries()) {
			const lesson: ManifestLesson = { id: '', slug: lessonFolder.slice(3), position: index + 1, minutes: 0, title: {}, hash: {}, quiz: {}, source: {} }
			for (const lng of LANGUAGES) {
				const file = path.join(dir, lessonFolder, `${lng}.mdx`)
				if (!fs.existsSync(file)) throw new ContentError(`${file}: missing translation`)
				const r = await compileLesson(file, { publish })
				r.cached ? skipped++ : compiled++
				if (lesson.id && lesson.id !== r.frontmatter.id)
					throw new ContentError(`${file}: id ${r.frontmatter.id} differs from the other language (${lesson.id})`)
				lesson.id = r.frontmatter.id
				lesson.minutes = r.frontmatter.minutes
				lesson.title[lng] = r.frontmatter.title
				lesson.hash[lng] = r.hash
				lesson.quiz[lng] = r.frontmatter.quiz
				lesson.source[lng] = path.relative(process.cwd(), file)
			}
			lessons.push(lesson)
		}
		const { order, ...rest } = yml
		courses.push({ ...rest, slug: folder, position: order, lessons })
	}
	courses.sort((a, b) => a.position - b.position)
	const manifest: Manifest = { builtAt: new Date().toISOString(), courses }
	fs.mkdirSync(CACHE_DIR, { recursive: true })
	fs.writeFileSync(path.join(CACHE_DIR, 'manifest.json'), JSON.stringify(manifest))
	log(`Content: ${courses.length} courses, ${courses.reduce((n, c) => n + c.lessons.length, 0)} lessons; compiled ${compiled}, unchanged ${skipped}.`)
	return manifest
}
