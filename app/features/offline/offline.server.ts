import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { getLessonCode, publicQuiz } from '#app/modules/course/course.server.ts'
import { type ManifestCourse } from '#app/modules/course/compile.server.ts'
import { type Lng } from '#app/utils/i18n.ts'

/**
 * What saving a course for offline costs, shown before the learner taps "save": the compressed
 * bytes of every lesson page in the learner's language (lesson text and quiz, plus the page around
 * them). Estimated from the compressed compiled lesson plus the page around it; checked against the
 * gzip size of the rendered pages of all four courses in both languages (within about 10%, see
 * docs/benchmarks.md). The app shell (CSS, scripts, icons) is stored once by the service worker and
 * is not counted per course. `version` changes when any lesson's content does, so the phone knows
 * its saved copy is out of date.
 */
const PAGE_BYTES = 450
const cache = new Map<string, { bytes: number; version: string }>()

export async function getCourseDownload(course: ManifestCourse, lng: Lng) {
	const key = `${course.id}:${lng}:${course.lessons.map((l) => l.hash[lng]).join(',')}`
	let found = cache.get(key)
	if (!found) {
		let bytes = 0
		for (const lesson of course.lessons) {
			const { code } = await getLessonCode(lesson, lng)
			bytes += gzipSync(code + JSON.stringify(publicQuiz(lesson, lng))).length + PAGE_BYTES
		}
		found = { bytes, version: createHash('sha256').update(key).digest('hex').slice(0, 12) }
		cache.set(key, found)
	}
	return { ...found, urls: course.lessons.map((l) => `/courses/${course.slug}/${l.slug}`) }
}

/** "48 KB", "1,2 MB" (Vietnamese decimal comma). */
export function formatBytes(bytes: number, lng: Lng) {
	if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`
	return `${new Intl.NumberFormat(lng === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024)} MB`
}
