import { type AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { parseEnv } from '#app/utils/env.server.ts'

// The client address behind proxies, as server/index.ts sets it up (`trust proxy` from
// TRUST_PROXY): the right-most X-Forwarded-For entry that no trusted proxy wrote. A client may put
// anything at the left of the header; nginx (`$proxy_add_x_forwarded_for`) appends the address it
// saw, so spoofed entries must never become the rate-limit key.
const servers: { close(): void }[] = []
afterAll(() => servers.forEach((s) => s.close()))

async function serverWith(TRUST_PROXY: string) {
	const app = express()
	app.set('trust proxy', parseEnv({ TRUST_PROXY }).TRUST_PROXY)
	app.get('/', (req, res) => res.send(req.ip))
	const server = app.listen(0, '127.0.0.1')
	servers.push(server)
	await new Promise((r) => server.once('listening', r))
	return async (forwardedFor?: string) => {
		const headers: Record<string, string> = forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {}
		return (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers })).text()
	}
}

let oneProxy: Awaited<ReturnType<typeof serverWith>>
beforeAll(async () => {
	oneProxy = await serverWith('1')
})

test('TRUST_PROXY=1: the address the proxy appended, whatever the client wrote before it', async () => {
	expect(await oneProxy('198.51.100.7')).toBe('198.51.100.7')
	expect(await oneProxy('1.1.1.1, 198.51.100.7')).toBe('198.51.100.7')
	expect(await oneProxy('10.0.0.1, 2.2.2.2, 198.51.100.7')).toBe('198.51.100.7')
	const keys = new Set(await Promise.all(Array.from({ length: 20 }, (_, i) => oneProxy(`203.0.113.${i}, 198.51.100.7`))))
	expect([...keys]).toEqual(['198.51.100.7'])
})

test('TRUST_PROXY=2 (a CDN in front of nginx): the entry before the last', async () => {
	const twoProxies = await serverWith('2')
	expect(await twoProxies('1.1.1.1, 198.51.100.7, 10.0.0.5')).toBe('198.51.100.7')
	expect(await twoProxies('6.6.6.6, 7.7.7.7, 198.51.100.7, 10.0.0.5')).toBe('198.51.100.7')
})

test('a list of proxy addresses: trusted entries are skipped from the right, the first other one is the client', async () => {
	const listed = await serverWith('127.0.0.1, 10.0.0.0/8')
	expect(await listed('6.6.6.6, 198.51.100.7, 10.1.2.3, 10.0.0.5')).toBe('198.51.100.7')
	expect(await listed('6.6.6.6, 198.51.100.7')).toBe('198.51.100.7')
})

test('without TRUST_PROXY the header is ignored', async () => {
	const none = await serverWith('')
	expect(await none('198.51.100.7')).toBe('127.0.0.1')
})
