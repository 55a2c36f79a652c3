import pg from 'pg'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { Prisma } from '#app/generated/prisma/client.ts'
import { sqlTransaction } from '#app/utils/db.server.ts'
import { finishWith, pipelined } from '#app/utils/sql.server.ts'

// A write's last statement and its COMMIT in one round trip (ADR 035): PostgreSQL through the driver only.
const onPg = Boolean(process.env.TEST_DATABASE_URL)
const table = `finish_with_${process.pid}`
let client: pg.Client

beforeAll(async () => {
	if (!onPg) return
	client = new pg.Client({ connectionString: process.env.DATABASE_URL })
	await client.connect()
	await client.query(`CREATE TABLE ${table} (id text PRIMARY KEY)`)
})

afterAll(async () => {
	if (!onPg) return
	await client.query(`DROP TABLE IF EXISTS ${table}`)
	await client.end()
})

/** Writes to the client's socket while `run` runs (one per round trip the client starts). */
async function socketWrites(run: () => Promise<unknown>) {
	const stream = (client as unknown as { connection: { stream: { _write: (...a: unknown[]) => unknown; _writev?: (...a: unknown[]) => unknown } } }).connection
		.stream
	const original = { write: stream._write, writev: stream._writev }
	let writes = 0
	stream._write = function (this: unknown, ...args: unknown[]) {
		writes++
		return original.write.apply(this, args)
	}
	if (original.writev)
		stream._writev = function (this: unknown, ...args: unknown[]) {
			writes++
			return original.writev!.apply(this, args)
		}
	try {
		await run()
	} finally {
		stream._write = original.write
		stream._writev = original.writev
	}
	return writes
}

test.skipIf(!onPg)('pipelined queries go out in one write and are answered in order; the client then works as before', async () => {
	await client.query('BEGIN')
	let results: pg.QueryResult[] = []
	const writes = await socketWrites(async () => {
		results = await pipelined(client as unknown as pg.PoolClient, [{ text: `INSERT INTO ${table} (id) VALUES ('a') RETURNING id` }, { text: 'COMMIT' }])
	})
	// Without the driver's pipeline mode the COMMIT would wait for the INSERT's answer: two writes.
	expect(writes).toBe(1)
	expect(results.map((r) => r.command)).toEqual(['INSERT', 'COMMIT'])
	expect(results[0]!.rows).toEqual([{ id: 'a' }])
	expect((client as unknown as { pipeline: boolean }).pipeline).toBe(false)
	const other = new pg.Client({ connectionString: process.env.DATABASE_URL })
	await other.connect()
	expect((await other.query(`SELECT id FROM ${table}`)).rows).toEqual([{ id: 'a' }])
	await other.end()
	expect((await client.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }])
})

test.skipIf(!onPg)('a failing statement fails the call, its COMMIT rolls the transaction back, and nothing of it is stored', async () => {
	await client.query('BEGIN')
	await client.query(`INSERT INTO ${table} (id) VALUES ('b')`)
	const failed = await pipelined(client as unknown as pg.PoolClient, [{ text: `INSERT INTO ${table} (id) VALUES ('a')` }, { text: 'COMMIT' }]).catch(
		(e: Error & { code?: string }) => e,
	)
	expect((failed as { code?: string }).code).toBe('23505')
	expect((await client.query(`SELECT id FROM ${table} ORDER BY id`)).rows).toEqual([{ id: 'a' }])
	expect((await client.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }])
})

test.skipIf(!onPg)('finishWith in a write transaction commits with its statement; a refusal there rolls everything back', async () => {
	await sqlTransaction(async (sql) => {
		await sql.execute(Prisma.sql`INSERT INTO ${Prisma.raw(table)} (id) VALUES (${'c'})`)
		await finishWith(sql, [
			Prisma.sql`INSERT INTO ${Prisma.raw(table)} (id) VALUES (${'d'})`,
			Prisma.sql`INSERT INTO ${Prisma.raw(table)} (id) VALUES (${'e'})`,
		])
	})
	const refused = await sqlTransaction(async (sql) => {
		await sql.execute(Prisma.sql`INSERT INTO ${Prisma.raw(table)} (id) VALUES (${'f'})`)
		await finishWith(sql, [
			Prisma.sql`INSERT INTO ${Prisma.raw(table)} (id) VALUES (${'g'})`,
			Prisma.sql`INSERT INTO ${Prisma.raw(table)} (id) VALUES (${'c'})`,
		])
	}).catch((e: { code?: string }) => e)
	expect((refused as { code?: string }).code).toBe('23505')
	expect((await client.query(`SELECT id FROM ${table} ORDER BY id`)).rows.map((r) => r.id)).toEqual(['a', 'c', 'd', 'e'])
	// The pool's connections are healthy after both.
	expect(await sqlTransaction((sql) => sql.query<{ one: number }>(Prisma.sql`SELECT 1 AS one`))).toEqual([{ one: 1 }])
})
