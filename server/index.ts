// Production HTTP server: remix-serve's setup plus what a public government site needs — an
// origin check on every state-changing request (CSRF), the client IP for rate limits (proxy trust
// counted in hops or addresses, never the spoofable left-most X-Forwarded-For entry), request
// bodies counted as they stream, the security headers on every answer, request logs without query
// strings (no personal data in logs), Prometheus metrics at /metrics (server/metrics.ts), and a
// graceful shutdown for rolling restarts (`shutDown` below). WEB_CONCURRENCY=N (PostgreSQL only)
// runs N worker processes sharing the port, restarted if one dies.
//
// TypeScript, compiled by esbuild at build time into build/server.js (`npm run build`, see
// scripts/build-server.ts), and started with plain `node build/server.js`: no TypeScript loader in
// the process, so start-up costs what the old server.js did. Configuration comes from one Zod
// schema (app/utils/env.server.ts), read once here: a bad value stops the start with its name.
import cluster from 'node:cluster'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import { installGlobals, type ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express'
import { env } from '../app/utils/env.server.ts'
import { lifecycle } from '../app/utils/lifecycle.server.ts'
import './load-context.ts'
import { gatherWorkerMetrics, metricsEndpoint, recordRequests } from './metrics.ts'
import { pathOf } from './http-utils.ts'
import { createLearnerCache } from './learner-cache.ts'
import { lingerOnEarlyAnswer } from './linger.ts'
import { createRenderCache } from './render-cache.ts'
import { createRemixHandler } from './remix-handler.ts'
import { sendBadRequest, sendOtherSite, sendServerError } from './responses.ts'
import { completeHeaders, markStaticFile } from './security-headers.ts'

/**
 * The largest body any route takes (a 5 MB import file and its form): a backstop for every request.
 * Each route's own limit, smaller, is applied the same way while it reads (app/utils/forms.server.ts).
 */
export const MAX_BODY_BYTES = 6 * 1024 * 1024

/**
 * How long an idle keep-alive connection stays open (Node's default, made explicit). A proxy that
 * reuses connections must give up on idle ones sooner (docs/deploy/nginx.conf: `keepalive_timeout
 * 4s`): then it is always the proxy that closes an idle connection, and it never sends a request on
 * one the server is closing at that instant — a POST lost that way would be a 502 nginx may not retry.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000

if (cluster.isPrimary && env.WEB_CONCURRENCY > 1) await primary(env.WEB_CONCURRENCY)
else await serve()

/** Forks the workers: the first applies pending migrations and mirrors the catalogue, then the rest start. */
async function primary(count: number) {
	if (!/^postgres/.test(env.DATABASE_URL ?? '')) {
		console.error('WEB_CONCURRENCY > 1 needs PostgreSQL (DATABASE_URL=postgres://…): only one process may open a PGlite folder.')
		process.exit(1)
	}
	gatherWorkerMetrics()
	let stopping = false
	const listening = new Set<number>()
	cluster.on('listening', (worker) => listening.add(worker.id))
	cluster.on('exit', (worker, code, signal) => {
		if (stopping) {
			if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0)
			return
		}
		// A worker that never served is a configuration or start-up error: restarting will not help.
		if (!listening.has(worker.id)) process.exit(code || 1)
		console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`)
		cluster.fork()
	})
	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		process.on(signal, () => {
			if (stopping) return
			stopping = true
			// Each worker drains its own requests and closes its pool (shutDown below), then exits;
			// SIGTERM even for Ctrl-C, which the workers in the terminal's process group also receive.
			for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM')
			// A worker that does not end by itself after its drain is ended, and so is the primary.
			setTimeout(
				() => {
					for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL')
					process.exit(1)
				},
				(env.DRAIN_DELAY_SECONDS + env.DRAIN_TIMEOUT_SECONDS + 15) * 1000,
			).unref()
		})
	}
	await new Promise((resolve) => cluster.fork().once('listening', resolve))
	for (let i = 1; i < count; i++) cluster.fork()
}

async function serve() {
	installGlobals({ nativeFetch: true })
	// This process drains its requests before the database closes (shutDown): set before the app,
	// and with it the database module, is loaded.
	lifecycle.serverDrains = true

	const build: ServerBuild = await import(path.resolve(env.REMIX_BUILD))
	const app = express()
	app.disable('x-powered-by')
	// false, a number of hops or a list of proxy addresses: req.ip is then the right-most address
	// that no trusted proxy wrote (README, "Behind a proxy").
	app.set('trust proxy', env.TRUST_PROXY)
	// Prometheus metrics (ADR 024): the scrape itself first, then every other request counted by route kind.
	app.use(metricsEndpoint(env.METRICS_TOKEN))
	app.use(unlessFront(recordRequests))
	app.use(unlessFront(completeHeaders))
	app.use(compression())
	// Only hashed build files are immutable. The rest of build/client (copied from public/: page
	// scripts, icons, the manifest) keeps its name across deploys, and the service worker must be
	// revalidated on every check or phones would keep an old one.
	app.use(
		path.posix.join(build.publicPath, 'assets'),
		express.static(path.join(build.assetsBuildDirectory, 'assets'), { immutable: true, maxAge: '1y', setHeaders: markStaticFile }),
	)
	app.use(
		build.publicPath,
		onlyUnder(
			build.assetsBuildDirectory,
			express.static(build.assetsBuildDirectory, {
				maxAge: '1h',
				setHeaders(res, file) {
					markStaticFile(res)
					if (path.basename(file) === 'sw.js') res.setHeader('Cache-Control', 'no-cache')
				},
			}),
		),
	)
	app.use(onlyUnder('public', express.static('public', { maxAge: '1h', setHeaders: markStaticFile })))

	if (env.LOG_REQUESTS) app.use(unlessFront(logRequest))
	// Which instance answered, for operators and the scale-out test (no personal data).
	const instance = env.INSTANCE_ID
	const tagInstance = (_req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => {
		if (instance) res.setHeader('X-Instance', instance)
		next()
	}
	if (instance) app.use(unlessFront(tagInstance))

	const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])
	app.use((req, res, next) => {
		if (SAFE.has(req.method)) return next()
		if (forgedOrigin(req)) return sendOtherSite(req, res)
		next()
	})

	// Visitors' catalogue, course and lesson pages, rendered once per build, path and language
	// (render-cache.ts). Production only: in development lessons are recompiled on request.
	const renderCache = createRenderCache({ version: build.assets.version, enabled: env.NODE_ENV === 'production' && env.RENDER_CACHE })
	app.use(renderCache.middleware)
	// Signed-in residents' lesson pages, rendered once per variant and filled per learner (learner-cache.ts).
	const learnerCache = createLearnerCache({
		build,
		mode: env.NODE_ENV,
		origin: env.APP_ORIGIN,
		version: build.assets.version,
		enabled: env.NODE_ENV === 'production' && env.LEARNER_CACHE,
	})
	// Its pages `front` (below) found no stored render for.
	app.use(learnerCache.middleware)

	app.all(
		'*',
		createRemixHandler({
			build,
			mode: env.NODE_ENV,
			origin: env.APP_ORIGIN,
			maxBodyBytes: MAX_BODY_BYTES,
			getLoadContext: (req, res) => ({ clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown', renderTokens: res.locals.renderTokens }),
		}),
	)
	// What Remix could not answer itself (its handler failed before a response): logged by path only.
	// A client error Express raised itself (e.g. `/%E0%A4%A`, a path that is not valid percent-encoding)
	// is a 400, never a 500.
	app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
		const status = (error as { status?: unknown } | null)?.status
		if (typeof status === 'number' && status >= 400 && status < 500) return sendBadRequest(req, res)
		console.error(`Error on ${req.path}:`, error)
		sendServerError(req, res)
	})

	// A signed-in learner's lesson page and quiz post are answered before Express when they can be
	// (learner-cache.ts `front`), with what Express's first middlewares give every answer: metrics,
	// security headers, the request log, the instance header, and the origin check for a post.
	// Express then sees only what `front` hands on (and skips those middlewares for it).
	const server = http.createServer((req, res) => {
		if (!learnerCache.takes(req) || (req.method === 'POST' && forgedOrigin(req))) return void app(req, res)
		fronted.add(req)
		recordRequests(req, res, noop)
		completeHeaders(req, res, noop)
		if (env.LOG_REQUESTS) logRequest(req, res, noop)
		tagInstance(req, res, noop)
		void learnerCache.front(req, res, () => app(req, res))
	})
	if (env.HOST) server.listen(env.PORT, env.HOST, onListen)
	else server.listen(env.PORT, onListen)
	server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS
	lingerOnEarlyAnswer(server)
	function onListen() {
		console.log(`Học Vụ Số listening on http://localhost:${env.PORT}`)
	}
	// The answers not finished yet, so a shutdown can tell them to close their connection after.
	const running = new Set<http.ServerResponse>()
	server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
		if (lifecycle.draining) res.setHeader('Connection', 'close')
		running.add(res)
		res.once('close', () => running.delete(res))
	})
	for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutDown(server, running, signal))
}

