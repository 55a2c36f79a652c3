import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, test } from 'vitest'
import { paced, type WriteRequest } from './paced.ts'

const servers: http.Server[] = []
afterEach(async () => {
	await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

/** A server answering each post after `delayMs`, one at a time per connection; counts what it received. */
async function server(delayMs: number) {
	const received: string[] = []
	const arrivals: number[] = []
	const sockets = new Set<unknown>()
	const s = http.createServer((req, res) => {
		sockets.add(req.socket)
		let body = ''
		req.on('data', (d: Buffer) => (body += d.toString()))
		req.on('end', () => {
			received.push(body)
			arrivals.push(performance.now())
			setTimeout(() => res.end(JSON.stringify({ recorded: true, n: received.length })), delayMs)
		})
	})
	servers.push(s)
	await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
	return { origin: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, received, arrivals, sockets }
}

function writes() {
	let n = 0
	const answers: { status: number; body: string; n: unknown; late: unknown }[] = []
	const request: WriteRequest = {
		setupRequest: (_req, context) => {
			context.n = ++n
			return { method: 'POST', path: '/api/quiz', body: JSON.stringify({ n }), headers: { 'content-type': 'application/json' } }
		},
		onResponse: (status, body, context) => void answers.push({ status, body, n: context.n, late: context.late }),
	}
	return { request, answers }
}

describe('paced writes (the mixed phase of bench:load)', () => {
	test('a server that keeps up gets the writes at the rate asked, each once, each answer handed back with its own context', async () => {
		const { origin, received, arrivals, sockets } = await server(2)
		const { request, answers } = writes()
		const t0 = performance.now()
		const result = await paced({ origin, connections: 4, duration: 1, rate: 200, request })
		// Steady, never ahead of time: the i-th write to arrive came no sooner than i × 5 ms (a burst at
		// the start of the second, as autocannon's own rate limit sends, fails here), and the first
		// half-second brought about half of them, not all and not none.
		expect(arrivals.every((at, i) => at - t0 >= i * 5)).toBe(true)
		const firstHalf = arrivals.filter((at) => at - t0 < 500).length
		expect(firstHalf).toBeGreaterThanOrEqual(60)
		expect(firstHalf).toBeLessThanOrEqual(100)
		// 200 due in one second (the last at 995 ms): none more, none fewer.
		expect(received).toHaveLength(200)
		expect(new Set(received).size).toBe(200)
		expect(answers).toHaveLength(200)
		expect(answers.every((a) => a.status === 200 && a.body.includes('"recorded":true') && received.includes(JSON.stringify({ n: a.n })))).toBe(true)
		// Answered within the second: all but the last few, on a machine that is not busy.
		expect(result.requests.total).toBeGreaterThanOrEqual(150)
		expect(result.errors + result.non2xx).toBe(0)
		// Kept-alive connections, at most as many as allowed.
		expect(sockets.size).toBeLessThanOrEqual(4)
		expect(result.latency.p50).toBeLessThan(250)
	})

	test('a server that falls behind shows it in the latency from when each write was due, not in fewer writes offered', async () => {
		// Two connections and 50 ms per answer carry at most 40 writes a second: 100 are asked for.
		const { origin, received } = await server(50)
		const { request, answers } = writes()
		const result = await paced({ origin, connections: 2, duration: 1, rate: 100, request })
		// Every write offered is sent (after the second, the queued ones too) and answered.
		expect(received).toHaveLength(100)
		expect(answers).toHaveLength(100)
		// Done within the second: what two connections carry, not the 100 offered; the others are
		// handed back marked late (a write is acknowledged all the same).
		expect(result.requests.total).toBeLessThanOrEqual(45)
		expect(answers.filter((a) => a.late === true)).toHaveLength(100 - result.requests.total)
		// The last writes waited for a connection for most of the second: a closed loop would show ~50 ms.
		expect(result.latency.p99).toBeGreaterThan(1000)
	})
})
