/**
 * npm run bench:move [-- --residents=100000 --keep]
 *
 * The embedded → PostgreSQL path at scale (issue #19; figures in docs/benchmarks.md): generates a
 * province of N residents (scripts/bench/generate.ts: enrolments, ~20·N lesson completions,
 * certificates, basic-skills events and rollups that equal them) in a fresh PGlite folder, then runs
 * the real commands as an operator would, each in its own process: `db:backup` of the folder,
 * `db:move` into a fresh PostgreSQL database (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432,
 * database hvs_bench_move), `db:restore` of the backup into a second folder. Prints each one's time,
 * peak memory (GNU time's maximum resident set) and its verification; fails if one fails.
 * --keep keeps the folders and the database.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { flag, numberArg } from './args.ts'
import { generateProvince } from './generate.ts'

const RESIDENTS = numberArg('residents', 100_000)
const base = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432'
const dbName = 'hvs_bench_move'
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-bench-move-'))
const folder = path.join(dir, 'pglite')
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const timed = async <T>(label: string, fn: () => Promise<T>) => {
	const started = performance.now()
	const result = await fn()
	console.log(`  ${label.padEnd(58)} ${seconds(performance.now() - started)}`)
	return result
}

// 1. The schema and the catalogue, as the server makes them; then the province, set-based.
process.env.DATABASE_URL = `file:${folder}`
process.env.SEED_DEMO = '0'
const { closeDb } = await import('#app/utils/db.server.ts')
const { syncCatalogue } = await import('#app/modules/course/catalogue-sync.server.ts')
await syncCatalogue()
await closeDb()
const { openPglite } = await import('../db/lib.ts')
const db = await openPglite(folder)
const q = async (sql: string, params: unknown[] = []) =>
	params.length ? db.client.query<any>(sql, params) : ((await db.client.exec(sql)).at(-1) ?? { rows: [] })
const generated = performance.now()
await generateProvince(q, RESIDENTS, { province: '14', year: '2025', log: console.log, timed, memory: '256MB' })
await db.close()
console.log(`Generated ${RESIDENTS.toLocaleString('en')} residents in ${seconds(performance.now() - generated)}; folder ${size(folder)}\n`)

// 2. The commands, each in its own process.
const admin = new pg.Client({ connectionString: `${base}/postgres` })
await admin.connect()
await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)
await admin.query(`CREATE DATABASE "${dbName}"`)
const backupFile = path.join(dir, 'backup.tar.gz')
const results = [
	command('db:backup (embedded, server stopped)', ['scripts/db/backup.ts', backupFile], `file:${folder}`),
	command('db:move (embedded → PostgreSQL)', ['scripts/db/move.ts', `${base}/${dbName}`], `file:${folder}`),
	command('db:restore (embedded backup → new folder)', ['scripts/db/restore.ts', backupFile], `file:${path.join(dir, 'restored')}`),
]
console.log('\nSummary')
for (const r of results) console.log(`  ${r.label.padEnd(44)} ${seconds(r.ms).padStart(8)}  peak ${r.peakMb} MB  ${r.ok ? 'verified' : 'FAILED'}`)
console.log(`  backup file ${(fs.statSync(backupFile).size / 1024 / 1024).toFixed(0)} MB; ${os.cpus().length} cores, Node ${process.version}`)
if (!flag('keep')) {
	fs.rmSync(dir, { recursive: true, force: true })
	await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)
} else console.log(`kept: ${dir} and database ${dbName}`)
await admin.end()
process.exit(results.every((r) => r.ok) ? 0 : 1)

function command(label: string, args: string[], databaseUrl: string) {
	console.log(`$ DATABASE_URL=${databaseUrl} npx tsx ${args.join(' ')}`)
	const started = performance.now()
	// GNU time reports the peak memory of the process tree's largest process.
	const timeBin = fs.existsSync('/usr/bin/time')
	const argv = timeBin ? ['-f', 'PEAK_KB %M', 'npx', 'tsx', ...args] : ['tsx', ...args]
	const r = spawnSync(timeBin ? '/usr/bin/time' : 'npx', argv, {
		env: { ...process.env, DATABASE_URL: databaseUrl },
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	})
	const ms = performance.now() - started
	const out = `${r.stdout}${r.stderr}`
	process.stdout.write(out.replace(/^PEAK_KB.*\n?/m, '').replace(/^ {2}\S+: [\d,]+ rows \(.*\)\n/gm, ''))
	const peak = /PEAK_KB (\d+)/.exec(out)?.[1]
	return { label, ms, ok: r.status === 0, peakMb: peak ? Math.round(Number(peak) / 1024) : '?' }
}

function size(p: string): string {
	const walk = (f: string): number => {
		const s = fs.statSync(f)
		return s.isDirectory() ? fs.readdirSync(f).reduce((a, c) => a + walk(path.join(f, c)), 0) : s.size
	}
	return `${(walk(p) / 1024 / 1024).toFixed(0)} MB`
}
