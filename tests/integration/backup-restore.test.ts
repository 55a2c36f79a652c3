import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, expect, test } from 'vitest'
import { checkRollups, rollupsAgree } from '#app/modules/counting/rollup-check.server.ts'
import { folderHolder } from '#app/utils/db-control.server.ts'
import { openPglite, openPostgres } from '../../scripts/db/lib.ts'

/**
 * Backups that restore (issue #19), on the engine the suite runs on (PGlite by default, PostgreSQL
 * with TEST_DATABASE_URL): residents register, enrol and answer quizzes from four concurrent
 * writers; `npm run db:backup` runs while they continue (on PGlite through the control socket of
 * the writing process, which holds the folder); more writes follow; the backup is restored into a
 * new database with `npm run db:restore`. Every write acknowledged before the backup began is there
 * exactly once, the rollups equal the raw tables, both commands print a passed verification, a
 * resident erased after the backup (the erasure ledger file) is erased again by the restore, and a
 * restore into a database that is not empty is refused and changes nothing.
 */
const pgBase = process.env.TEST_DATABASE_URL && /^postgres/.test(process.env.TEST_DATABASE_URL) ? new URL(process.env.TEST_DATABASE_URL) : undefined
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-backup-'))
const created: string[] = []

afterAll(async () => {
	fs.rmSync(dir, { recursive: true, force: true })
	for (const name of created) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
})

test('a backup taken under load restores every write acknowledged before it began, exactly once, with rollups equal to the raw tables', async () => {
	const source = pgBase ? await createDatabase('src') : `file:${dir}/db`
	const restored = pgBase ? await createDatabase('dst') : `file:${dir}/restored`
	const file = path.join(dir, pgBase ? 'backup.dump' : 'backup.tar.gz')

	const writer = startWriter(source)
	try {
		await writer.until(() => writer.residents.length >= 12 && writer.attempts.length >= 8)
		// Acknowledged before the backup began.
		const residentsBefore = [...writer.residents]
		const attemptsBefore = [...writer.attempts]
		const backup = await cli(['scripts/db/backup.ts', file], source)
		expect(backup.code, backup.out).toBe(0)
		expect(backup.out).toMatch(/Verified\./)
		const afterBackup = writer.residents.length
		if (!pgBase) {
			// The folder is held by the writing process: a restore into it is refused, even with --force.
			const refused = await cli(['scripts/db/restore.ts', file, '--force'], source)
			expect(refused.code).toBe(1)
			expect(refused.out).toMatch(/stop the server first/)
		}
		// The writers kept going during the backup, and after it.
		expect(afterBackup).toBeGreaterThan(residentsBefore.length)
		await writer.until(() => writer.residents.length >= afterBackup + 5)
		await writer.stop()

		// Someone acknowledged before the backup was erased after it: the ledger file outside the
		// database says so, and the restore must not bring their personal data back.
		// npx exits before the node process it started has closed the folder: wait for its lock to go.
		for (let i = 0; !pgBase && (await folderHolder(source.slice('file:'.length))) && i < 200; i++) await new Promise((r) => setTimeout(r, 100))
		const source_ = pgBase ? await openPostgres(source) : await openPglite(source.slice('file:'.length))
		const [erased] = await source_.runner.query<{ id: string }>(`SELECT id FROM "User" WHERE phone = $1`, [residentsBefore[0]])
		const erasedAttempts = new Set(
			(await source_.runner.query<{ id: string }>(`SELECT "clientId" AS id FROM "QuizAttempt" WHERE "userId" = $1`, [erased!.id])).map((r) => r.id),
		)
		await source_.close()
		const ledger = path.join(dir, 'erasure-ledger.jsonl')
		fs.writeFileSync(ledger, `${JSON.stringify({ userId: erased!.id, erasedAt: new Date().toISOString(), via: 'SELF' })}\n`)

		const restore = await cli(['scripts/db/restore.ts', file], restored, { ERASURE_LEDGER_FILE: ledger })
		expect(restore.code, restore.out).toBe(0)
		expect(restore.out).toMatch(/✔ rows: .* each table as many as expected/)
		expect(restore.out).toMatch(/Verified\./)
		expect(restore.out).toMatch(/erasure ledger: 1 erasure\(s\) on record, 1 person\(s\) the backup brought back erased again/)

		const db = pgBase ? await openPostgres(restored) : await openPglite(restored.slice('file:'.length))
		try {
			const phones = await db.runner.query<{ phone: string; n: unknown }>(`SELECT phone, count(*) AS n FROM "User" WHERE phone LIKE '035%' GROUP BY phone`)
			const users = new Map(phones.map((r) => [r.phone, Number(r.n)]))
			// Every acknowledged resident exactly once, but the erased one without a phone any more.
			expect(residentsBefore.slice(1).filter((p) => users.get(p) !== 1)).toEqual([])
			expect(users.has(residentsBefore[0]!)).toBe(false)
			const [gone] = await db.runner.query<{ erasedAt: unknown }>(`SELECT "erasedAt" FROM "User" WHERE id = $1`, [erased!.id])
			expect(gone?.erasedAt).not.toBeNull()
			const attempts = await db.runner.query<{ id: string; n: unknown }>(`SELECT "clientId" AS id, count(*) AS n FROM "QuizAttempt" GROUP BY 1`)
			const stored = new Map(attempts.map((r) => [r.id, Number(r.n)]))
			// (The erased resident's attempts are erased with them.)
			expect(attemptsBefore.filter((id) => !erasedAttempts.has(id) && stored.get(id) !== 1)).toEqual([])
			const rollups = await checkRollups((sql, params) => db.runner.query(sql, params))
			expect(rollups.provinces.find((p) => p.provinceCode === '14')?.raw.registered).toBeGreaterThanOrEqual(residentsBefore.length)
			expect(rollupsAgree(rollups), JSON.stringify(rollups)).toBe(true)
			const count = async () => Number((await db.runner.query<{ n: unknown }>('SELECT count(*) AS n FROM "User"'))[0]?.n)
			const users1 = await count()
			if (!pgBase) await db.close()

			// Into a database that is not empty: refused, nothing changed.
			const again = await cli(['scripts/db/restore.ts', file], restored)
			expect(again.code).toBe(1)
			expect(again.out).toMatch(pgBase ? /already holds tables/ : /is not empty/)
			if (pgBase) expect(await count()).toBe(users1)
		} finally {
			await db.close().catch(() => {})
		}
	} finally {
		await writer.stop()
	}
}, 240_000)