/**
 * A graceful stop, for restarts and rolling deploys (README, "Rolling restart"; ADR 029):
 * 1. At once the healthcheck answers 503 "draining" (/resources/livez stays 200), and every answer
 *    from now on carries `Connection: close`.
 * 2. After DRAIN_DELAY_SECONDS (0 by default; for load balancers that poll the healthcheck), no new
 *    connection is accepted: nginx gets "connection refused", which it may retry on another
 *    instance for any request, POSTs included, since nothing was sent.
 * 3. Connections already open are not dropped: a request in flight, or one a proxy is sending on
 *    a kept-alive connection at this very moment, is answered in full — the database is still open
 *    — and the connection closed after it. Idle connections end when the proxy lets them go (its
 *    keep-alive timeout is shorter than ours) or at ours.
 * 4. When the last connection has closed, or after DRAIN_TIMEOUT_SECONDS (what still runs is cut
 *    and the count logged), the database closes (running transactions commit first) and the
 *    process ends: 0 after SIGTERM, 130 after SIGINT.
 * A second signal changes nothing (Ctrl-C in a terminal also reaches cluster workers, which their
 * primary sends SIGTERM too).
 */
async function shutDown(server: http.Server, running: Set<http.ServerResponse>, signal: NodeJS.Signals) {
	if (lifecycle.draining) return
	lifecycle.draining = true
	const started = Date.now()
	console.log(
		`${signal}: draining — ${running.size} request(s) in flight; no new connections ${env.DRAIN_DELAY_SECONDS ? `after ${env.DRAIN_DELAY_SECONDS} s` : 'from now'}, at most ${env.DRAIN_TIMEOUT_SECONDS} s`,
	)
	for (const res of running) if (!res.headersSent) res.setHeader('Connection', 'close')
	if (env.DRAIN_DELAY_SECONDS) await new Promise((r) => setTimeout(r, env.DRAIN_DELAY_SECONDS * 1000))
	// net.Server's close, not http.Server's: that one also drops idle keep-alive connections at once,
	// and a request nginx is writing on one of them right now would be lost.
	const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()))
	let timer: NodeJS.Timeout | undefined
	const timedOut = await Promise.race([
		closed.then(() => false),
		new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), env.DRAIN_TIMEOUT_SECONDS * 1000))),
	])
	clearTimeout(timer)
	if (timedOut) {
		console.error(`drain timeout (${env.DRAIN_TIMEOUT_SECONDS} s): ${running.size} request(s) still running are cut`)
		server.closeAllConnections()
	}
	await lifecycle.closeDatabase?.()
	console.log(`stopped in ${Date.now() - started} ms${timedOut ? '' : ', every request answered'}`)
	process.exit(signal === 'SIGINT' ? 130 : 0)
}

