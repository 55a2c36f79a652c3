import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createDatabase, dropDatabase, type Instance, startInstance } from './harness.ts'

// The built server's Prometheus endpoint (#19 item 5, ADR 024): requests counted by route kind,
// the database pool and the process reported, and /metrics refused to anyone but the machine
// itself (or, with METRICS_TOKEN, to whoever sends it).
const db = 'hvs_system_metrics'
const PORT = 3112
let TOKEN_PORT = 0
const TOKEN = 'metrics-test-token-0123456789abcdef'
let open: Instance
let guarded: Instance
let workers: Instance
let WORKERS_PORT = 0

beforeAll(async () => {
	const url = await createDatabase(db)
	TOKEN_PORT = await freePort()
	WORKERS_PORT = await freePort()
	;[open, guarded, workers] = await Promise.all([
		startInstance({ port: PORT, databaseUrl: url, id: 'metrics-open' }),
		startInstance({ port: TOKEN_PORT, databaseUrl: url, id: 'metrics-token', env: { METRICS_TOKEN: TOKEN } }),
		startInstance({ port: WORKERS_PORT, databaseUrl: url, id: 'metrics-workers', env: { WEB_CONCURRENCY: '2' } }),
	])
}, 60_000)

afterAll(async () => {
	await Promise.all([open?.stop(), guarded?.stop(), workers?.stop()])
	await dropDatabase(db)
})

function freePort() {
	return new Promise<number>((resolve) => {
		const server = net.createServer().listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo
			server.close(() => resolve(port))
		})
	})
}

/** One sample's value from the text format (0 when the series is absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}) {
	const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`)
	for (const line of text.split('\n')) {
		if (line.startsWith('#')) continue
		const match = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line)
		if (!match || match[1] !== name) continue
		const have = (match[2] ?? '').split(',')
		if (wanted.every((w) => have.includes(w))) return Number(match[3])
	}
	return 0
}

async function scrape(port = PORT, headers: Record<string, string> = {}) {
	const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers })
	expect(response.status).toBe(200)
	expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
	return response.text()
}

/** A hashed build file, served by the /assets static middleware. */
const assetName = fs.readdirSync('build/client/assets').find((name) => name.endsWith('.js'))
const base = `http://127.0.0.1:${PORT}`
const get = (path: string, init: RequestInit = {}) => fetch(base + path, { redirect: 'manual', ...init }).then(async (r) => (await r.arrayBuffer(), r.status))