function startWriter(databaseUrl: string) {
	const child: ChildProcess = spawn('npx', ['tsx', 'tests/fixtures/write-load.ts', '5'], {
		env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'test', WRITERS: '4' },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	})
	const residents: string[] = []
	const attempts: string[] = []
	let err = ''
	let rest = ''
	child.stdout!.on('data', (d: Buffer) => {
		const lines = (rest + d.toString()).split('\n')
		rest = lines.pop()!
		for (const line of lines) {
			if (line.startsWith('R ')) residents.push(line.slice(2))
			if (line.startsWith('Q ')) attempts.push(line.slice(2))
		}
	})
	child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
	let stopped: Promise<void> | undefined
	return {
		residents,
		attempts,
		async until(condition: () => boolean, timeoutMs = 90_000) {
			const deadline = Date.now() + timeoutMs
			while (!condition()) {
				if (child.exitCode !== null) throw new Error(`the writer exited: ${err}`)
				if (Date.now() > deadline) throw new Error(`the writer wrote too little: ${residents.length} residents; ${err}`)
				await new Promise((r) => setTimeout(r, 100))
			}
		},
		stop() {
			stopped ??= (async () => {
				if (child.exitCode !== null) return
				// The whole group (npx, tsx, node): node's database module stops cleanly on SIGTERM.
				const kill = (signal: NodeJS.Signals) => {
					try {
						process.kill(-child.pid!, signal)
					} catch {}
				}
				kill('SIGTERM')
				const timer = setTimeout(() => kill('SIGKILL'), 20_000)
				await exited
				clearTimeout(timer)
			})()
			return stopped
		},
	}
}

function cli(args: string[], databaseUrl: string, env: Record<string, string> = {}) {
	return new Promise<{ code: number | null; out: string }>((resolve) => {
		const child = spawn('npx', ['tsx', ...args], { env: { ...process.env, DATABASE_URL: databaseUrl, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
		let out = ''
		child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
		child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
		child.once('exit', (code) => resolve({ code, out }))
	})
}

async function admin(sql: string) {
	const url = new URL(pgBase!)
	url.pathname = '/postgres'
	const client = new pg.Client({ connectionString: url.toString() })
	await client.connect()
	try {
		await client.query(sql)
	} finally {
		await client.end()
	}
}

async function createDatabase(suffix: string) {
	const name = `${pgBase!.pathname.slice(1) || 'hvs_test'}_backup_${suffix}`
	await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
	await admin(`CREATE DATABASE "${name}"`)
	created.push(name)
	const url = new URL(pgBase!)
	url.pathname = `/${name}`
	return url.toString()
}
