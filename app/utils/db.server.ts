import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import { type Prisma, PrismaClient } from '#app/generated/prisma/client.ts'
import { serveControlSocket } from './db-control.server.ts'
import { env } from './env.server.ts'
import { lifecycle } from './lifecycle.server.ts'
import { instrumentPool, metrics } from './metrics.server.ts'
import { applyMigrations, migrationNames, pgliteRunner, type SqlRunner } from './migrate.server.ts'
import { beginWith, pgQuery, pipelined, type Sql, viaPg, viaPrisma } from './sql.server.ts'

export type Db = PrismaClient
/** A transaction client: what a write passes to everything it calls, so it all commits or none does. */
export type Tx = Prisma.TransactionClient

interface Connection {
	prisma: PrismaClient
	kind: 'pglite' | 'postgres'
	/** Where the data lives, without credentials (for logs and the healthcheck). */
	location: string
	/** PostgreSQL only: the driver's pool, for the write path that bypasses Prisma (ADR 009). */
	pool?: pg.Pool
	close(): Promise<void>
}

/**
 * Opens the database named by DATABASE_URL and applies pending migrations before anything else
 * touches it. No DATABASE_URL (or file:…) → embedded PGlite in a folder; memory:// → in-memory
 * PGlite (tests); postgres://… → a PostgreSQL server through @prisma/adapter-pg.
 */
export async function connect(url = env.DATABASE_URL): Promise<Connection> {
	if (url && /^postgres/.test(url)) return connectPostgres(url)
	return connectPGlite(url)
}

async function connectPGlite(url: string | undefined): Promise<Connection> {
	let dataDir: string | undefined
	if (!url || url.startsWith('file:')) {
		dataDir = path.resolve(url ? url.slice('file:'.length) : './data/pglite')
		// PGlite does not create missing parent folders.
		fs.mkdirSync(path.dirname(dataDir), { recursive: true })
	}
	let client: PGlite | undefined
	// A folder's control socket (backups while serving) is also its lock: taken before opening it.
	let control: Awaited<ReturnType<typeof serveControlSocket>> | undefined
	try {
		if (dataDir) control = await serveControlSocket(dataDir, () => client)
		client = new PGlite(dataDir ?? 'memory://')
		await client.waitReady
	} catch (error) {
		await control?.close()
		throw new Error(
			`Cannot open the embedded database in ${dataDir ?? 'memory'}: ${(error as Error).message}. ` +
				'Is another server or CLI using the same folder? Only one process may open it at a time.',
		)
	}
	const runner = pgliteRunner(client)
	await applyMigrations(runner)
	const prisma = new PrismaClient({ adapter: new PrismaPGlite(client) as any })
	return {
		prisma,
		kind: 'pglite',
		location: dataDir ?? 'memory',
		async close() {
			await control?.close()
			await prisma.$disconnect()
			if (!client.closed) await client.close()
		},
	}
}

async function connectPostgres(url: string): Promise<Connection> {
	const parsed = new URL(url)
	const location = `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`
	const pool = new pg.Pool({
		connectionString: url,
		max: env.DATABASE_POOL_SIZE,
		connectionTimeoutMillis: 5_000,
		idleTimeoutMillis: 30_000,
	})
	// A server restart drops idle connections; the pool replaces them, the process must not die.
	pool.on('error', (error) => console.error(`PostgreSQL connection lost: ${error.message}`))
	instrumentPool(pool, 'primary')
	let conn: pg.PoolClient
	try {
		conn = await pool.connect()
	} catch (error) {
		await pool.end().catch(() => {})
		throw new Error(`Cannot reach PostgreSQL at ${location}: ${(error as Error).message}`)
	}
	try {
		// Several app instances may start together: one migrates, the others wait.
		await conn.query('SELECT pg_advisory_lock(7410021)')
		const runner: SqlRunner = {
			exec: async (sql) => void (await conn.query(sql)),
			query: async (sql, params) => (await conn.query(sql, params as any[])).rows,
			transaction: async (fn) => {
				await conn.query('BEGIN')
				try {
					await fn(runner)
					await conn.query('COMMIT')
				} catch (error) {
					await conn.query('ROLLBACK')
					throw error
				}
			},
		}
		await applyMigrations(runner)
	} finally {
		await conn.query('SELECT pg_advisory_unlock(7410021)').catch(() => {})
		conn.release()
	}
	const prisma = new PrismaClient({ adapter: new PrismaPg(pool) })
	return {
		prisma,
		kind: 'postgres',
		location,
		pool,
		async close() {
			await prisma.$disconnect()
			await pool.end().catch(() => {})
		},
	}
}

// One connection per process, kept across dev-server module reloads.
const globalForDb = globalThis as unknown as { __hvsDb?: Promise<Connection> }

export function getConnection(): Promise<Connection> {
	if (!globalForDb.__hvsDb) {
		globalForDb.__hvsDb = connect()
		globalForDb.__hvsDb.then(registerShutdown, (error) => {
			console.error(`\n✖ ${(error as Error).message}\n`)
			if (env.NODE_ENV !== 'test') process.exit(1)
		})
	}
	return globalForDb.__hvsDb
}

