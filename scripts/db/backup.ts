/**
 * npm run db:backup [-- <file>]
 *
 * A consistent snapshot of the database DATABASE_URL names, taken while the server keeps serving
 * (ADR 021), then verified: opened again, its rows counted per table, its migrations listed and its
 * rollups compared with its raw tables. What it holds is written beside it (`<file>.manifest.json`),
 * which `npm run db:restore` compares the restored database with.
 * - Embedded (PGlite): PGlite's own dump, a gzip tarball of the folder (`.tar.gz`), made by the
 *   process holding the folder (asked through its control socket), or by this one if none does.
 * - PostgreSQL: `pg_dump` custom format (`.dump`, Debian's postgresql-client), in the same snapshot
 *   as the counts (an exported snapshot).
 * Default file: backups/hvs-<engine>-<UTC time>.<ext>. Exit code 1 if the verification fails.
 */
import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { snapshotFolder } from '#app/utils/db-control.server.ts'
import {
	backupThroughSocket,
	holderOf,
	type Inventory,
	inventory,
	type Manifest,
	manifestPath,
	mb,
	openPglite,
	openPgliteArchive,
	openPostgres,
	resolveTarget,
	run,
	seconds,
	sha256,
	verify,
} from './lib.ts'

const started = Date.now()
const target = resolveTarget()
const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)
const file = path.resolve(
	process.argv.slice(2).find((a) => !a.startsWith('--')) ?? `backups/hvs-${target.kind}-${stamp}.${target.kind === 'pglite' ? 'tar.gz' : 'dump'}`,
)
fs.mkdirSync(path.dirname(file), { recursive: true })
if (fs.existsSync(file)) fail(`${file} already exists: choose another name (a backup is never overwritten).`)
console.log(`Backing up the ${target.kind === 'pglite' ? 'embedded database' : 'PostgreSQL database'} at ${target.location}\n  to ${file}`)

let held: Inventory
let ok: boolean
try {
	if (target.kind === 'pglite') {
		const holder = await holderOf(target.dataDir)
		if (holder) {
			console.log(`  the folder is open in ${holder.pid ? `process ${holder.pid}` : 'another process'}: asking it for a snapshot (it keeps serving)`)
			await backupThroughSocket(target.dataDir, file)
		} else {
			console.log('  no process has the folder open: reading it directly')
			const db = await openPglite(target.dataDir)
			try {
				await pipeline(await snapshotFolder(db.client, target.dataDir), fs.createWriteStream(file, { mode: 0o600 }))
			} finally {
				await db.close()
			}
		}
		console.log(`  snapshot written: ${mb(fs.statSync(file).size)} after ${seconds(Date.now() - started)}; opening it to verify`)
		// What the backup holds is read from the backup itself, opened as a database of its own.
		const copy = await openPgliteArchive(file)
		try {
			held = await inventory(copy.runner)
			ok = (await verify(copy.runner, held)).ok
		} finally {
			await copy.close()
		}
	} else {
		// Counts and pg_dump in one snapshot: this transaction exports it, pg_dump adopts it.
		const db = await openPostgres(target.url)
		try {
			await db.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
			const [{ snapshot }] = (await db.client.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot')).rows as [{ snapshot: string }]
			held = await inventory(db.runner)
			const tables = Object.keys(held.counts).length
			let dumped = 0
			await run('pg_dump', ['--format=custom', '--no-owner', '--no-acl', '--verbose', `--snapshot=${snapshot}`, `--file=${file}`, target.url], (line) => {
				const table = /dumping contents of table "?public\.([^"\s]+)/.exec(line)?.[1]
				if (table) console.log(`  ${++dumped}/${tables} ${table.replace(/"/g, '')} (${(held.counts[table.replace(/"/g, '')] ?? 0).toLocaleString('en')} rows)`)
			})
			fs.chmodSync(file, 0o600)
			ok = (await verify(db.runner, held)).ok
			await db.client.query('COMMIT')
		} finally {
			await db.close()
		}
	}
} catch (error) {
	fs.rmSync(file, { force: true })
	fail((error as Error).message)
}

const manifest: Manifest = {
	format: 'hvs-backup/1',
	engine: target.kind,
	createdAt: new Date(started).toISOString(),
	source: target.location,
	bytes: fs.statSync(file).size,
	sha256: sha256(file),
	...held,
}
fs.writeFileSync(manifestPath(file), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 })
console.log(`${ok ? 'Backup written' : 'Backup written but NOT verified'}: ${file} (${mb(manifest.bytes)}) in ${seconds(Date.now() - started)}`)
console.log(`  manifest: ${manifestPath(file)}\n  restore with: npm run db:restore -- ${file}`)
process.exit(ok ? 0 : 1)

function fail(message: string): never {
	console.error(`✖ ${message}`)
	process.exit(1)
}
