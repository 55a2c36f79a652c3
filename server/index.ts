// Production HTTP server: remix-serve's setup plus what a public government site needs — an
// origin check on every state-changing request (CSRF), the client IP for rate limits (proxy trust
// counted in hops or addresses, never the spoofable left-most X-Forwarded-For entry), request
// bodies counted as they stream, the security headers on every answer, request logs without query
// strings (no personal data in logs), Prometheus metrics at /metrics (server/metrics.ts), and a
// clean shutdown. WEB_CONCURRENCY=N (PostgreSQL only) runs N worker processes sharing the port,
// restarted if one dies.
//
// TypeScript, compiled by esbuild at build time into build/server.js (`npm run build`, see
// scripts/build-server.ts), and started with plain `node build/server.js`: no TypeScript loader in
// the process, so start-up costs what the old server.js did. Configuration comes from one Zod
// schema (app/utils/env.server.ts), read once here: a bad value stops the start with its name.
import cluster from 'node:cluster'
import fs from 'node:fs'
import path from 'node:path'
import { installGlobals, type ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express'
import { env } from '../app/utils/env.server.ts'
import './load-context.ts'
import { gatherWorkerMetrics, metricsEndpoint, recordRequests } from './metrics.ts'
import { createLearnerCache } from './learner-cache.ts'
import { createRenderCache } from './render-cache.ts'
import { createRemixHandler } from './remix-handler.ts'
import { sendBadRequest, sendServerError } from './responses.ts'
import { completeHeaders, markStaticFile } from './security-headers.ts'

/**
 * The largest body any route takes (a 5 MB import file and its form): a backstop for every request.
 * Each route's own limit, smaller, is applied the same way while it reads (app/utils/forms.server.ts).
 */
export const MAX_BODY_BYTES = 6 * 1024 * 1024

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
		process.once(signal, () => {
			stopping = true
			for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal)
		})
	}
	await new Promise((resolve) => cluster.fork().once('listening', resolve))
	for (let i = 1; i < count; i++) cluster.fork()
}

async function serve() {
	installGlobals({ nativeFetch: true })

	const build: ServerBuild = await import(path.resolve(env.REMIX_BUILD))
	const app = express()
	app.disable('x-powered-by')
	// false, a number of hops or a list of proxy addresses: req.ip is then the right-most address
	// that no trusted proxy wrote (README, "Behind a proxy").
	app.set('trust proxy', env.TRUST_PROXY)
	// Prometheus metrics (ADR 024): the scrape itself first, then every other request counted by route kind.
	app.use(metricsEndpoint(env.METRICS_TOKEN))
	app.use(recordRequests)
	app.use(completeHeaders)
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

	if (env.LOG_REQUESTS) {
		app.use((req, res, next) => {
			const started = process.hrtime.bigint()
			res.on('finish', () => {
				const ms = Number(process.hrtime.bigint() - started) / 1e6
				console.log(`${req.method} ${req.path} ${res.statusCode} ${ms.toFixed(1)} ms`)
			})
			next()
		})
	}

	// Which instance answered, for operators and the scale-out test (no personal data).
	const instance = env.INSTANCE_ID
	if (instance) {
		app.use((_req, res, next) => {
			res.set('X-Instance', instance)
			next()
		})
	}

	const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])
	app.use((req, res, next) => {
		if (SAFE.has(req.method)) return next()
		const origin = req.get('origin')
		const site = req.get('sec-fetch-site')
		// Browsers send Origin on every POST; a mismatch, or a cross-site fetch, is a forged request.
		// Requests without either header do not come from a browser and carry no ambient cookie risk
		// beyond SameSite=Lax, which already keeps cross-site POSTs from sending the session.
		if ((origin && origin !== env.APP_ORIGIN) || site === 'cross-site') {
			res.status(403).type('text/plain; charset=utf-8')
			res.setHeader('Connection', 'close')
			return res.send(
				'Yêu cầu bị từ chối vì không đến từ trang Học Vụ Số. Hãy mở lại trang và thử lại.\n' +
					'Request refused: it did not come from the Học Vụ Số site. Reload the page and try again.\n',
			)
		}
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

	const server = env.HOST ? app.listen(env.PORT, env.HOST, onListen) : app.listen(env.PORT, onListen)
	function onListen() {
		console.log(`Học Vụ Số listening on http://localhost:${env.PORT}`)
	}
	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		// Stop taking requests and drop idle keep-alive connections; requests in flight finish. The
		// database module, on the same signal, lets running transactions commit before it closes the
		// pool, and ends the process.
		process.once(signal, () => {
			server.close()
			server.closeIdleConnections()
		})
	}
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
