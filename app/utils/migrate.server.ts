import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { type PGlite } from '@electric-sql/pglite'
import { env } from './env.server.ts'

/**
 * Applies prisma/migrations/* in order, each in its own transaction, and records them in
 * `_prisma_migrations` exactly as Prisma does (checksum = sha256 of migration.sql), so
 * `prisma migrate status` agrees. We do this ourselves because the CLI's `migrate deploy` hangs
 * on PGlite and needs a workaround on PostgreSQL (docs/decisions/002-database.md).
 */
export interface SqlRunner {
	/** Runs one or more statements with no parameters. */
	exec(sql: string): Promise<void>
	query<T>(sql: string, params?: unknown[]): Promise<T[]>
	/** Runs fn in one transaction on one connection. */
	transaction(fn: (tx: Pick<SqlRunner, 'exec' | 'query'>) => Promise<void>): Promise<void>
}

export interface Migration {
	name: string
	sql: string
	checksum: string
}

export function readMigrations(dir = defaultMigrationsDir()): Migration[] {
	return fs
		.readdirSync(dir, { withFileTypes: true })
		.filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
		.map((d) => d.name)
		.sort()
		.map((name) => {
			const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8')
			return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') }
		})
}

/** The names of this version's migrations, read once (the folder does not change while serving). */
export const migrationNames = (() => {
	let names: string[] | undefined
	return () =>
		(names ??= fs
			.readdirSync(defaultMigrationsDir(), { withFileTypes: true })
			.filter((d) => d.isDirectory() && fs.existsSync(path.join(defaultMigrationsDir(), d.name, 'migration.sql')))
			.map((d) => d.name)
			.sort())
})()

export function defaultMigrationsDir() {
	return env.MIGRATIONS_DIR ?? path.join(process.cwd(), 'prisma', 'migrations')
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`

export async function applyMigrations(db: SqlRunner, migrations = readMigrations()) {
	await db.exec(CREATE_TABLE)
	const rows = await db.query<{ migration_name: string; checksum: string }>(
		`SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
	)
	const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]))
	const done: string[] = []
	for (const m of migrations) {
		const previous = applied.get(m.name)
		if (previous) {
			if (previous !== m.checksum) {
				console.warn(`Migration ${m.name} was edited after it was applied (checksum differs).`)
			}
			continue
		}
		await db.transaction(async (tx) => {
			await tx.exec(m.sql)
			await tx.query(
				`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
				 VALUES ($1, $2, now(), $3, now(), 1)`,
				[randomUUID(), m.checksum, m.name],
			)
		})
		done.push(m.name)
	}
	return done
}

/** A `SqlRunner` on an embedded PGlite database. */
export function pgliteRunner(client: PGlite): SqlRunner {
	return {
		exec: async (sql) => void (await client.exec(sql)),
		query: async (sql, params) => (await client.query<any>(sql, params as any[])).rows,
		transaction: async (fn) =>
			void (await client.transaction(async (tx) =>
				fn({
					exec: async (sql) => void (await tx.exec(sql)),
					query: async (sql, params) => (await tx.query<any>(sql, params as any[])).rows,
				}),
			)),
	}
}
