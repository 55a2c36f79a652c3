import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import * as offline from '#app/kernel/offline-constants.ts'
import { buildPageScripts, pageScripts } from './build-browser.ts'

/** Every file under `dir` whose name ends with one of `exts`. */
function files(dir: string, exts: string[]): string[] {
	return fs
		.readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((f) => exts.some((e) => f.endsWith(e)))
		.map((f) => path.join(dir, f))
}

describe('page scripts', () => {
	test('every <script src> a page names is a page script the build makes, and every page script is loaded by a page', () => {
		const named = new Set(files('app', ['.tsx']).flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/<script src="\/([a-z-]+)\.js"/g)].map((m) => m[1]!)))
		expect([...named].sort()).toEqual([...pageScripts].sort())
		for (const name of pageScripts) expect(fs.existsSync(`app/browser/${name}.ts`)).toBe(true)
		// Nothing left in public/ to shadow or duplicate them.
		expect(fs.readdirSync('public').filter((f) => f.endsWith('.js'))).toEqual([])
	})

	test('they are bundled one file each, minified, with no module syntax left (pages load them as classic scripts)', async () => {
		const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-page-scripts-'))
		try {
			await buildPageScripts(out)
			expect(fs.readdirSync(out).sort()).toEqual(pageScripts.map((n) => `${n}.js`).sort())
			const lesson = fs.readFileSync(path.join(out, 'lesson.js'), 'utf8')
			expect(lesson).not.toMatch(/^\s*(import|export)\b/m)
			expect(lesson.split('\n').length).toBeLessThanOrEqual(2)
			// The shared names arrive in the bundle from the one constants file.
			expect(lesson).toContain(`"${offline.UNSENT_CACHE}"`)
			expect(fs.readFileSync(path.join(out, 'offline.js'), 'utf8')).toContain(`"${offline.OUTBOX_DB}"`)
		} finally {
			fs.rmSync(out, { recursive: true, force: true })
		}
	})

	test('the names the phone and the server share are written only in kernel/offline-constants.ts', () => {
		const names = [
			offline.PAGES_CACHE,
			offline.ASSETS_CACHE,
			offline.UNSENT_CACHE,
			offline.OUTBOX_DB,
			offline.COMPLETED_KEY_PREFIX,
			offline.SAVED_COURSE_KEY_PREFIX,
			offline.OFFLINE_SAVE_HEADER,
			...Object.values(offline.DOM_EVENT),
		]
		const sources = [...files('app', ['.ts', '.tsx', '.js']), ...files('scripts', ['.ts']), ...files('server', ['.ts'])].filter(
			(f) => !f.endsWith('offline-constants.ts') && !f.endsWith('.test.ts') && !f.startsWith(path.join('app', 'generated')),
		)
		const written = sources.flatMap((f) => {
			const text = fs.readFileSync(f, 'utf8')
			return names.filter((name) => text.includes(`'${name}'`) || text.includes(`"${name}"`) || text.includes(`\`${name}`)).map((name) => `${f}: ${name}`)
		})
		expect(written).toEqual([])
	})
})
