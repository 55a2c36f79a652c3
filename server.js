// Production HTTP server: remix-serve's setup plus what a public government site needs — an
// origin check on every state-changing request (CSRF), the client IP for rate limits, request
// logs without query strings (no personal data in logs), and a clean shutdown. WEB_CONCURRENCY=N
// (PostgreSQL only) runs N worker processes sharing the port, restarted if one dies.
import cluster from 'node:cluster'
import fs from 'node:fs'
import path from 'node:path'
import { createRequestHandler } from '@remix-run/express'
import { installGlobals } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import { createRenderCache } from './render-cache.js'

const workers = Number(process.env.WEB_CONCURRENCY ?? 1)
if (cluster.isPrimary && workers > 1) await primary(workers)
else await serve()

/** Forks the workers: the first applies pending migrations and mirrors the catalogue, then the rest start. */
async function primary(count) {
	if (!/^postgres/.test(process.env.DATABASE_URL ?? '')) {
		console.error('WEB_CONCURRENCY > 1 needs PostgreSQL (DATABASE_URL=postgres://…): only one process may open a PGlite folder.')
		process.exit(1)
	}
	let stopping = false
	const listening = new Set()
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
	for (const signal of ['SIGTERM', 'SIGINT']) {
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

	const buildPath = path.resolve(process.env.REMIX_BUILD ?? 'build/server/index.js')
	const build = await import(buildPath)
	const port = Number(process.env.PORT ?? 3000)
	const app = express()
	app.disable('x-powered-by')
	if (process.env.TRUST_PROXY === '1') app.set('trust proxy', true)
	app.use(compression())
	// Only hashed build files are immutable. The rest of build/client (copied from public/: page
	// scripts, icons, the manifest) keeps its name across deploys, and the service worker must be
	// revalidated on every check or phones would keep an old one.
	app.use(path.posix.join(build.publicPath, 'assets'), express.static(path.join(build.assetsBuildDirectory, 'assets'), { immutable: true, maxAge: '1y' }))
	app.use(
		build.publicPath,
		onlyUnder(
			build.assetsBuildDirectory,
			express.static(build.assetsBuildDirectory, {
				maxAge: '1h',
				setHeaders(res, file) {
					if (path.basename(file) === 'sw.js') res.setHeader('Cache-Control', 'no-cache')
				},
			}),
		),
	)
	app.use(onlyUnder('public', express.static('public', { maxAge: '1h' })))

	if (process.env.LOG_REQUESTS !== '0') {
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
	if (process.env.INSTANCE_ID) {
		app.use((_req, res, next) => {
			res.set('X-Instance', process.env.INSTANCE_ID)
			next()
		})
	}

	const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])
	app.use((req, res, next) => {
		if (SAFE.has(req.method)) return next()
		const own = process.env.APP_ORIGIN ?? `${req.protocol}://${req.get('host')}`
		const origin = req.get('origin')
		const site = req.get('sec-fetch-site')
		// Browsers send Origin on every POST; a mismatch, or a cross-site fetch, is a forged request.
		// Requests without either header do not come from a browser and carry no ambient cookie risk
		// beyond SameSite=Lax, which already keeps cross-site POSTs from sending the session.
		if ((origin && origin !== own) || site === 'cross-site') {
			res.status(403).type('text/plain; charset=utf-8')
			return res.send(
				'Yêu cầu bị từ chối vì không đến từ trang Học Vụ Số. Hãy mở lại trang và thử lại.\n' +
					'Request refused: it did not come from the Học Vụ Số site. Reload the page and try again.\n',
			)
		}
		next()
	})

	// Visitors' catalogue, course and lesson pages, rendered once per build, path and language
	// (render-cache.js). Production only: in development lessons are recompiled on request.
	const renderCache = createRenderCache({ version: build.assets.version, enabled: process.env.NODE_ENV === 'production' && process.env.RENDER_CACHE !== '0' })
	app.use(renderCache.middleware)

	app.all(
		'*',
		createRequestHandler({
			build,
			mode: process.env.NODE_ENV,
			getLoadContext: (req, res) => ({ clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown', renderTokens: res.locals.renderTokens }),
		}),
	)

	const server = process.env.HOST ? app.listen(port, process.env.HOST, onListen) : app.listen(port, onListen)
	function onListen() {
		console.log(`Học Vụ Số listening on http://localhost:${port}`)
	}
	for (const signal of ['SIGTERM', 'SIGINT']) {
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
function onlyUnder(folder, middleware) {
	let names
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
