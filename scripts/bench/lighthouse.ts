/**
 * npm run bench:lighthouse — Lighthouse (mobile preset: Moto G Power, simulated slow 4G, 4× CPU
 * slowdown) on a lesson page of the built app, in Debian's Chromium, headless. Builds first if there
 * is no build; serves it on a free port with a throwaway PGlite database seeded with the demo data.
 * Runs the page as a visitor and as the demo resident (enrolled, signed in); prints the category
 * scores and the key metrics. Prints figures; asserts nothing; not part of `npm test`.
 *
 * BENCH_PAGE=/courses/… picks another page; BENCH_RUNS=3 (default 1) reports the median run.
 */
import { execSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'
import { DEMO_LOGINS } from '../../prisma/seed/demo-logins.ts'

const chromePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
if (!fs.existsSync(chromePath)) throw new Error(`No Chromium at ${chromePath}: apt-get install -y chromium (or set CHROMIUM_PATH).`)
if (!fs.existsSync('build/server/index.js') || !fs.existsSync('build/client/sw.js')) {
	console.log('No build yet: npm run build')
	execSync('npm run build', { stdio: 'inherit' })
}
const page = process.env.BENCH_PAGE ?? '/courses/smartphone/turn-on'
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 1))

const port = await freePort()
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-lighthouse-'))
const env = {
	...process.env,
	PORT: String(port),
	APP_ORIGIN: `http://localhost:${port}`,
	DATABASE_URL: `file:${dir}/db`,
	NODE_ENV: 'production' as const,
	LOG_REQUESTS: '0',
	SEED_DEMO: '1',
}
console.log('Seeding the demo data into a throwaway database…')
execSync('npx tsx prisma/seed/index.ts', { env, stdio: ['ignore', 'ignore', 'inherit'] })
const server = spawn(process.execPath, ['build/server.js'], { env, stdio: ['ignore', 'ignore', 'inherit'] })
const origin = `http://localhost:${port}`
let chrome: chromeLauncher.LaunchedChrome | undefined

try {
	await ready()
	const cookie = await signIn(DEMO_LOGINS.resident.phone, DEMO_LOGINS.resident.pin)
	chrome = await chromeLauncher.launch({
		chromePath,
		chromeFlags: [
			'--headless=new',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-dev-shm-usage',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	})
	console.log(
		`\nLighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version}, mobile preset, ${chromePath}; page ${page}; ${runs} run(s), median shown\n`,
	)
	const rows: string[][] = []
	for (const [who, headers] of [
		['visitor', {}],
		['resident (signed in, enrolled)', { Cookie: cookie }],
	] as const) {
		const results = []
		for (let i = 0; i < runs; i++) {
			const result = await lighthouse(
				`${origin}${page}`,
				{
					port: chrome.port,
					output: 'json',
					logLevel: 'error',
					onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
					extraHeaders: headers,
				},
				undefined,
			)
			if (!result) throw new Error('Lighthouse returned nothing')
			results.push(result.lhr)
		}
		results.sort((a, b) => (a.categories.performance!.score ?? 0) - (b.categories.performance!.score ?? 0))
		const lhr = results[Math.floor(results.length / 2)]!
		const report = path.join(os.tmpdir(), `hvs-lighthouse-${who.split(' ')[0]}.json`)
		fs.writeFileSync(report, JSON.stringify(lhr))
		console.log(`  ${who}: full report ${report}`)
		const score = (id: string) => String(Math.round((lhr.categories[id]?.score ?? 0) * 100))
		const metric = (id: string) => lhr.audits[id]?.displayValue ?? '—'
		rows.push([
			who,
			score('performance'),
			score('accessibility'),
			score('best-practices'),
			score('seo'),
			metric('first-contentful-paint'),
			metric('largest-contentful-paint'),
			metric('total-blocking-time'),
			metric('cumulative-layout-shift'),
			metric('speed-index'),
			metric('total-byte-weight'),
		])
		for (const [id, audit] of Object.entries(lhr.audits)) {
			if (
				audit.score !== null &&
				audit.score < 0.9 &&
				audit.scoreDisplayMode !== 'informative' &&
				audit.scoreDisplayMode !== 'notApplicable' &&
				audit.scoreDisplayMode !== 'manual'
			) {
				console.log(`  ${who}: ${id} — ${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ''}`)
			}
		}
	}
	const head = ['', 'perf', 'a11y', 'best pr.', 'SEO', 'FCP', 'LCP', 'TBT', 'CLS', 'Speed Index', 'bytes']
	const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
	const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
	console.log(`\n${line(head)}\n${rows.map(line).join('\n')}`)
} finally {
	await chrome?.kill()
	server.kill('SIGTERM')
	await new Promise((r) => server.once('exit', r))
	fs.rmSync(dir, { recursive: true, force: true })
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = net.createServer()
		s.once('error', reject)
		s.listen(0, () => {
			const { port } = s.address() as net.AddressInfo
			s.close(() => resolve(port))
		})
	})
}

async function ready() {
	for (let i = 0; i < 600; i++) {
		try {
			if ((await fetch(`${origin}/resources/healthcheck`)).ok) return
		} catch {}
		await new Promise((r) => setTimeout(r, 200))
	}
	throw new Error('server did not start')
}

async function signIn(phone: string, secret: string) {
	const res = await fetch(`${origin}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
		body: new URLSearchParams({ phone, secret, redirectTo: '/me' }),
	})
	const cookie = res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ')
	if (res.status !== 302 || !cookie) throw new Error(`demo sign-in failed (${res.status})`)
	return cookie
}
