import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type APIRequestContext } from '@playwright/test'
import { type DemoLogin, expect, test } from './fixtures.ts'

/**
 * Every page type rendered from the seeded demo database, in Vietnamese and in English, as each
 * persona that can see it (issue #17: one run saw NUL bytes inside rendered Vietnamese text on large
 * pages): the HTML holds no U+0000 (no 0x00 byte at all) and no U+FFFD (a replacement character:
 * text that was broken on its way in, or bytes cut inside a character on the way out), and no
 * page answers with a 5xx. The pages are found by following the links each persona is shown,
 * and the route list says which page types there are: every route file with a loader and a page
 * component must have been rendered, apart from the few listed below with the reason.
 */
const ROUTES_DIR = path.join(process.cwd(), 'app', 'routes')

/** Pages no link of the demo data leads to, with where they are rendered instead. */
const NOT_LINKED: Record<string, string> = {
	'_auth+/auth.vneid.callback.tsx': 'the VNeID provider redirects there (tests/e2e/vneid.test.ts)',
	'me+/complete.tsx': 'only a VNeID sign-in waiting for the notice (or an older VNeID account without a commune) sees it (tests/e2e/vneid.test.ts)',
	'me+/notice.tsx':
		'only someone who has not agreed to the current notice sees it; every demo login has (tests/e2e/notice.spec.ts, tests/integration/notice-gate.test.ts)',
	'_auth+/setup.tsx': 'opened with a setup code handed out in person (tests/e2e/assisted.test.ts, a11y-accounts.test.ts)',
	'staff+/residents.$residentId_.slip.tsx': 'reached by making a setup code (a form post), linked only while one works (tests/e2e/slips.spec.ts)',
	'staff+/import.$jobId_.slips.tsx': 'the batch sheet is the answer to a form post after an import (tests/e2e/slips.spec.ts)',
	'narrate+/_index.tsx': 'only narrators see it, and the demo has none (tests/e2e/voices.spec.ts)',
	'narrate+/$course.$lesson.tsx': 'only narrators see it, and the demo has none (tests/e2e/voices.spec.ts)',
}

interface PageRoute {
	file: string
	pattern: RegExp
	params: number
}

/** The route files that render a page for a GET: a loader and a default export (resource routes have none). */
function pageRoutes(dir = ROUTES_DIR): PageRoute[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name)
		if (entry.isDirectory()) return pageRoutes(full)
		if (!/\.tsx?$/.test(entry.name) || /\.(server|client|test)\./.test(entry.name)) return []
		const source = fs.readFileSync(full, 'utf8')
		if (!/export (async )?function loader\b/.test(source) || !/export default\b/.test(source)) return []
		const file = path.relative(ROUTES_DIR, full).split(path.sep).join('/')
		return [routeOf(file)]
	})
}

/** remix-flat-routes (hybrid): folders ending in + are prefixes, `_x` is pathless, `$x` a parameter, `[.]` a literal. */
function routeOf(file: string): PageRoute {
	const name = file.replace(/\.tsx?$/, '').replace(/\+\//g, '.')
	const segments = name.match(/(\[[^\]]*\]|[^.])+/g) ?? []
	let params = 0
	const parts = segments.flatMap((segment) => {
		if (segment === '_index' || segment === 'index' || segment.startsWith('_')) return []
		if (segment.startsWith('$')) {
			params++
			return ['[^/]+']
		}
		return [segment.replace(/\[([^\]]*)\]/g, '$1').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')]
	})
	return { file, pattern: new RegExp(`^/${parts.join('/')}/?$`), params }
}

const ROUTES = pageRoutes().sort((a, b) => a.params - b.params)
const routeFor = (pathname: string) => ROUTES.find((r) => r.pattern.test(pathname))

