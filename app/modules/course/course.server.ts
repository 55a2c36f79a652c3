import fs from 'node:fs'
import path from 'node:path'
import { type Lng } from '#app/utils/i18n.ts'
import { CACHE_DIR, type Manifest, type ManifestCourse, type ManifestLesson } from './compile.server.ts'
import { type QuizQuestion } from './content.schema.ts'
import { env } from '#app/utils/env.server.ts'

/**
 * The catalogue as compiled by `npm run content:build`. Read once at start; in development a
 * lesson whose source changed is recompiled on the next request, so edits show up on reload.
 */
const dev = env.NODE_ENV === 'development'
let manifest: Manifest | undefined

export function getManifest(): Manifest {
	if (!manifest || dev) {
		const file = path.join(CACHE_DIR, 'manifest.json')
		if (!fs.existsSync(file)) {
			throw new Error(`No compiled content at ${file}: run \`npm run content:build\` (part of \`npm run build\`).`)
		}
		manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest
	}
	return manifest
}

export interface CatalogueEntry {
	id: string
	slug: string
	title: string
	summary: string
	minutes: number
	lessonCount: number
	core: boolean
}

export function getCatalogue(lng: Lng): CatalogueEntry[] {
	return getManifest().courses.map((c) => ({
		id: c.id,
		slug: c.slug,
		title: c.title[lng],
		summary: c.summary[lng],
		minutes: c.minutes,
		lessonCount: c.lessons.length,
		core: c.core,
	}))
}

export function getCourseBySlug(slug: string): ManifestCourse | null {
	return getManifest().courses.find((c) => c.slug === slug) ?? null
}

export function getCourseById(id: string): ManifestCourse | null {
	return getManifest().courses.find((c) => c.id === id) ?? null
}

export function getLessonBySlugs(courseSlug: string, lessonSlug: string) {
	const course = getCourseBySlug(courseSlug)
	const index = course?.lessons.findIndex((l) => l.slug === lessonSlug) ?? -1
	if (!course || index < 0) return null
	return { course, lesson: course.lessons[index]!, prev: course.lessons[index - 1] ?? null, next: course.lessons[index + 1] ?? null }
}

export function getLessonById(lessonId: string) {
	for (const course of getManifest().courses) {
		const lesson = course.lessons.find((l) => l.id === lessonId)
		if (lesson) return { course, lesson }
	}
	return null
}

/** Development only: recompile changed lessons (and the manifest) so edits show on reload. */
export async function ensureFreshContent() {
	if (!dev) return
	const { buildContent } = await import('./compile.server.ts')
	await buildContent({ log: () => {} })
	manifest = undefined
}

const codeCache = new Map<string, string>()
export async function getLessonCode(lesson: ManifestLesson, lng: Lng): Promise<{ code: string; hash: string }> {
	const hash = lesson.hash[lng]!
	let code = codeCache.get(hash)
	if (!code) {
		code = (JSON.parse(fs.readFileSync(path.join(CACHE_DIR, 'lessons', `${hash}.json`), 'utf8')) as { code: string }).code
		codeCache.set(hash, code)
	}
	return { code, hash }
}

/** The quiz as the browser may see it: questions and options, no answers, no explanations. */
export interface PublicQuestion {
	id: string
	question: string
	options: { id: string; text: string }[]
}
// Made once per lesson and language (manifest objects live as long as the manifest; in
// development a re-read manifest gives new ones), not on every lesson page and quiz answer.
const publicQuizzes = new WeakMap<ManifestLesson, Partial<Record<Lng, readonly PublicQuestion[]>>>()
export function publicQuiz(lesson: ManifestLesson, lng: Lng): readonly PublicQuestion[] {
	let byLng = publicQuizzes.get(lesson)
	if (!byLng) publicQuizzes.set(lesson, (byLng = {}))
	return (byLng[lng] ??= Object.freeze(
		(lesson.quiz[lng] ?? []).map((q: QuizQuestion) =>
			Object.freeze({ id: q.id, question: q.question, options: Object.freeze(q.options.map((o) => Object.freeze({ id: o.id, text: o.text }))) }),
		),
	) as readonly PublicQuestion[])
}
