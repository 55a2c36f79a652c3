import fs from 'node:fs'
import client from 'prom-client'

// Prometheus metrics for operators (issue #19, ADR 024), read at GET /metrics (server/metrics.ts).
// The HTTP server (build/server.js) and the Remix build (build/server/index.js) each bundle their
// own copy of this file; both must count into one registry, so it lives on globalThis. Labels are
// a few fixed words, never a URL, an id or a person.

/** What the database layer tells the metrics at scrape time (app/utils/db.server.ts). */
export interface DatabaseGauges {
	engine: 'pglite' | 'postgres'
	/** Transactions running or waiting to start (both engines). */
	transactions: number
	/** PostgreSQL pools by name (primary, replica); PGlite has one connection and none. */
	pools: { name: string; max: number; total: number; idle: number; waiting: number }[]
	/** The embedded database's folder, for the free disk space beside it. */
	dataDir?: string
}

function create() {
	const register = new client.Registry()
	client.collectDefaultMetrics({ register })
	let database: (() => DatabaseGauges) | undefined

	const httpRequests = new client.Counter({
		name: 'hvs_http_requests_total',
		help: 'HTTP requests answered, by route kind, method and status class.',
		labelNames: ['kind', 'method', 'status'] as const,
		registers: [register],
	})
	const httpDuration = new client.Histogram({
		name: 'hvs_http_request_duration_seconds',
		help: 'Time from the request reaching the server to the last byte of the answer, by route kind.',
		labelNames: ['kind', 'method'] as const,
		buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
		registers: [register],
	})
	const syncEvents = new client.Counter({
		name: 'hvs_sync_events_total',
		help: 'Offline learning events sent by phones: accepted (new), replayed (sent before, first answer returned), refused (final), kept (another person signed in; sent again later).',
		labelNames: ['outcome'] as const,
		registers: [register],
	})
	const importJobs = new client.Counter({
		name: 'hvs_import_jobs_total',
		help: 'Resident imports finished, by outcome: done, refused (too many numbers already registered), failed, interrupted (process stopped while running).',
		labelNames: ['outcome'] as const,
		registers: [register],
	})
	const importRows = new client.Counter({
		name: 'hvs_import_rows_total',
		help: 'Residents registered by imports.',
		registers: [register],
	})
	const poolWait = new client.Histogram({
		name: 'hvs_db_pool_wait_seconds',
		help: 'Time a request waited for a PostgreSQL pool connection (PGlite: none).',
		labelNames: ['pool'] as const,
		buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
		registers: [register],
	})
	const poolWaitFailures = new client.Counter({
		name: 'hvs_db_pool_wait_failures_total',
		help: 'Pool connections that could not be had (timeout or database unreachable).',
		labelNames: ['pool'] as const,
		registers: [register],
	})
	for (const [name, help, pick] of [
		['hvs_db_pool_max', 'Connections the pool may open (DATABASE_POOL_SIZE).', 'max'],
		['hvs_db_pool_connections', 'Connections the pool holds open.', 'total'],
		['hvs_db_pool_idle', 'Open connections not in use.', 'idle'],
		['hvs_db_pool_waiting', 'Requests waiting for a connection now.', 'waiting'],
	] as const) {
		new client.Gauge({
			name,
			help,
			labelNames: ['pool'] as const,
			registers: [register],
			collect() {
				this.reset()
				for (const pool of database?.().pools ?? []) this.set({ pool: pool.name }, pool[pick])
			},
		})
	}
	new client.Gauge({
		name: 'hvs_db_transactions_in_flight',
		help: 'Database transactions running or waiting to start, by engine (pglite runs one at a time).',
		labelNames: ['engine'] as const,
		registers: [register],
		collect() {
			this.reset()
			const db = database?.()
			if (db) this.set({ engine: db.engine }, db.transactions)
		},
	})
	new client.Gauge({
		name: 'hvs_data_disk_free_bytes',
		help: "Free space on the embedded database's disk (PostgreSQL: watch its server with node_exporter).",
		registers: [register],
		collect() {
			this.reset()
			const dir = database?.().dataDir
			if (!dir) return
			try {
				const stats = fs.statfsSync(dir)
				this.set(stats.bavail * stats.bsize)
			} catch {}
		},
	})
	return {
		register,
		httpRequests,
		httpDuration,
		syncEvents,
		importJobs,
		importRows,
		poolWait,
		poolWaitFailures,
		setDatabase(source: () => DatabaseGauges) {
			database = source
		},
	}
}

const store = globalThis as unknown as { __hvsMetrics?: ReturnType<typeof create> }
export const metrics = (store.__hvsMetrics ??= create())

export type SyncOutcome = 'accepted' | 'replayed' | 'refused' | 'kept'
export type ImportOutcome = 'done' | 'refused' | 'failed' | 'interrupted'

/**
 * Times every connection taken from a pg pool (Prisma's adapter and the write path both go through
 * `pool.connect`; `pool.query` calls it too): how long a request waited, and whether it got one.
 */
export function instrumentPool(pool: { connect: (...args: any[]) => any }, name: string) {
	const connect = pool.connect.bind(pool) as (...args: any[]) => any
	const observe = (started: number, failed: unknown) => {
		metrics.poolWait.observe({ pool: name }, (performance.now() - started) / 1000)
		if (failed) metrics.poolWaitFailures.inc({ pool: name })
	}
	pool.connect = (callback?: (error: unknown, ...rest: unknown[]) => void) => {
		const started = performance.now()
		if (typeof callback === 'function') {
			return connect((error: unknown, ...rest: unknown[]) => {
				observe(started, error)
				callback(error, ...rest)
			})
		}
		return (connect() as Promise<unknown>).then(
			(c) => {
				observe(started, null)
				return c
			},
			(error) => {
				observe(started, error ?? true)
				throw error
			},
		)
	}
}
