/**
 * npm run db:restore -- <file> [--force]
 *
 * Restores a backup made by `npm run db:backup` into the database DATABASE_URL names, then
 * verifies it against the backup's manifest (rows per table, migrations) and the rollups against
 * the raw tables, and re-applies the erasure ledger (ADR 021).
 * - Only into an empty database: an embedded folder that does not exist or is empty, a PostgreSQL
 *   database without tables. `--force` replaces what is there: the embedded folder is moved aside
 *   (`<folder>.before-restore-<time>`, never deleted), the PostgreSQL schema `public` is dropped.
 * - The embedded folder must not be open (stop the server first); PostgreSQL can stay up, but stop
 *   the app instances: requests during a restore see a half-filled database.
 * - An embedded backup (.tar.gz) restores into either engine (into PostgreSQL through the same copy
 *   as db:move); a PostgreSQL backup (pg_dump) only into PostgreSQL.
 */
import fs from 'node:fs'
import path from 'node:path'
import { copyDatabase } from './copy.ts'
import {
	folderIsEmpty,
	holderOf,
	type Manifest,
	manifestPath,
	mb,
	openPglite,
	openPgliteArchive,
	openPostgres,
	postgresIsEmpty,
	reapplyErasures,
	resolveTarget,
	run,
	seconds,
	sha256,
	verify,
} from './lib.ts'

const started = Date.now()
const args = process.argv.slice(2)
const force = args.includes('--force')
const given = args.find((a) => !a.startsWith('--'))
if (!given) fail('Usage: npm run db:restore -- <backup file> [--force]')
const file = path.resolve(given)
if (!fs.existsSync(file)) fail(`${file} does not exist.`)
const head = Buffer.alloc(5)
const fd = fs.openSync(file, 'r')
fs.readSync(fd, head, 0, 5, 0)
fs.closeSync(fd)
const format = head.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b])) ? 'pglite' : head.toString('latin1') === 'PGDMP' ? 'postgres' : undefined
if (!format) fail(`${file} is neither an embedded backup (.tar.gz) nor a pg_dump custom-format file.`)

let manifest: Manifest | undefined
if (fs.existsSync(manifestPath(file))) {
	manifest = JSON.parse(fs.readFileSync(manifestPath(file), 'utf8')) as Manifest
	if (manifest.sha256 !== sha256(file))
		fail(`${file} does not match its manifest (checksum differs): the file is damaged or not the one the manifest describes.`)
} else {
	console.log(`! no manifest (${path.basename(manifestPath(file))}): the row counts cannot be compared with the backup's`)
}

const target = resolveTarget()
console.log(
	`Restoring ${file} (${mb(fs.statSync(file).size)}, ${format === 'pglite' ? 'embedded' : 'pg_dump'} backup${manifest ? ` of ${manifest.createdAt}` : ''})`,
)
console.log(`  into the ${target.kind === 'pglite' ? 'embedded database' : 'PostgreSQL database'} at ${target.location}`)

let ok = false
try {
	if (target.kind === 'pglite') {
		if (format !== 'pglite')
			fail('A pg_dump backup restores into PostgreSQL only: set DATABASE_URL=postgres://… (then the server uses that database), or restore an embedded backup.')
		const holder = await holderOf(target.dataDir)
		if (holder) fail(`The embedded database is open in ${holder.pid ? `process ${holder.pid}` : 'another process'}: stop the server first.`)
		if (!folderIsEmpty(target.dataDir)) {
			if (!force) fail(`${target.dataDir} is not empty: restore into an empty folder (DATABASE_URL=file:<new folder>), or add --force to replace it.`)
			const aside = `${target.dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}`
			fs.renameSync(target.dataDir, aside)
			console.log(`  --force: the current folder was moved to ${aside} (delete it once the restore is checked)`)
		}
		const db = await openPglite(target.dataDir, { loadDataDir: new Blob([fs.readFileSync(file)]) })
		try {
			console.log(`  unpacked in ${seconds(Date.now() - started)}`)
			ok = (await verify(db.runner, manifest)).ok
		} finally {
			await db.close()
		}
	} else {
		const db = await openPostgres(target.url)
		try {
			if (!(await postgresIsEmpty(db.runner))) {
				if (!force) fail(`${target.location} already holds tables: restore into an empty database (createdb), or add --force to replace its contents.`)
				await db.client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public')
				console.log('  --force: the schema public was dropped and created again')
			}
			if (format === 'postgres') {
				const tables = manifest ? Object.keys(manifest.counts).length : 0
				let done = 0
				await run('pg_restore', ['--no-owner', '--no-acl', '--exit-on-error', '--single-transaction', '--verbose', `--dbname=${target.url}`, file], (line) => {
					const table = /processing data for table "?public\.([^"\s]+)/.exec(line)?.[1]?.replace(/"/g, '')
					if (table) console.log(`  ${++done}${tables ? `/${tables + 1}` : ''} ${table}`)
				})
			} else {
				// An embedded backup into PostgreSQL: opened in memory, copied like db:move.
				const source = await openPgliteArchive(file)
				try {
					await copyDatabase(source, db)
				} finally {
					await source.close()
				}
			}
			console.log(`  restored in ${seconds(Date.now() - started)}`)
			ok = (await verify(db.runner, manifest)).ok
		} finally {
			await db.close()
		}
	}
	await reapplyErasures()
} catch (error) {
	fail((error as Error).message)
}
console.log(
	ok
		? `Restore finished in ${seconds(Date.now() - started)}.`
		: 'Restore finished, but the verification FAILED: do not start the server on it before finding out why.',
)
process.exit(ok ? 0 : 1)

function fail(message: string): never {
	console.error(`✖ ${message}`)
	process.exit(1)
}
