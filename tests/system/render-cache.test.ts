import { afterAll, beforeAll, expect, test } from 'vitest'
import { Client, createDatabase, dropDatabase, type Instance, seed, startInstance } from './harness.ts'
import { DEMO_LOGINS } from '../../prisma/seed/demo-logins.ts'

// The built server's cache of visitors' learner pages (render-cache.js): each copy gets its own
// nonce (matching its CSP header) and client id, and a signed-in learner is never served from it.
const db = `hvs_sys_render_cache_${process.pid}`
let instance: Instance
let base: string
const lesson = '/courses/smartphone/turn-on'

beforeAll(async () => {
	const url = await createDatabase(db)
	seed(url)
	instance = await startInstance({ port: 3831, databaseUrl: url, id: 'rc' })
	base = `http://127.0.0.1:${instance.port}`
})

afterAll(async () => {
	await instance?.stop()
	await dropDatabase(db)
})

async function get(path: string, headers: Record<string, string> = {}) {
	const response = await fetch(base + path, { headers, redirect: 'manual' })
	return { response, body: await response.text() }
}

/** The CSP nonce, checked against every nonce in the page, and the page's client ids. */
function tokens({ response, body }: Awaited<ReturnType<typeof get>>) {
	const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')?.[1]
	expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/)
	const inPage = [...body.matchAll(/nonce="([^"]*)"/g)].map((m) => m[1])
	expect(inPage.length).toBeGreaterThan(0)
	for (const n of inPage) expect(n).toBe(nonce)
	const clientIds = [...body.matchAll(/name="clientId" value="([^"]*)"/g)].map((m) => m[1]!)
	for (const id of clientIds) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
	return { nonce: nonce!, clientIds }
}

const normalise = (body: string, nonce: string, clientIds: string[]) =>
	clientIds.reduce((b, id) => b.replaceAll(id, 'CLIENT-ID'), body.replaceAll(nonce, 'NONCE'))

test('visitors get the same lesson with a fresh nonce and client id each time, compressed, headers unchanged', async () => {
	const pages = [await get(lesson), await get(lesson), await get(lesson)]
	expect(pages.map((p) => p.response.status)).toEqual([200, 200, 200])
	expect(pages.map((p) => p.response.headers.get('x-render-cache'))).toEqual(['miss', 'hit', 'hit'])
	const seen = pages.map(tokens)
	// The lesson's quiz form and "I finished" form share the page's id, as before the cache.
	for (const s of seen) expect(s.clientIds.length).toBeGreaterThan(0)
	expect(new Set(seen.map((s) => s.nonce)).size).toBe(3)
	expect(new Set(seen.flatMap((s) => s.clientIds)).size).toBe(3)
	const bodies = pages.map((p, i) => normalise(p.body, seen[i]!.nonce, seen[i]!.clientIds))
	expect(bodies[1]).toBe(bodies[0])
	expect(bodies[2]).toBe(bodies[0])
	// Same headers as the rendered copy (nonce aside); still compressed, still no ETag.
	const headers = pages.map((p, i) => {
		const h = Object.fromEntries([...p.response.headers].filter(([k]) => !['date', 'x-render-cache', 'content-length', 'transfer-encoding'].includes(k)))
		h['content-security-policy'] = h['content-security-policy']!.replace(seen[i]!.nonce, 'NONCE')
		return h
	})
	expect(headers[1]).toEqual(headers[0])
	expect(headers[1]!['content-encoding']).toBe('gzip')
	expect(headers[1]!['vary']).toBe('Accept-Encoding')
	expect(headers[1]!['etag']).toBeUndefined()
	expect(headers[1]!['cache-control']).toBe(headers[0]!['cache-control'])
})