/** Requests the server answered, or began to, before Express (learner-cache.ts `front`). */
const fronted = new WeakSet<http.IncomingMessage>()
const noop = () => {}

/** An Express middleware that `front` already applied to the requests it took. */
function unlessFront(middleware: (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void): RequestHandler {
	return (req, res, next) => (fronted.has(req) ? next() : middleware(req, res, next))
}

/**
 * A POST that says it comes from another site. Browsers send Origin on every POST; a mismatch, or
 * a cross-site fetch, is a forged request. Requests without either header do not come from a
 * browser and carry no ambient cookie risk beyond SameSite=Lax, which already keeps cross-site
 * POSTs from sending the session.
 */
function forgedOrigin(req: http.IncomingMessage) {
	const origin = req.headers.origin
	return Boolean(origin && origin !== env.APP_ORIGIN) || req.headers['sec-fetch-site'] === 'cross-site'
}

/** LOG_REQUESTS: method, path, status and time of every answer (no query string, no personal data). */
function logRequest(req: http.IncomingMessage, res: http.ServerResponse, next: () => void) {
	const started = process.hrtime.bigint()
	const path = pathOf(req)
	res.on('finish', () => {
		const ms = Number(process.hrtime.bigint() - started) / 1e6
		console.log(`${req.method} ${path} ${res.statusCode} ${ms.toFixed(1)} ms`)
	})
	next()
}

/**
 * Runs a static-file middleware only for paths whose first segment exists in its folder (read once:
 * build output does not change while the server runs). Pages (/courses/…) skip it, and with it a
 * failed file lookup per folder and request — system calls are dear on these machines (ADR 011).
 */
function onlyUnder(folder: string, middleware: RequestHandler): RequestHandler {
	let names: Set<string>
	try {
		names = new Set(fs.readdirSync(folder))
	} catch {
		names = new Set()
	}
	return (req, res, next) => {
		const first = req.path.split('/')[1] ?? ''
		let name = first
		try {
			name = decodeURIComponent(first)
		} catch {}
		return names.has(name) ? middleware(req, res, next) : next()
	}
}
