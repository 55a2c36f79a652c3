import pg from 'pg'
import { expect, test } from 'vitest'
import { Prisma } from '#app/generated/prisma/client.ts'
import { sqlTransaction } from '#app/utils/db.server.ts'

// The write path's own transactions on the pg driver (ADR 009): PostgreSQL only.
test.skipIf(!process.env.TEST_DATABASE_URL)(
	'a connection the server drops in the middle of a write is a retryable 503, never a crash of the process',
	async () => {
		const uncaught: Error[] = []
		const onUncaught = (error: Error) => void uncaught.push(error)
		process.prependListener('uncaughtException', onUncaught)
		const admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
		await admin.connect()
		let outcome: unknown
		try {
			await sqlTransaction(async (sql) => {
				const [row] = await sql.query<{ pid: number }>(Prisma.sql`SELECT pg_backend_pid() AS pid`)
				// A PostgreSQL restart or failover while the write is between two statements.
				await admin.query('SELECT pg_terminate_backend($1)', [row!.pid])
				await new Promise((r) => setTimeout(r, 300))
				return sql.query(Prisma.sql`SELECT 1`)
			})
			outcome = 'committed'
		} catch (error) {
			outcome = error instanceof Response ? error.status : error
		} finally {
			await admin.end()
			process.removeListener('uncaughtException', onUncaught)
		}
		expect(uncaught.map((e) => e.message)).toEqual([])
		expect(outcome).toBe(503)
		// The next write gets a healthy connection.
		expect(await sqlTransaction((sql) => sql.query<{ one: number }>(Prisma.sql`SELECT 1 AS one`))).toEqual([{ one: 1 }])
	},
)
