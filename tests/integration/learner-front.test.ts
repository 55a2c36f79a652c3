import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ServerBuild } from '@remix-run/node'
import { afterEach, describe, expect, test } from 'vitest'
import { createLearnerCache } from '../../server/learner-cache.ts'

// server/learner-cache.ts `front`, the part of the server that answers signed-in learners before
// Express (ADR 039), on a real HTTP server with the app's functions stubbed: what it hands on to
// the rest of the server, and what it must never hand on.
const servers: http.Server[] = []
afterEach(async () => {
	await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

async function serve(pages: Record<string, unknown>) {
	const build = { entry: { module: { lessonView: async () => null, quizHtml: async () => '', ...pages } }, routes: {}, assets: {} } as unknown as ServerBuild
	const cache = createLearnerCache({ build, mode: 'production', origin: 'http://localhost', version: 'test' })
	const handedOn: { url: string; complete: boolean }[] = []
	const server = http.createServer((req, res) => {
		if (!cache.takes(req)) return void res.writeHead(404).end()
		void cache.front(req, res, () => {
			handedOn.push({ url: req.url!, complete: req.complete })
			res.writeHead(299).end()
		})
	})
	servers.push(server)
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
	return { port: (server.address() as AddressInfo).port, handedOn }
}

const quizPost = (port: number, declared: number) =>
	http.request({
		port,
		host: '127.0.0.1',
		method: 'POST',
		path: '/api/quiz',
		headers: { Cookie: 'hvs_session=x', 'Content-Type': 'application/json', 'Content-Length': String(declared) },
	})

describe('front', () => {
	test('takes only a signed-in learner’s lesson GET and quiz posts', async () => {
		const { port } = await serve({ lessonPost: async () => null, quizInPlace: async () => null })
		const status = async (path: string, init: RequestInit = {}, cookie = 'hvs_session=x') =>
			(await fetch(`http://127.0.0.1:${port}${path}`, { ...init, headers: { Cookie: cookie, ...(init.headers ?? {}) } })).status
		expect(await status('/courses/smartphone/turn-on')).toBe(299)
		expect(await status('/courses/smartphone/turn-on', {}, 'lng=vi')).toBe(404)
		expect(await status('/courses/smartphone/turn-on?x=1')).toBe(404)
		expect(await status('/courses/smartphone')).toBe(404)
		expect(await status('/courses/smartphone/turn-on', { method: 'HEAD' })).toBe(404)
		expect(await status('/api/quiz', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).toBe(299)
		expect(await status('/api/quiz?x', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).toBe(404)
	})

	test('a quiz post it could not answer is handed on with its body read', async () => {
		const { port, handedOn } = await serve({ lessonPost: async () => null, quizInPlace: async () => null })
		const response = await fetch(`http://127.0.0.1:${port}/api/quiz`, {
			method: 'POST',
			headers: { Cookie: 'hvs_session=x', 'Content-Type': 'application/json' },
			body: '{"lessonId":"x"}',
		})
		expect(response.status).toBe(299)
		expect(handedOn).toEqual([{ url: '/api/quiz', complete: true }])
	})

	test('a post whose phone goes away in the middle of its body is not handed on (nothing would ever read the rest)', async () => {
		let asked = 0
		const { port, handedOn } = await serve({
			lessonPost: async () => null,
			quizInPlace: async () => {
				asked++
				return null
			},
		})
		for (let i = 0; i < 3; i++) {
			const req = quizPost(port, 400)
			req.on('error', () => {})
			req.write('{"lessonId":')
			await new Promise((r) => setTimeout(r, 30))
			req.destroy()
		}
		await new Promise((r) => setTimeout(r, 200))
		expect(handedOn).toEqual([])
		expect(asked).toBe(0)
	})
})
