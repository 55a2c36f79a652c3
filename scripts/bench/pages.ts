/**
 * npm run bench:pages — compressed bytes a phone downloads for learner pages, on the built server:
 * first load = HTML + CSS + JS (gzip, as sent), further navigation = HTML only (CSS/JS cached).
 * Lesson drawings load lazily, after the page: shown apart ("drawings", as sent) and added in
 * "with drawings". Budget (issue "Courses"): first load ≤ 60 KB (target ≤ 25 KB, with drawings too),
 * navigation ≤ 20 KB.
 * BENCH_ALL=1 measures every course and lesson (default: the first course and the first that is not core).
 * Prints figures; asserts nothing. Needs `npm run build`.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'

const port = Number(process.env.BENCH_PORT ?? 3291)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-pages-'))
const server = spawn(process.execPath, ['build/server.js'], {
	env: {
		...process.env,
		PORT: String(port),
		APP_ORIGIN: `http://127.0.0.1:${port}`,
		DATABASE_URL: `file:${dir}/db`,
		NODE_ENV: 'production',
		LOG_REQUESTS: '0',
		SEED_DEMO: '0',
	},
	stdio: ['ignore', 'ignore', 'inherit'],
})

function get(pathname: string): Promise<{ bytes: number; body: string; type: string }> {
	return new Promise((resolve, reject) => {
		http
			.get({ host: '127.0.0.1', port, path: pathname, headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
				const chunks: Buffer[] = []
				res.on('data', (c: Buffer) => chunks.push(c))
				res.on('end', async () => {
					const raw = Buffer.concat(chunks)
					const body = res.headers['content-encoding'] === 'gzip' ? (await import('node:zlib')).gunzipSync(raw).toString() : raw.toString()
					resolve({ bytes: raw.length, body, type: String(res.headers['content-type'] ?? '') })
				})
			})
			.on('error', reject)
	})
}

async function ready() {
	for (let i = 0; i < 300; i++) {
		try {
			if ((await get('/resources/healthcheck')).bytes) return
		} catch {}
		await new Promise((r) => setTimeout(r, 200))
	}
	throw new Error('server did not start')
}

try {
	await ready()
	const manifest = JSON.parse(fs.readFileSync('.cache/content/manifest.json', 'utf8')) as {
		courses: { slug: string; core: boolean; lessons: { slug: string }[] }[]
	}
	const course = manifest.courses[0]!
	// And the first course that is not core (issue 21: the courses added after the first four).
	const more = manifest.courses.find((c) => !c.core)
	// BENCH_ALL=1: every course and lesson (to check the budget after content changes, e.g. new drawings).
	const measured = process.env.BENCH_ALL === '1' ? manifest.courses : [course, ...(more ? [more] : [])]
	const pages = ['/courses', ...measured.flatMap((c) => [`/courses/${c.slug}`, ...c.lessons.map((l) => `/courses/${c.slug}/${l.slug}`)])]
	let heaviest = { url: '', bytes: 0 }
	const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
	console.log(
		`${'page'.padEnd(44)} ${'HTML'.padStart(8)} ${'CSS'.padStart(8)} ${'JS'.padStart(8)}  first load  navigation  ${'drawings'.padStart(8)}  with drawings`,
	)
	for (const lng of ['vi', 'en']) {
		for (const page of pages) {
			const url = `${page}?lng=${lng}`
			const html = await get(url)
			const css = [...html.body.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]!)
			const js = [...html.body.matchAll(/<script[^>]+src="([^"]+)"/g), ...html.body.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1]!)
			let cssBytes = 0
			let jsBytes = 0
			for (const href of css) cssBytes += (await get(href)).bytes
			for (const src of js) jsBytes += (await get(src)).bytes
			const first = html.bytes + cssBytes + jsBytes
			let drawingBytes = 0
			for (const src of new Set([...html.body.matchAll(/<img[^>]+src="(\/content\/[^"]+)"/g)].map((m) => m[1]!))) drawingBytes += (await get(src)).bytes
			if (first + drawingBytes > heaviest.bytes) heaviest = { url, bytes: first + drawingBytes }
			console.log(
				`${url.padEnd(44)} ${kb(html.bytes).padStart(8)} ${kb(cssBytes).padStart(8)} ${kb(jsBytes).padStart(8)}  ${kb(first).padStart(10)}  ${kb(html.bytes).padStart(10)}  ${kb(drawingBytes).padStart(8)}  ${kb(first + drawingBytes).padStart(13)}`,
			)
		}
	}
	console.log(`\nHeaviest with drawings: ${heaviest.url} ${kb(heaviest.bytes)}`)
	console.log('\nBudget: first load ≤ 60 KB (target ≤ 25 KB), further navigation ≤ 20 KB (compressed; drawings load lazily, shown apart).')
} finally {
	server.kill('SIGTERM')
	await new Promise((r) => server.once('exit', r))
	fs.rmSync(dir, { recursive: true, force: true })
}
