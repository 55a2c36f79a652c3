import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { checkRollups, type RollupCheck, rollupsAgree } from '#app/modules/counting/rollup-check.server.ts'
import { controlSocketPath, folderHolder, request, serveControlSocket } from '#app/utils/db-control.server.ts'
import { applyMigrations, pgliteRunner, readMigrations, type SqlRunner } from '#app/utils/migrate.server.ts'

/**
 * What db:backup, db:restore and db:move share (ADR 021): where the database is, opening it as a
 * second process may, the inventory a backup records (tables, rows, migrations) and the verification
 * printed at the end of every command.
 */

export type Target = { kind: 'pglite'; dataDir: string; location: string } | { kind: 'postgres'; url: string; location: string }

/** The database DATABASE_URL names, as the server reads it (app/utils/db.server.ts). */
export function resolveTarget(url = process.env.DATABASE_URL): Target {
	if (url && /^postgres(ql)?:\/\//.test(url)) {
		const u = new URL(url)
		return { kind: 'postgres', url, location: `${u.hostname}:${u.port || 5432}${u.pathname}` }
	}
	if (url?.startsWith('memory:')) throw new Error('DATABASE_URL is memory:// (an in-memory database): there is nothing on disk to back up or restore.')
	const dataDir = path.resolve(url ? url.slice('file:'.length) : './data/pglite')
	return { kind: 'pglite', dataDir, location: dataDir }
}

export interface Opened {
	runner: SqlRunner
	close(): Promise<void>
}

/**
 * Opens an embedded folder from this process: only when no other process holds it (its control
 * socket answers), and holding its socket meanwhile, so no server starts on it while we work.
 */
export async function openPglite(dataDir: string, options: { loadDataDir?: Blob } = {}): Promise<Opened & { client: PGlite }> {
	fs.mkdirSync(path.dirname(dataDir), { recursive: true })
	let client: PGlite | undefined
	const control = await serveControlSocket(dataDir, () => client).catch((error: Error) => {
		throw new Error(`The embedded database in ${dataDir} is in use (${error.message}). Stop the server first.`)
	})
	try {
		client = new PGlite(dataDir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {})
		await client.waitReady
	} catch (error) {
		await control.close()
		throw error
	}
	const opened = client
	return {
		client: opened,
		runner: pgliteRunner(opened),
		close: async () => {
			await control.close()
			if (!opened.closed) await opened.close()
		},
	}
}

/** An in-memory copy of an embedded backup: to count what it holds or copy it elsewhere. */
export async function openPgliteArchive(file: string): Promise<Opened & { client: PGlite }> {
	const client = new PGlite({ loadDataDir: new Blob([fs.readFileSync(file)]) })
	await client.waitReady
	return { client, runner: pgliteRunner(client), close: () => client.close() }
}

export async function openPostgres(url: string): Promise<Opened & { client: pg.Client }> {
	const client = new pg.Client({ connectionString: url })
	try {
		await client.connect()
	} catch (error) {
		throw new Error(`Cannot reach PostgreSQL at ${resolveTarget(url).location}: ${(error as Error).message}`)
	}
	return { client, runner: pgRunner(client), close: () => client.end() }
}

export function pgRunner(client: pg.Client): SqlRunner {
	const runner: SqlRunner = {
		exec: async (sql) => void (await client.query(sql)),
		query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
		transaction: async (fn) => {
			await client.query('BEGIN')
			try {
				await fn(runner)
				await client.query('COMMIT')
			} catch (error) {
				await client.query('ROLLBACK')
				throw error
			}
		},
	}
	return runner
}

/** The process holding an embedded folder, if one does (the server or a CLI). */
export const holderOf = folderHolder

/** Asks the process holding the folder for a snapshot, written to `file`. */
export async function backupThroughSocket(dataDir: string, file: string) {
	const response = await request(controlSocketPath(dataDir), '/backup', 30 * 60_000)
	const total = Number(response.headers['content-length'] ?? 0)
	await writeStream(response, file, total)
}

async function writeStream(stream: NodeJS.ReadableStream, file: string, total: number) {
	const out = fs.createWriteStream(file, { mode: 0o600 })
	const bar = progress('receiving', total, 'bytes')
	for await (const chunk of stream) {
		bar.add((chunk as Buffer).length)
		if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()))
	}
	await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())))
	bar.done()
}

