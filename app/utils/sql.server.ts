import type pg from 'pg'
import { Prisma } from '#app/generated/prisma/client.ts'
import { pooledRandom } from './random.server.ts'

/**
 * SQL written with Prisma's `Prisma.sql` template (parameters, never concatenation), run either
 * through Prisma (`$queryRaw`, inside a Prisma transaction or not) or straight on the pg driver.
 * The learner's write path uses the driver on PostgreSQL (ADR 009): Prisma's client engine costs
 * about three times the driver's CPU per statement (query compilation in WASM, plan
 * interpretation), and a progress write is a dozen statements. Both give the same results —
 * timestamps as UTC Dates (on PGlite thanks to patches/pglite-prisma-adapter+…, which reads
 * them as UTC like @prisma/adapter-pg; before it, a non-UTC `TZ` shifted them), int8 as BigInt,
 * json parsed.
 */
export interface Sql {
	query<T = Record<string, unknown>>(sql: Prisma.Sql): Promise<T[]>
	execute(sql: Prisma.Sql): Promise<number>
	/**
	 * In a driver transaction (`sqlTransaction` on PostgreSQL): runs one statement and commits in the
	 * same round trip; the transaction ends with it. Absent elsewhere (`finishWith` runs the statement
	 * and the transaction commits when its function returns, as always).
	 */
	executeAndCommit?(sql: Prisma.Sql): Promise<void>
}

type RawClient = { $queryRaw<T = unknown>(query: Prisma.Sql): Prisma.PrismaPromise<T>; $executeRaw(query: Prisma.Sql): Prisma.PrismaPromise<number> }

export function viaPrisma(db: RawClient): Sql {
	return {
		query: <T>(sql: Prisma.Sql) => db.$queryRaw<T[]>(sql) as Promise<T[]>,
		execute: (sql: Prisma.Sql) => db.$executeRaw(sql) as Promise<number>,
	}
}

const TIMESTAMP = 1114
const DATE = 1082
const INT8 = 20

// Prisma stores DateTime as `timestamp(3)` holding UTC; pg would read it as local time.
const UTC_PARSERS: Record<number, (v: string) => unknown> = {
	[TIMESTAMP]: (v) => new Date(`${v.replace(' ', 'T')}Z`),
	[DATE]: (v) => new Date(`${v}T00:00:00Z`),
	[INT8]: (v) => BigInt(v),
}

/** Per-query type parsers (the pool's global parsers stay untouched for Prisma's adapter), made once per `types`. */
const parsersByTypes = new WeakMap<typeof pg.types, { getTypeParser(oid: number, format?: 'text' | 'binary'): (v: string) => unknown }>()
function typesOf(types: typeof pg.types) {
	let parsers = parsersByTypes.get(types)
	if (!parsers) {
		parsers = { getTypeParser: (oid, format) => UTC_PARSERS[oid] ?? types.getTypeParser(oid, format as 'text') }
		parsersByTypes.set(types, parsers)
	}
	return parsers
}

/** Parameters as Prisma sends them: dates as UTC ISO text, plain objects as JSON, bigints as text. */
function param(value: unknown): unknown {
	if (value instanceof Date) return value.toISOString()
	if (typeof value === 'bigint') return value.toString()
	if (value && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value)) return JSON.stringify(value)
	return value
}

/**
 * Named (prepared) statements: PostgreSQL parses and plans each text once per connection instead of
 * on every call. The write path's texts are few (the same statements with 1–3 periods or a few
 * rows); the names are bounded, and texts beyond the bound run unnamed as before.
 */
// Shared by every copy of this module in a process, as the connection pool is (db.server.ts keeps it
// on globalThis): two copies with maps of their own would give one name to two texts.
const statementNames = ((globalThis as unknown as { __hvsStatementNames?: Map<string, string> }).__hvsStatementNames ??= new Map<string, string>())
const MAX_NAMED_STATEMENTS = 1000
function statementName(text: string) {
	let name = statementNames.get(text)
	if (!name && statementNames.size < MAX_NAMED_STATEMENTS) {
		name = `hvs_${statementNames.size}`
		statementNames.set(text, name)
	}
	return name
}

/**
 * `BEGIN` and a transaction's first statements in one round trip and one socket write: pipelined
 * (`pipelined`), each named like every other (`pgQuery`), so PostgreSQL parses and plans them once
 * per connection. Until ADR 036 the first rode on BEGIN as one simple query with its values written
 * in as literals: never prepared, planned again on every write (about 0.3 ms of PostgreSQL's CPU for
 * the session lock, the largest single cost of a quiz write). They run in order, each after the one
 * before has finished: a read sent after the learner's lock reads under it (ADR 037). Returns each
 * statement's rows. A driver without pipeline mode sends them one after the other.
 */
