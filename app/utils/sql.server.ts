import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import { Prisma } from '#app/generated/prisma/client.ts'

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
const statementNames = new Map<string, string>()
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
 * `BEGIN` and a transaction's first statement in one round trip: sent as one simple query, the
 * statement's values written in as SQL literals (strings escaped by the driver). For small
 * statements whose values are strings, numbers, booleans or null and whose text holds no literal of
 * its own; anything else runs as two statements, as before. Returns the statement's rows.
 */
export async function beginWith<T>(client: pg.PoolClient, types: typeof pg.types, sql: Prisma.Sql): Promise<T[]> {
	const text = sql.text
	const values = sql.values
	const literal = (v: unknown) => {
		if (v === null || v === undefined) return 'NULL'
		if (typeof v === 'string') return client.escapeLiteral(v)
		if (typeof v === 'number' && Number.isFinite(v)) return String(v)
		if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE'
		return undefined
	}
	const literals = values.map(literal)
	if (/'|\$\$/.test(text) || literals.some((l) => l === undefined)) {
		await client.query('BEGIN')
		return viaPg(client, types).query<T>(sql)
	}
	const inlined = text.replace(/\$(\d+)/g, (_, n: string) => literals[Number(n) - 1]!)
	const results = (await client.query({ text: `BEGIN; ${inlined}`, types: typesOf(types) } as pg.QueryConfig)) as unknown as pg.QueryResult[]
	return results.at(-1)!.rows as T[]
}

export function viaPg(client: pg.Pool | pg.PoolClient, types: typeof pg.types): Sql {
	const parsers = typesOf(types)
	const run = (sql: Prisma.Sql) => {
		// Prisma.Sql builds its text on every read of `.text`: read it once.
		const text = sql.text
		return client.query({ name: statementName(text), text, values: sql.values.map(param), types: parsers } as pg.QueryConfig)
	}
	return {
		query: async <T>(sql: Prisma.Sql) => (await run(sql)).rows as T[],
		execute: async (sql: Prisma.Sql) => (await run(sql)).rowCount ?? 0,
	}
}

/** An id like those of Prisma's cuid() default, for raw inserts: c, time, randomness. */
export function newId() {
	return `c${Date.now().toString(36)}${randomBytes(8).toString('hex')}`
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
	if (statements.length === 0) return
	if (statements.length === 1) return void (await sql.execute(statements[0]!))
	const clauses = statements.slice(0, -1).map((statement, i) => Prisma.sql`${Prisma.raw(`w${i}`)} AS (${statement})`)
	await sql.execute(Prisma.sql`WITH ${Prisma.join(clauses)} ${statements.at(-1)!}`)
}