/** A progress line for long runs: printed at most every two seconds, and once at the end if it took that long. */
export function progress(label: string, total = 0, unit: 'bytes' | 'rows' = 'rows') {
	const started = Date.now()
	let done = 0
	let printed = started
	const line = () =>
		total
			? `  ${label}: ${mb(done)} of ${mb(total)} (${Math.round((100 * done) / total)} %)`
			: `  ${label}: ${unit === 'bytes' ? mb(done) : done.toLocaleString('en')}`
	return {
		add(n: number) {
			done += n
			if (Date.now() - printed > 2_000) {
				printed = Date.now()
				console.log(line())
			}
		},
		done() {
			if (printed !== started) console.log(line())
		},
	}
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** What a backup holds, recorded beside it (`<file>.manifest.json`) and compared after a restore. */
export interface Inventory {
	migrations: string[]
	/** Rows per table (the migrations table excluded). */
	counts: Record<string, number>
}

export interface Manifest extends Inventory {
	format: 'hvs-backup/1'
	engine: 'pglite' | 'postgres'
	createdAt: string
	source: string
	bytes: number
	sha256: string
}

export const manifestPath = (file: string) => `${file}.manifest.json`

/** The application's tables (public schema, the migrations table excluded), by name. */
export async function listTables(db: Pick<SqlRunner, 'query'>) {
	const rows = await db.query<{ name: string }>(
		`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename`,
	)
	return rows.map((r) => r.name)
}

export async function inventory(db: Pick<SqlRunner, 'query'>): Promise<Inventory> {
	const tables = await listTables(db)
	const counts: Record<string, number> = {}
	if (tables.length) {
		const [row] = await db.query<Record<string, unknown>>(`SELECT ${tables.map((t, i) => `(SELECT count(*) FROM "${t}") AS c${i}`).join(', ')}`)
		tables.forEach((t, i) => (counts[t] = Number(row?.[`c${i}`] ?? 0)))
	}
	return { migrations: await appliedMigrations(db), counts }
}

export async function appliedMigrations(db: Pick<SqlRunner, 'query'>) {
	const [exists] = await db.query<{ t: string | null }>(`SELECT to_regclass('public._prisma_migrations')::text AS t`)
	if (!exists?.t) return []
	const rows = await db.query<{ name: string }>(
		`SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
	)
	return rows.map((r) => r.name)
}

/** Does a PostgreSQL database hold any table of ours (or any at all in public)? */
/** Tables whose rows differ between two databases: each table's rows as JSON text, sorted, hashed. */
export async function differingTables(a: Pick<SqlRunner, 'query'>, b: Pick<SqlRunner, 'query'>) {
	const differ: string[] = []
	for (const table of await listTables(a)) {
		const digest = `SELECT md5(coalesce(string_agg(r, E'\\n' ORDER BY r COLLATE "C"), '')) AS h FROM (SELECT to_jsonb(t)::text AS r FROM "${table}" t) x`
		const [[x], [y]] = await Promise.all([a.query<{ h: string }>(digest), b.query<{ h: string }>(digest)])
		if (x?.h !== y?.h) differ.push(table)
	}
	return differ
}

export async function postgresIsEmpty(db: Pick<SqlRunner, 'query'>) {
	const [row] = await db.query<{ n: unknown }>(`SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`)
	return Number(row?.n ?? 0) === 0
}

export function folderIsEmpty(dataDir: string) {
	return !fs.existsSync(dataDir) || fs.readdirSync(dataDir).length === 0
}

export function sha256(file: string) {
	return createHash('sha256').update(fs.readFileSync(file)).digest('hex')
}

export interface Verification {
	ok: boolean
	rows: number
	tables: number
	/** Tables whose row count differs from the expected one: [table, expected, found]. */
	countMismatches: [string, number, number][]
	migrations: { applied: number; missingFromBackup: string[]; pendingForThisVersion: string[] }
	rollups: RollupCheck
}

/**
 * Checks a database against what it should hold: the same rows per table as `expected` (when
 * known), every migration `expected` had, and rollups equal to the raw tables. Prints the result.
 */
export async function verify(db: Pick<SqlRunner, 'query'>, expected?: Inventory): Promise<Verification> {
	const found = await inventory(db)
	const countMismatches: [string, number, number][] = []
	if (expected) {
		for (const table of new Set([...Object.keys(expected.counts), ...Object.keys(found.counts)])) {
			const want = expected.counts[table]
			const have = found.counts[table]
			// A table added by a newer migration than the backup's may exist empty.
			if (want === undefined && have === 0) continue
			if (want !== have) countMismatches.push([table, want ?? 0, have ?? 0])
		}
	}
	const applied = new Set(found.migrations)
	const missingFromBackup = (expected?.migrations ?? []).filter((m) => !applied.has(m))
	const pendingForThisVersion = readMigrations()
		.map((m) => m.name)
		.filter((m) => !applied.has(m))
	const rollups = await checkRollups((sql, params) => db.query(sql, params))
	const rows = Object.values(found.counts).reduce((a, b) => a + b, 0)
	const result: Verification = {
		ok: countMismatches.length === 0 && missingFromBackup.length === 0 && applied.size > 0 && rollupsAgree(rollups),
		rows,
		tables: Object.keys(found.counts).length,
		countMismatches,
		migrations: { applied: applied.size, missingFromBackup, pendingForThisVersion },
		rollups,
	}
	printVerification(result, Boolean(expected))
	return result
}

function printVerification(v: Verification, compared: boolean) {
	const mark = (ok: boolean) => (ok ? '✔' : '✖')
	console.log('Verification:')
	if (!compared) console.log(`  ! no manifest: row counts not compared (${v.tables} tables, ${v.rows.toLocaleString('en')} rows)`)
	else if (v.countMismatches.length === 0) console.log(`  ✔ rows: ${v.rows.toLocaleString('en')} in ${v.tables} tables, each table as many as expected`)
	else for (const [t, want, have] of v.countMismatches) console.log(`  ✖ rows: ${t} holds ${have}, expected ${want}`)
	const m = v.migrations
	console.log(
		`  ${mark(m.applied > 0 && m.missingFromBackup.length === 0)} migrations: ${m.applied} applied${m.missingFromBackup.length ? `; missing ${m.missingFromBackup.join(', ')}` : ''}`,
	)
	if (m.pendingForThisVersion.length)
		console.log(`  ! ${m.pendingForThisVersion.length} newer migration(s) of this version not applied yet: the server applies them when it starts`)
	const r = v.rollups
	console.log(
		`  ${mark(rollupsAgree(r))} rollups equal the raw tables: ${r.provinces.length} province(s)${r.provinceDrift.length ? `, differing in ${r.provinceDrift.join(', ')}` : ''}; ${r.communeYearDrift} commune-year difference(s) from a recount; ${r.cellDrift} commune-period difference(s) between the two rollup tables`,
	)
	console.log(v.ok ? 'Verified.' : 'VERIFICATION FAILED.')
}

/** Runs a command, printing what it says on stderr through `onLine`; rejects on a non-zero exit. */
export function run(command: string, args: string[], onLine: (line: string) => void = () => {}) {
	return new Promise<void>((resolve, reject) => {
		const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'pipe'] })
		let rest = ''
		const tail: string[] = []
		child.stderr!.on('data', (d: Buffer) => {
			const lines = (rest + d.toString()).split('\n')
			rest = lines.pop()!
			for (const line of lines) {
				tail.push(line)
				if (tail.length > 20) tail.shift()
				onLine(line)
			}
		})
		child.once('error', (error) =>
			reject((error as NodeJS.ErrnoException).code === 'ENOENT' ? new Error(`${command} is missing: apt-get install -y postgresql-client`) : error),
		)
		child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}:\n${tail.join('\n')}`))))
	})
}

/** Applies this version's migrations to a database opened by a CLI (the same code the server runs). */
export const migrate = (runner: SqlRunner) => applyMigrations(runner)

/**
 * After a restore, every erasure of the ledger (the table and the file outside the database,
 * app/modules/people/erasure.server.ts) is done again: a restored backup must not bring back
 * personal data erased since it was taken. Imported only now, because it opens the restored
 * database as the server does (DATABASE_URL), which must not happen before the restore.
 */
export async function reapplyErasures() {
	const { reapplyErasures: reapply } = await import('#app/modules/people/erasure.server.ts')
	const { closeDb } = await import('#app/utils/db.server.ts')
	try {
		const { entries, erasedAgain } = await reapply()
		console.log(`  erasure ledger: ${entries} erasure(s) on record, ${erasedAgain.length} person(s) the backup brought back erased again`)
	} finally {
		await closeDb()
	}
}
