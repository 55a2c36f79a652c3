/**
 * npm run db:move -- postgres://user:password@host:5432/database [--force]
 *
 * Copies the embedded database (DATABASE_URL=file:<folder>, default ./data/pglite) into an empty
 * PostgreSQL database: the schema through the same migrations the server applies, the data table by
 * table in foreign-key order in one transaction, the sequences; then compares the row counts of
 * every table on both sides, checks the rollups against the raw tables, and prints the settings to
 * use next (README, "Outgrowing one machine"; ADR 021). The server must be stopped: writes made
 * after the copy would stay behind in the folder. The folder is left untouched.
 * `--force` empties a PostgreSQL database that already holds tables first (schema public dropped).
 */
import { copyDatabase } from './copy.ts'
import { differingTables, holderOf, inventory, mb, openPglite, openPostgres, postgresIsEmpty, resolveTarget, seconds, verify } from './lib.ts'

const started = Date.now()
const args = process.argv.slice(2)
const force = args.includes('--force')
const url = args.find((a) => !a.startsWith('--'))
if (!url || !/^postgres(ql)?:\/\//.test(url)) fail('Usage: npm run db:move -- postgres://user:password@host:5432/database [--force]')
const source = resolveTarget()
if (source.kind !== 'pglite') fail('DATABASE_URL already names a PostgreSQL database: db:move copies an embedded (PGlite) folder.')
const target = resolveTarget(url)
console.log(`Moving the embedded database at ${source.location}\n  into PostgreSQL at ${target.location}`)

let ok = false
try {
	const holder = await holderOf(source.dataDir)
	if (holder)
		fail(
			`The embedded database is open in ${holder.pid ? `process ${holder.pid}` : 'another process'}: stop the server first (writes after the copy would be left behind).`,
		)
	const from = await openPglite(source.dataDir)
	const to = await openPostgres(url)
	try {
		if (!(await postgresIsEmpty(to.runner))) {
			if (!force) fail(`${target.location} already holds tables: move into an empty database (createdb), or add --force to replace its contents.`)
			await to.client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public')
			console.log('  --force: the schema public was dropped and created again')
		}
		await copyDatabase(from, to)
		// The copy is compared with the folder as it is now (migrated to this version, read again).
		const expected = await inventory(from.runner)
		ok = (await verify(to.runner, expected)).ok
		// Not only as many rows: the same rows, column for column (each table's rows as text, hashed).
		const differ = await differingTables(from.runner, to.runner)
		console.log(differ.length ? `  ✖ content differs in ${differ.join(', ')}` : '  ✔ content: every table holds the same rows, column for column')
		ok &&= differ.length === 0
	} finally {
		await to.close()
		await from.close()
	}
} catch (error) {
	fail((error as Error).message)
}
console.log(`Took ${seconds(Date.now() - started)}; peak memory of this process ${mb(process.resourceUsage().maxRSS * 1024)}.`)
if (!ok) fail('The copy differs from the embedded database: do not switch to it before finding out why.')
const shown = new URL(url)
if (shown.password) shown.password = '***'
console.log(`
Moved. Settings to use next (then start the server as usual):
  DATABASE_URL=${shown.toString()}
  SEED_DEMO=0               # never seed demo data into the moved database
  DATABASE_POOL_SIZE=10     # connections per process; with several instances keep the total under PostgreSQL's max_connections
  WEB_CONCURRENCY=2         # optional: worker processes on this machine (PostgreSQL only)
Keep ${source.location} until the server has run on PostgreSQL for a while; then archive it
(npm run db:backup with the old DATABASE_URL) and remove it. README: "Outgrowing one machine".`)

function fail(message: string): never {
	console.error(`✖ ${message}`)
	process.exit(1)
}