/** Transactions in flight (see the patched `$transaction` below), drained before the pool closes. */
const inFlight = { transactions: 0, closing: false }

/**
 * Closes the database at shutdown: no new transaction starts (a 503 the client retries), the running
 * ones finish and commit first — disconnecting Prisma while one is still waiting for a pool
 * connection leaves that connection "idle in transaction" after its BEGIN, and pool.end() then
 * waits for it forever (the bench:load stall, docs/benchmarks.md). Bounded: whatever happens it
 * returns, and PostgreSQL rolls back anything left open, PGlite recovers from its WAL.
 */
async function closeForShutdown(conn: Connection) {
	if (inFlight.closing) return
	inFlight.closing = true
	const deadline = Date.now() + 10_000
	while (inFlight.transactions > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
	let timer: NodeJS.Timeout | undefined
	await Promise.race([
		conn.close().catch((error) => console.error(`closing the database: ${(error as Error).message}`)),
		new Promise((r) => (timer = setTimeout(r, 5_000))),
	])
	clearTimeout(timer)
}

function registerShutdown(conn: Connection) {
	lifecycle.closeDatabase = () => closeForShutdown(conn)
	// The HTTP server (server/index.ts) owns the signals: it lets its requests finish, then calls
	// closeDatabase — closing here on the signal would pull the database from under them.
	if (lifecycle.serverDrains) return
	// Anything else that opens the database (scripts, fixtures): close it on the signal and end.
	const shutdown = async (signal: string) => {
		lifecycle.draining = true
		await closeForShutdown(conn)
		process.exit(signal === 'SIGINT' ? 130 : 0)
	}
	process.once('SIGTERM', () => void shutdown('SIGTERM'))
	process.once('SIGINT', () => void shutdown('SIGINT'))
}

/**
 * A lost database (PostgreSQL restarting, a dropped connection) is a temporary condition: answer
 * 503 with Retry-After, which clients and the offline outbox retry, instead of a bare 500.
 */
export function isConnectionError(error: unknown): boolean {
	const e = error as { code?: string; message?: string; cause?: { code?: string; originalCode?: string; kind?: string; message?: string } }
	const code = e?.cause?.originalCode ?? e?.cause?.code ?? e?.code ?? ''
	if (/^(08|57P0)/.test(code) || ['P1001', 'P1002', 'P1017', 'P2024', 'P2028', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code)) return true
	const text = `${e?.message ?? ''} ${e?.cause?.message ?? ''} ${e?.cause?.kind ?? ''}`
	return /Connection terminated|ECONNREFUSED|ECONNRESET|EPIPE|terminating connection|the database system is (starting up|shutting down|in recovery mode)|Can't reach database|timeout exceeded when trying to connect|Client has encountered a connection error|DatabaseNotReachable|ConnectionClosed|Connection is closed|Client was closed|Transaction already closed|Transaction API error/i.test(
		text,
	)
}

/** A lost connection becomes the retryable 503; anything else is thrown as it is. */
function rethrow(error: unknown): never {
	if (!(error instanceof Response) && isConnectionError(error)) throw serviceUnavailable()
	throw error
}

/**
 * Ready to serve (the healthcheck, for load balancers, ADR 021): the database answers and holds
 * every migration this version ships, and the process is not shutting down (a rolling restart
 * takes it out of rotation before it stops). "Up" needs none of this: /resources/livez.
 */
export async function databaseReadiness(
	expected = migrationNames(),
): Promise<{ ready: true; applied: number } | { ready: false; reason: 'draining' | 'unreachable' | 'migrations-pending'; pending?: string[] }> {
	// From the first moment of a shutdown (SIGTERM), before the database closes: out of rotation.
	if (lifecycle.draining || inFlight.closing) return { ready: false, reason: 'draining' }
	let rows: { name: string }[]
	try {
		rows = await prisma.$queryRaw<{ name: string }[]>`
			SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`
	} catch (error) {
		console.error('readiness: the database does not answer:', (error as Error).message)
		return { ready: false, reason: 'unreachable' }
	}
	const applied = new Set(rows.map((r) => r.name))
	const pending = expected.filter((name) => !applied.has(name))
	return pending.length ? { ready: false, reason: 'migrations-pending', pending } : { ready: true, applied: applied.size }
}

export function serviceUnavailable() {
	return Response.json({ message: 'common:errors.status.503' }, { status: 503, headers: { 'Retry-After': '5' } })
}

const connection = await getConnection()

const base = connection.prisma
// Interactive transactions fail at BEGIN/COMMIT too, outside any single operation.
const originalTransaction = base.$transaction.bind(base) as (...args: unknown[]) => Promise<unknown>
;(base as unknown as { $transaction: (...args: unknown[]) => Promise<unknown> }).$transaction = async (...args: unknown[]) => {
	// Shutting down: no new transaction may race the disconnect; the client retries elsewhere.
	if (inFlight.closing) throw serviceUnavailable()
	inFlight.transactions++
	try {
		return await originalTransaction(...args)
	} catch (error) {
		rethrow(error)
	} finally {
		inFlight.transactions--
	}
}