describe('GET /metrics', () => {
	test('counts and times each request under its route kind, never its path', async () => {
		const before = await scrape()
		const statuses = {
			learner: [await get('/courses'), await get('/login')],
			staff: [await get('/staff/residents/some-id-123')],
			province: [await get('/province')],
			api: [await get('/api/v1/indicators')],
			sync: [await get('/api/sync', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"events":[]}' })],
			asset: [await get('/manifest.webmanifest'), await get(`/assets/${assetName}`)],
			other: [await get('/no-such-page-xyz')],
		}
		expect(statuses.learner).toEqual([200, 200])
		expect(statuses.other).toEqual([404])
		const after = await scrape()
		const counted = (kind: string, status?: string) =>
			sample(after, 'hvs_http_requests_total', { kind, ...(status && { status }) }) -
			sample(before, 'hvs_http_requests_total', { kind, ...(status && { status }) })
		const total = (kind: string) => ['2xx', '3xx', '4xx', '5xx'].reduce((sum, status) => sum + counted(kind, status), 0)
		expect(total('learner')).toBe(2)
		expect(counted('learner', '2xx')).toBe(2)
		for (const kind of ['staff', 'province', 'api', 'sync']) expect(total(kind), kind).toBe(1)
		expect(statuses.asset).toEqual([200, 200])
		expect(counted('asset', '2xx')).toBe(2)
		expect(counted('other', '4xx')).toBe(1)
		expect(counted('staff', '5xx') + counted('api', '5xx') + counted('sync', '5xx')).toBe(0)
		// The duration histogram moved with the counter.
		const timed = sample(after, 'hvs_http_request_duration_seconds_count', { kind: 'learner', method: 'GET' })
		expect(timed - sample(before, 'hvs_http_request_duration_seconds_count', { kind: 'learner', method: 'GET' })).toBe(2)
		// Low cardinality: no path or id reaches a label.
		expect(after).not.toMatch(/some-id-123|no-such-page|\/courses|\/staff\//)
	})

	test('reports the database pool, its waits and the process', async () => {
		const text = await scrape()
		expect(sample(text, 'hvs_db_pool_max', { pool: 'primary' })).toBeGreaterThan(0)
		expect(sample(text, 'hvs_db_pool_connections', { pool: 'primary' })).toBeGreaterThan(0)
		expect(text).toMatch(/^hvs_db_pool_waiting\{pool="primary"\} \d+$/m)
		expect(sample(text, 'hvs_db_pool_wait_seconds_count', { pool: 'primary' })).toBeGreaterThan(0)
		expect(text).toMatch(/^hvs_db_transactions_in_flight\{engine="postgres"\} \d+$/m)
		expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(10_000_000)
		expect(text).toMatch(/^# TYPE hvs_sync_events_total counter$/m)
		expect(text).toMatch(/^# TYPE hvs_import_jobs_total counter$/m)
	})

	test('is refused (the plain 404) to a request a proxy forwarded', async () => {
		for (const header of ['X-Forwarded-For', 'X-Real-IP', 'Forwarded']) {
			const value = header === 'Forwarded' ? 'for=203.0.113.7' : '203.0.113.7'
			const response = await fetch(`${base}/metrics`, { headers: { [header]: value } })
			expect(response.status, header).toBe(404)
			expect(await response.text()).not.toMatch(/hvs_|process_/)
		}
	})

	test('is refused to a request from another address', async (ctx) => {
		const address = Object.values(os.networkInterfaces())
			.flat()
			.find((a) => a && a.family === 'IPv4' && !a.internal)?.address
		if (!address) return ctx.skip()
		const status = await new Promise<number>((resolve, reject) => {
			http
				.get({ host: address, port: PORT, path: '/metrics', localAddress: address }, (res) => {
					res.resume()
					resolve(res.statusCode!)
				})
				.on('error', reject)
		})
		expect(status).toBe(404)
	})

	test('with METRICS_TOKEN, only a request carrying it as a Bearer token is answered', async () => {
		const at = (headers: Record<string, string>) => fetch(`http://127.0.0.1:${TOKEN_PORT}/metrics`, { headers }).then((r) => r.status)
		expect(await at({})).toBe(404)
		expect(await at({ Authorization: `Bearer ${TOKEN}x` })).toBe(404)
		expect(await at({ Authorization: `Bearer ${TOKEN.slice(0, -1)}X` })).toBe(404)
		expect(await at({ Authorization: TOKEN })).toBe(404)
		const text = await scrape(TOKEN_PORT, { Authorization: `Bearer ${TOKEN}` })
		expect(text).toMatch(/^hvs_http_requests_total\{/m)
	})

	test('with WEB_CONCURRENCY=2, any worker answers with both workers added together', async () => {
		const at = `http://127.0.0.1:${WORKERS_PORT}`
		const learnerPages = (text: string) => sample(text, 'hvs_http_requests_total', { kind: 'learner', status: '2xx' })
		const before = learnerPages(await scrape(WORKERS_PORT))
		for (let i = 0; i < 8; i++) {
			const response = await fetch(`${at}/courses`, { headers: { Connection: 'close' } })
			expect(response.status).toBe(200)
			await response.arrayBuffer()
		}
		// Each scrape lands on either worker; every one sees all eight requests.
		for (let i = 0; i < 4; i++) {
			const text = await scrape(WORKERS_PORT)
			expect(learnerPages(text) - before).toBe(8)
		}
		// Two pools of DATABASE_POOL_SIZE (10) each.
		expect(sample(await scrape(WORKERS_PORT), 'hvs_db_pool_max', { pool: 'primary' })).toBe(20)
	})
})