export async function beginWith(client: pg.PoolClient, types: typeof pg.types, statements: Prisma.Sql[]): Promise<unknown[][]> {
	const [, ...results] = await pipelined(client, [{ text: 'BEGIN' }, ...statements.map((sql) => pgQuery(types, sql))])
	return results.map((r) => r.rows)
}

export function viaPg(client: pg.Pool | pg.PoolClient, types: typeof pg.types): Sql {
	const run = (sql: Prisma.Sql) => client.query(pgQuery(types, sql))
	return {
		query: async <T>(sql: Prisma.Sql) => (await run(sql)).rows as T[],
		execute: async (sql: Prisma.Sql) => (await run(sql)).rowCount ?? 0,
	}
}

/** The query config `viaPg` sends for a statement (named, values as Prisma sends them, UTC parsers). */
export function pgQuery(types: typeof pg.types, sql: Prisma.Sql): pg.QueryConfig {
	// Prisma.Sql builds its text on every read of `.text`: read it once.
	const text = sql.text
	return { name: statementName(text), text, values: sql.values.map(param), types: typesOf(types) } as pg.QueryConfig
}

/** An id like those of Prisma's cuid() default, for raw inserts: c, time, randomness. */
export function newId() {
	return `c${Date.now().toString(36)}${pooledRandom(8, 'hex')}`
}

/** A json column read through either path (Prisma may hand it over as text). */
export function parseJson<T>(value: unknown): T {
	return (typeof value === 'string' ? JSON.parse(value) : value) as T
}

/**
 * Sends writes whose results nobody reads as one statement, in one round trip: the first ones as
 * data-modifying WITH clauses of the last. They see the same snapshot and none reads what another
 * writes (PostgreSQL runs each exactly once); foreign keys are checked at the end of the statement.
 * On this machine a round trip to PostgreSQL costs the app about 0.1 ms of system time alone.
 *
 * Order: PostgreSQL does not promise in which order the parts run (today: the last statement first,
 * then the WITH clauses in order). Every caller passes the rollup upserts last and in the same
 * order (`Rollups.statements()`: cells, then periods), so whatever that order is, it is the same
 * in every transaction that touches the shared rollup rows, and their row locks cannot form a
 * cycle (ADR 008); rows within one upsert are in key order.
 */
export async function executeAll(sql: Sql, statements: Prisma.Sql[]) {
	const statement = combined(statements)
	if (statement) await sql.execute(statement)
}

function combined(statements: Prisma.Sql[]): Prisma.Sql | null {
	if (statements.length === 0) return null
	if (statements.length === 1) return statements[0]!
	const clauses = statements.slice(0, -1).map((statement, i) => Prisma.sql`${Prisma.raw(`w${i}`)} AS (${statement})`)
	return Prisma.sql`WITH ${Prisma.join(clauses)} ${statements.at(-1)!}`
}

/**
 * A transaction's last writes, as `executeAll`, and its COMMIT in the same round trip where the
 * connection allows it (PostgreSQL through the driver): the rollup rows these writes lock, shared by
 * every learner of the commune, are held until COMMIT, now one round trip shorter (ADR 008, 035).
 * Nothing may be read or written in the transaction after it.
 */
export async function finishWith(sql: Sql, statements: Prisma.Sql[]) {
	const statement = combined(statements)
	if (!statement) return
	if (sql.executeAndCommit) await sql.executeAndCommit(statement)
	else await sql.execute(statement)
}

/**
 * Queries sent together, without waiting for each answer (the driver's pipeline mode, pg ≥ 8.22,
 * switched on for these only), in one write to the socket; answered in order. The client must be
 * this caller's alone (a transaction's). Each query keeps its own Sync: an error in one fails that
 * one, and inside a transaction makes the rest fail or (COMMIT) roll back, as one by one. A driver
 * without pipeline mode sends them one after another — slower, the same results. Rejects with the
 * first query's error.
 */
export async function pipelined(client: pg.PoolClient, queries: pg.QueryConfig[]): Promise<pg.QueryResult[]> {
	const c = client as unknown as { pipeline?: boolean; connection?: { stream?: { cork?(): void; uncork?(): void } } }
	const stream = c.connection?.stream
	const was = c.pipeline
	c.pipeline = true
	stream?.cork?.()
	let sent: Promise<pg.QueryResult>[]
	try {
		sent = queries.map((q) => client.query(q))
	} finally {
		stream?.uncork?.()
	}
	const settled = await Promise.allSettled(sent)
	c.pipeline = was
	const failed = settled.find((r) => r.status === 'rejected')
	if (failed) throw (failed as PromiseRejectedResult).reason
	return settled.map((r) => (r as PromiseFulfilledResult<pg.QueryResult>).value)
}
