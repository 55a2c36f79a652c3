import { type AddressInfo } from 'node:net'
import compression from 'compression'
import express from 'express'
import { afterEach, expect, test } from 'vitest'
import { createRenderCache } from '../../server/render-cache.ts'

// Express's request and response, as far as these pages use them.
type Req = { url: string }
type Res = {
	locals: Record<string, any>
	setHeader(name: string, value: string): void
	status(code: number): void
	write(chunk: string): void
	end(chunk?: string): void
}

// server/render-cache.ts in front of a stand-in for the Remix handler that renders like entry.server.tsx:
// the nonce and client id from the load context, else random ones.
let servers: { close(): void }[] = []
afterEach(() => {
	for (const s of servers) s.close()
	servers = []
})

let renders = 0
async function serve(cache: ReturnType<typeof createRenderCache>, page: (req: Req, res: Res) => void = defaultPage) {
	const app = express()
	app.use(compression())
	app.use(cache.middleware)
	app.get('*', page)
	const server = app.listen(0) as import('node:http').Server
	servers.push(server)
	await new Promise((r) => server.once('listening', r))
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

let content = 'Bật điện thoại'
function defaultPage(_req: Req, res: Res) {
	renders++
	const nonce = res.locals.renderTokens?.nonce ?? 'random-nonce'
	const clientId = res.locals.renderTokens?.clientId ?? crypto.randomUUID()
	res.setHeader('Content-Security-Policy', `script-src 'self' 'nonce-${nonce}'`)
	res.setHeader('Content-Type', 'text/html; charset=utf-8')
	res.write(`<html><body><h1>${content}</h1>${'<p>x</p>'.repeat(200)}<form><input name="clientId" value="${clientId}"></form>`)
	res.end(`<form><input name="clientId" value="${clientId}"></form><script nonce="${nonce}" src="/offline.js"></script></body></html>`)
}

const nonceOf = (r: Response) => /'nonce-([^']+)'/.exec(r.headers.get('content-security-policy')!)![1]!

test('a copy per build: a new version (new build, new compiled content) renders again', async () => {
	renders = 0
	content = 'Bật điện thoại'
	const v1 = createRenderCache({ version: 'build-1' })
	const url1 = await serve(v1)
	const first = await fetch(`${url1}/courses/a/b`)
	const firstBody = await first.text()
	const second = await fetch(`${url1}/courses/a/b`)
	const secondBody = await second.text()
	expect([first.headers.get('x-render-cache'), second.headers.get('x-render-cache')]).toEqual(['miss', 'hit'])
	expect(renders).toBe(1)
	expect(second.headers.get('content-encoding')).toBe('gzip')
	expect(nonceOf(second)).not.toBe(nonceOf(first))
	expect(secondBody).toContain(`nonce="${nonceOf(second)}"`)
	const ids = (body: string) => [...body.matchAll(/value="([^"]+)"/g)].map((m) => m[1])
	expect(new Set(ids(secondBody)).size).toBe(1)
	expect(ids(secondBody)[0]).not.toBe(ids(firstBody)[0])
	expect(secondBody.replaceAll(nonceOf(second), 'N').replaceAll(ids(secondBody)[0]!, 'C')).toBe(
		firstBody.replaceAll(nonceOf(first), 'N').replaceAll(ids(firstBody)[0]!, 'C'),
	)

	// The content changes with the next build: a cache keyed by the new build's version misses.
	content = 'Tắt điện thoại'
	expect(v1.keyOf({ method: 'GET', url: '/courses/a/b', headers: {} })).not.toBe(
		createRenderCache({ version: 'build-2' }).keyOf({ method: 'GET', url: '/courses/a/b', headers: {} }),
	)
	const url2 = await serve(createRenderCache({ version: 'build-2' }))
	const rebuilt = await fetch(`${url2}/courses/a/b`)
	expect(rebuilt.headers.get('x-render-cache')).toBe('miss')
	expect(await rebuilt.text()).toContain('Tắt điện thoại')
	expect(renders).toBe(2)
})

test('disabled (development, RENDER_CACHE=0): every request is rendered, so content edits show at once', async () => {
	renders = 0
	content = 'một'
	const url = await serve(createRenderCache({ version: 'dev', enabled: false }))
	expect(await (await fetch(`${url}/courses/a/b`)).text()).toContain('một')
	content = 'hai'
	const again = await fetch(`${url}/courses/a/b`)
	expect(await again.text()).toContain('hai')
	expect(again.headers.get('x-render-cache')).toBeNull()
	expect(renders).toBe(2)
})

test('only visitors, only learner pages, only 200 HTML without Set-Cookie', async () => {
	const cache = createRenderCache({ version: 'v' })
	const key = (url: string, cookie?: string, method = 'GET') => cache.keyOf({ method, url, headers: cookie ? { cookie } : {} })
	expect(key('/courses')).toBeTruthy()
	expect(key('/courses/a')).toBeTruthy()
	expect(key('/courses/a/b')).toBeTruthy()
	expect(key('/courses/a/b', 'lng=ImVuIg%3D%3D')).not.toBe(key('/courses/a/b'))
	for (const [url, cookie, method] of [
		['/courses/a/b', 'hvs_session=abc'],
		['/courses/a/b', 'lng=ImVuIg%3D%3D; hvs_session=abc'],
		['/courses/a/b', 'lng=ImVuIg%3D%3D; lng=InZpIg%3D%3D'],
		['/courses/a/b', 'lng=garbage'],
		['/courses/a/b?lng=en'],
		['/courses/a/b/c'],
		['/me'],
		['/staff/residents'],
		['/courses/a/b', undefined, 'HEAD'],
		['/courses/a/b', undefined, 'POST'],
	] as const)
		expect(key(url, cookie, method)).toBeNull()

	let status = 200
	let cookie = false
	const url = await serve(cache, (req, res) => {
		if (cookie) res.setHeader('Set-Cookie', 'x=1')
		res.status(status)
		defaultPage(req, res)
	})
	renders = 0
	status = 404
	await fetch(`${url}/courses/x`)
	await fetch(`${url}/courses/x`)
	status = 200
	cookie = true
	await fetch(`${url}/courses/y`)
	await fetch(`${url}/courses/y`)
	expect(renders).toBe(4)
	expect(cache.entries.size).toBe(0)
})

test('bounded: the least recently used page goes first', async () => {
	const cache = createRenderCache({ version: 'v', max: 3 })
	const url = await serve(cache)
	for (const p of ['a', 'b', 'c']) await (await fetch(`${url}/courses/${p}`)).text()
	await (await fetch(`${url}/courses/a`)).text()
	await (await fetch(`${url}/courses/d`)).text()
	expect([...cache.entries.keys()].map((k: string) => k.split('\n')[2])).toEqual(['/courses/c', '/courses/a', '/courses/d'])
})