/** Links not to follow: the language switch (the cookie sets the language), signing out, leaving for VNeID, downloads, scripts and files. */
const SKIP = [
	/[?&]lng=/,
	/^\/logout/,
	/^\/auth\/vneid/,
	/^\/resources\//,
	/^\/api\//,
	/\/credential$/,
	/[?&](format|download)=/,
	/\.(js|css|svg|png|ico|json|webmanifest|txt|pdf|xlsx|csv)(\?|$)/,
	/^\/build\//,
	/^\/assets\//,
]
/** Pages of one route type rendered per persona and language (a list of 300 residents need not be read 300 times). */
const PER_ROUTE = 3
// /province/certificates is linked from no page yet (the province pages are being reworked, issue #17 item 6).
const START = ['/province/certificates', '/', '/courses', '/verify', '/login', '/register', '/offline', '/me', '/me/security', '/staff', '/province']

interface Crawl {
	rendered: Map<string, string[]>
	problems: string[]
}

/** Where each page type's first page per persona and language is written for the Nu HTML Checker (made by the test). */
let VNU_DIR = ''
const VNU_JAR = path.join(process.cwd(), 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar')

async function crawl(request: APIRequestContext, origin: string, lng: 'vi' | 'en', who: string): Promise<Crawl> {
	const rendered = new Map<string, string[]>()
	const problems: string[] = []
	const seen = new Set<string>()
	const queue = [...START]
	let requests = 0
	while (queue.length && requests < 200) {
		const url = queue.shift()!
		if (seen.has(url)) continue
		seen.add(url)
		const pathname = url.split('?')[0]!
		const route = routeFor(pathname)
		if (!route) continue
		const done = rendered.get(route.file) ?? []
		if (done.length >= PER_ROUTE) continue
		requests++
		const response = await request.get(url, { maxRedirects: 0 })
		if (response.status() >= 300 && response.status() < 400) {
			const location = response.headers().location
			if (location?.startsWith('/')) queue.unshift(location)
			continue
		}
		if (response.status() >= 500) problems.push(`${who} ${lng} ${url}: ${response.status()}`)
		if (!(response.headers()['content-type'] ?? '').startsWith('text/html')) continue
		const bytes = await response.body()
		const html = bytes.toString('utf8')
		if (bytes.includes(0)) problems.push(`${who} ${lng} ${url}: a NUL byte at ${bytes.indexOf(0)}`)
		if (html.includes('\uFFFD'))
			problems.push(`${who} ${lng} ${url}: U+FFFD near «${html.slice(Math.max(0, html.indexOf('\uFFFD') - 60), html.indexOf('\uFFFD') + 20)}»`)
		if (response.ok()) {
			if (!html.includes(`<html lang="${lng}"`)) problems.push(`${who} ${lng} ${url}: not rendered in ${lng}`)
			if (!done.length) fs.writeFileSync(path.join(VNU_DIR, `${who}.${lng}.${route.file.replace(/[^\w.+$-]/g, '_')}.html`), `${html}\n<!-- ${url} -->\n`)
			rendered.set(route.file, [...done, url])
		}
		for (const [, href] of html.matchAll(/<a [^>]*href="([^"#]+)/g)) {
			// Links within the site, relative or absolute (the certificate page links its verification address).
			const link = href!.replaceAll('&amp;', '&').replace(origin, '')
			if (link.startsWith('/') && !link.startsWith('//') && !SKIP.some((re) => re.test(link))) queue.push(link)
		}
	}
	return { rendered, problems }
}

const PERSONAS: (DemoLogin | 'visitor')[] = ['visitor', 'resident', 'staffToHieu', 'staffMuongLa', 'provinceOfficer', 'admin']

test('every page type, from the demo data, in Vietnamese and English: no U+0000, no U+FFFD, no 5xx', async ({ browser, baseURL, login, page }) => {
	test.setTimeout(300_000)
	// The demo has no class, import or certificate of the demo resident yet: commune staff record a
	// class and an import, as on their phone.
	await login('staffToHieu')
	await page.goto('/staff/classes/new?commune=03646&course=smartphone')
	// Every lesson, for everyone of Phường Tô Hiệu: the demo resident gets a certificate to show.
	await page.$$eval('input[name="lessonId"], input[name="attendeeId"]', (boxes) => {
		for (const box of boxes as HTMLInputElement[]) box.checked = true
	})
	await page.locator('input[name="place"]').fill('Nhà văn hoá tổ 3')
	await page.locator('form[method="post"] button[type="submit"]').last().click()
	await expect(page).toHaveURL(/\/staff\/classes\/[^/?]+\?saved=1$/)
	await page.goto('/staff/import')
	const csv = [
		'Họ và tên;Số điện thoại;Năm sinh;Giới tính;Dân tộc;Thôn/bản',
		`Lò Thị Hiển Thị;077${String(Date.now()).slice(-7)};1961;Nữ;Thái;Bản Nà Lốc`,
	].join('\r\n')
	await page.locator('input[name="file"]').setInputFiles({ name: 'danh-sach.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}\r\n`) })
	await page.locator('input[name="file"]').locator('xpath=ancestor::form').locator('button[type="submit"]').first().click()
	await expect(page).toHaveURL(/\/staff\/import\/[^/?]+$/)
	const rendered = { vi: new Set<string>(), en: new Set<string>() }
	const problems: string[] = []
	VNU_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-vnu-'))
	for (const lng of ['vi', 'en'] as const) {
		for (const who of PERSONAS) {
			const context = await browser.newContext({ baseURL })
			// The language cookie as the server writes it (remix createCookie: base64 of the JSON value).
			await context.addCookies([{ name: 'lng', value: encodeURIComponent(Buffer.from(JSON.stringify(lng)).toString('base64')), url: baseURL! }])
			if (who !== 'visitor') await login(who, context)
			const result = await crawl(context.request, baseURL!, lng, who)
			for (const file of result.rendered.keys()) rendered[lng].add(file)
			problems.push(...result.problems)
			await context.close()
		}
	}
	expect(problems).toEqual([])
	// The Nu HTML Checker (vnu-jar, on Debian's Java) over every page saved above, in one JVM.
	expect(htmlErrors(VNU_DIR), 'the Nu HTML Checker reports these errors').toEqual([])
	// Every page type, in each language.
	for (const lng of ['vi', 'en'] as const) {
		const missing = ROUTES.map((r) => r.file).filter((file) => !rendered[lng].has(file) && !(file in NOT_LINKED))
		expect(missing, `${lng}: page types no persona reached: link them, or list them in NOT_LINKED with where they are tested`).toEqual([])
	}
})

/**
 * Every error the Nu HTML Checker finds in the HTML files of `dir`, as "file:line: message"
 * (issue #20: valid HTML on every page type). Java comes from Debian (default-jre-headless:
 * .ci/run installs it, scripts/test-all.ts says how).
 */
function htmlErrors(dir: string): string[] {
	const run = spawnSync('java', ['-Xss2m', '-jar', VNU_JAR, '--errors-only', '--format', 'json', '--exit-zero-always', dir], {
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	})
	if (run.error || run.status !== 0)
		throw new Error(`the Nu HTML Checker did not run (is Java installed? apt-get install default-jre-headless): ${run.error ?? run.stderr}`)
	const report = JSON.parse(run.stderr || '{"messages":[]}') as {
		messages: { type: string; url?: string; lastLine?: number; message: string; extract?: string }[]
	}
	const errors = report.messages
		.filter((m) => m.type === 'error')
		.map((m) => `${path.basename(m.url ?? '')}:${m.lastLine ?? '?'}: ${m.message}${m.extract ? ` «${m.extract.trim().slice(0, 120)}»` : ''}`)
	if (!errors.length) fs.rmSync(dir, { recursive: true, force: true })
	return errors
}
