import cluster from 'node:cluster'
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { NextFunction, Request, Response } from 'express'
import client from 'prom-client'
import { metrics } from '../app/utils/metrics.server.ts'
import { pathOf } from './http-utils.ts'

/** Where Prometheus reads the metrics (README, "Metrics"; ADR 024). */
export const METRICS_PATH = '/metrics'

export type RouteKind = 'learner' | 'staff' | 'province' | 'api' | 'sync' | 'asset' | 'other'

/** First path segments of the pages residents see (app/routes: courses+, me+, _auth+, …). */
const LEARNER = new Set([
	'',
	'courses',
	'me',
	'certificates',
	'verify',
	'login',
	'logout',
	'register',
	'setup',
	'forgot-pin',
	'auth',
	'offline',
	'privacy',
	'narrate',
])

/**
 * The kind of a request's route, from its path alone: a handful of fixed words, so the metrics never
 * hold a URL, an id or a person and their number stays small whatever paths are requested.
 */
export function routeKind(pathname: string): RouteKind {
	const segments = pathname.split('/')
	const first = segments[1] ?? ''
	if (first === 'api') return segments[2] === 'sync' ? 'sync' : 'api'
	if (first === '.well-known' || first === 'credentials') return 'api'
	// A certificate's credential (JSON for wallets) is an API answer; the certificate page is a page.
	if (first === 'certificates' && segments[3] === 'credential') return 'api'
	if (first === 'staff') return 'staff'
	if (first === 'province') return 'province'
	if (first === 'assets' || /\.[a-z0-9]{1,12}$/i.test(pathname)) return 'asset'
	if (LEARNER.has(first)) return 'learner'
	return 'other'
}

const METHODS = new Set(['GET', 'POST', 'HEAD'])

/**
 * Counts and times every answer (static files, cached pages and Remix alike), by route kind: as
 * Express middleware, and called directly for what the server answers before Express (server/index.ts).
 */
export function recordRequests(req: IncomingMessage, res: ServerResponse, next: () => void) {
	const started = process.hrtime.bigint()
	// Read now: a middleware mounted on a path (the /assets static files) rewrites req.url.
	const kind = routeKind((req as Partial<Request>).path ?? pathOf(req))
	res.once('finish', () => {
		const seconds = Number(process.hrtime.bigint() - started) / 1e9
		const method = req.method && METHODS.has(req.method) ? req.method : 'OTHER'
		metrics.httpRequests.inc({ kind, method, status: `${Math.floor(res.statusCode / 100)}xx` })
		metrics.httpDuration.observe({ kind, method }, seconds)
	})
	next()
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/
const FORWARDED = ['forwarded', 'x-forwarded-for', 'x-real-ip']

/**
 * GET /metrics. Without METRICS_TOKEN: answered only for a request made directly on the machine
 * (loopback, and not passed on by a proxy — nginx on the same host connects from 127.0.0.1 too, but
 * says whom it forwards). With METRICS_TOKEN: answered only for a request carrying it as a Bearer
 * token, from anywhere. Anyone else gets the site's plain 404: the endpoint is not advertised.
 */
export function metricsEndpoint(token: string | undefined) {
	const expected = token ? Buffer.from(`Bearer ${token}`) : undefined
	return async (req: Request, res: Response, next: NextFunction) => {
		if (req.path !== METRICS_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) return next()
		if (!allowed(req, expected)) return next()
		try {
			const body = await collect()
			// Set as is: Express's res.set would rewrite the exposition format's content type.
			res.statusCode = 200
			res.setHeader('Content-Type', metrics.register.contentType)
			res.setHeader('Cache-Control', 'no-store')
			res.end(req.method === 'HEAD' ? undefined : body)
		} catch (error) {
			next(error)
		}
	}
}

function allowed(req: Request, expected: Buffer | undefined): boolean {
	if (expected) {
		const sent = Buffer.from(req.get('authorization') ?? '')
		return sent.length === expected.length && timingSafeEqual(sent, expected)
	}
	return LOOPBACK.test(req.socket.remoteAddress ?? '') && !FORWARDED.some((name) => req.headers[name] !== undefined)
}

const ASK = 'hvs:metrics'
let asked = 0
const waiting = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>()

/**
 * This process's metrics, or with WEB_CONCURRENCY > 1 every worker's added together (counters and
 * histograms summed, so a scrape of any worker sees the whole instance): the worker asks the
 * primary, which gathers them from all workers (prom-client's AggregatorRegistry).
 */
function collect(): Promise<string> {
	if (!cluster.isWorker || !process.send) return metrics.register.metrics()
	return new Promise((resolve, reject) => {
		const id = ++asked
		const timer = setTimeout(() => {
			waiting.delete(id)
			reject(new Error('the primary process did not send the metrics'))
		}, 6_000)
		waiting.set(id, {
			resolve: (text) => (clearTimeout(timer), resolve(text)),
			reject: (error) => (clearTimeout(timer), reject(error)),
		})
		process.send!({ type: ASK, id })
	})
}

if (cluster.isWorker) {
	// Constructed for its side effect: the worker answers the primary's requests for its metrics.
	new client.AggregatorRegistry()
	client.AggregatorRegistry.setRegistries(metrics.register)
	process.on('message', (message: { type?: string; id?: number; text?: string; error?: string }) => {
		if (message?.type !== ASK || typeof message.id !== 'number') return
		const pending = waiting.get(message.id)
		waiting.delete(message.id)
		if (message.error !== undefined) pending?.reject(new Error(message.error))
		else pending?.resolve(message.text ?? '')
	})
}

/** In the primary (WEB_CONCURRENCY > 1): answers a worker's request for every worker's metrics. */
export function gatherWorkerMetrics() {
	const aggregator = new client.AggregatorRegistry()
	cluster.on('message', (worker, message: { type?: string; id?: number }) => {
		if (message?.type !== ASK) return
		aggregator.clusterMetrics().then(
			(text) => worker.isConnected() && worker.send({ type: ASK, id: message.id, text }),
			(error: Error) => worker.isConnected() && worker.send({ type: ASK, id: message.id, error: error.message }),
		)
	})
}