export const prisma = base.$extends({
	query: {
		async $allOperations({ args, query }) {
			try {
				return await query(args)
			} catch (error) {
				rethrow(error)
			}
		},
	},
}) as unknown as PrismaClient
export const dbInfo = { kind: connection.kind, location: connection.location }

/**
 * A transaction for the learner's write path (ADR 009): on PostgreSQL straight on the pg driver,
 * on PGlite a Prisma transaction (one connection, shared with Prisma). Same rules as `$transaction`
 * above: none starts while shutting down, running ones are drained, a lost connection is a 503.
 */
export async function sqlTransaction<T, R = Record<string, unknown>, S = Record<string, unknown>>(
	fn: (sql: Sql, first: R[], read: S[]) => Promise<T>,
	{
		first,
		read,
	}: {
		/** A first statement (the learner's lock) sent with BEGIN in one round trip; its rows are fn's second argument. */
		first?: Prisma.Sql
		/** A statement sent in the same round trip after `first`, so it runs under its lock (ADR 037); its rows are fn's third argument. */
		read?: Prisma.Sql
	} = {},
): Promise<T> {
	const pool = connection.pool
	if (!pool)
		return prisma.$transaction(async (tx) => {
			const sql = viaPrisma(tx)
			const firstRows = first ? await sql.query<R>(first) : []
			return fn(sql, firstRows, read ? await sql.query<S>(read) : [])
		})
	if (inFlight.closing) throw serviceUnavailable()
	inFlight.transactions++
	let client: pg.PoolClient | undefined
	let broken: Error | undefined
	// The pool stops listening to a client it hands out: without a listener, a connection the
	// server drops mid-transaction (restart, failover) would be an uncaught error and end the process.
	const onError = (error: Error) => void (broken ??= error)
	try {
		client = await pool.connect()
		client.on('error', onError)
		try {
			const statements = [first, read].filter((s): s is Prisma.Sql => s !== undefined)
			let rows: unknown[][] = []
			if (statements.length) rows = await beginWith(client, pg.types, statements)
			else await client.query('BEGIN')
			const firstRows = (first ? rows.shift() : []) as R[]
			const readRows = (read ? rows.shift() : []) as S[]
			let committed = false
			const own = client
			const sql: Sql = {
				...viaPg(client, pg.types),
				// The last writes and COMMIT in one round trip (finishWith, ADR 035).
				executeAndCommit: async (statement) => {
					if (committed) throw new Error('the transaction has ended')
					committed = true
					await pipelined(own, [pgQuery(pg.types, statement), { text: 'COMMIT' }])
				},
			}
			const result = await fn(sql, firstRows, readRows)
			if (!committed) await client.query('COMMIT')
			return result
		} catch (error) {
			await client.query('ROLLBACK').catch((e: Error) => (broken = e))
			throw error
		}
	} catch (error) {
		if (!(error instanceof Response) && isConnectionError(error)) broken ??= error as Error
		return rethrow(error)
	} finally {
		// A connection that failed is closed, not given to the next request.
		client?.removeListener('error', onError)
		client?.release(broken)
		inFlight.transactions--
	}
}

/** Single statements outside a transaction, on the same path as `sqlTransaction`. */
export const sql: Sql = (() => {
	const direct = connection.pool ? viaPg(connection.pool, pg.types) : viaPrisma(prisma)
	return {
		query: (async (query: Prisma.Sql) => direct.query(query).catch(rethrow)) as Sql['query'],
		execute: (query: Prisma.Sql) => direct.execute(query).catch(rethrow),
	}
})()

/**
 * Reads for reports may go to a PostgreSQL read replica (DATABASE_REPLICA_URL); without one they
 * use the primary. Never write through it. Replication lag makes figures seconds old, never wrong.
 */
let replicaPool: pg.Pool | undefined
export const reportingDb: PrismaClient = await (async () => {
	const replica = env.DATABASE_REPLICA_URL
	if (!replica || !/^postgres/.test(replica) || connection.kind !== 'postgres') return prisma
	const pool = new pg.Pool({ connectionString: replica, max: env.DATABASE_POOL_SIZE, connectionTimeoutMillis: 5_000 })
	pool.on('error', (error) => console.error(`Replica connection lost: ${error.message}`))
	instrumentPool(pool, 'replica')
	replicaPool = pool
	return new PrismaClient({ adapter: new PrismaPg(pool) })
})()
export const closeDb = () => connection.close()

// Pool use, transactions and the embedded folder's disk, read when Prometheus scrapes (ADR 024).
metrics.setDatabase(() => ({
	engine: connection.kind,
	transactions: inFlight.transactions,
	pools: [
		['primary', connection.pool],
		['replica', replicaPool],
	].flatMap(([name, pool]) =>
		pool instanceof pg.Pool
			? [{ name: name as string, max: pool.options.max ?? 10, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }]
			: [],
	),
	dataDir: connection.kind === 'pglite' && connection.location !== 'memory' ? path.dirname(connection.location) : undefined,
}))