test('home page, course page and catalogue are cached too; a 404 and a query string are not', async () => {
	for (const path of ['/courses/smartphone', '/courses', '/']) {
		const [a, b] = [await get(path), await get(path)]
		expect([a.response.headers.get('x-render-cache'), b.response.headers.get('x-render-cache')]).toEqual(['miss', 'hit'])
		expect(normalise(b.body, tokens(b).nonce, [])).toBe(normalise(a.body, tokens(a).nonce, []))
	}
	for (let i = 0; i < 2; i++) {
		const missing = await get('/courses/smartphone/no-such-lesson')
		expect(missing.response.status).toBe(404)
		expect(missing.response.headers.get('x-render-cache')).toBe('miss')
	}
	expect((await get(`${lesson}?utm=x`)).response.headers.get('x-render-cache')).toBeNull()
})

test('a language switch sets a cookie and is not cached; each language has its own copy', async () => {
	const english = await get(`${lesson}?lng=en`)
	expect(english.response.headers.get('set-cookie')).toMatch(/^lng=/)
	expect(english.response.headers.get('x-render-cache')).toBeNull()
	const cookie = english.response.headers.get('set-cookie')!.split(';')[0]!
	const [a, b] = [await get(lesson, { cookie }), await get(lesson, { cookie })]
	expect([a.response.headers.get('x-render-cache'), b.response.headers.get('x-render-cache')]).toEqual(['miss', 'hit'])
	expect(b.body).toContain('<html lang="en"')
	expect(b.response.headers.get('set-cookie')).toBeNull()
	expect((await get(lesson)).body).toContain('<html lang="vi"')
	// An lng cookie with a value the site does not have is rendered, not cached.
	expect((await get(lesson, { cookie: 'lng=Inh4Ig%3D%3D' })).response.headers.get('x-render-cache')).toBeNull()
})

test('a signed-in learner is never served from the cache, and their page is never stored', async () => {
	const visitorBefore = await get(lesson)
	expect(visitorBefore.response.headers.get('x-render-cache')).toBe('hit')
	const resident = new Client(base)
	expect((await resident.request('/login', { form: { phone: DEMO_LOGINS.resident.phone, secret: DEMO_LOGINS.resident.pin } })).status).toBe(302)
	for (let i = 0; i < 2; i++) {
		const page = await resident.request(lesson)
		expect(page.status).toBe(200)
		expect(page.headers.get('x-render-cache')).toBeNull()
		const body = await page.text()
		expect(body).toContain('href="/me"')
		expect(body).not.toContain('href="/login"')
	}
	// Even with a stale or forged session cookie: rendered for that request.
	expect((await get(lesson, { cookie: 'hvs_session=forged' })).response.headers.get('x-render-cache')).toBeNull()
	const visitorAfter = await get(lesson)
	expect(visitorAfter.response.headers.get('x-render-cache')).toBe('hit')
	expect(visitorAfter.body).toContain('href="/login"')
	expect(visitorAfter.body).not.toContain('href="/me"')
})

test('static files keep their caching rules behind the static-folder guard; paths that are not files get a 4xx, never a 5xx', async () => {
	const sw = await get('/sw.js')
	expect(sw.response.status).toBe(200)
	expect(sw.response.headers.get('cache-control')).toBe('no-cache')
	const script = await get('/lesson.js')
	expect(script.response.status).toBe(200)
	expect(script.response.headers.get('cache-control')).toBe('public, max-age=3600')
	expect((await get('/icons/icon-192.png')).response.headers.get('content-type')).toBe('image/png')
	const asset = /\/assets\/[^"]+\.css/.exec((await get(lesson)).body)![0]
	expect((await get(asset)).response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
	// Not files: Remix answers (a page, or its not-found page), never a 5xx.
	for (const path of ['/no-such-file.js', '/icons/no-such.png', '/%E0%A4%A', '/..%2fpackage.json', '/lesson.js/x']) {
		const { response } = await get(path)
		expect(response.status, path).toBeGreaterThanOrEqual(400)
		expect(response.status, path).toBeLessThan(500)
	}
})
