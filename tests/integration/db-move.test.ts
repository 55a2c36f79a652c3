import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, expect, test } from 'vitest'
import { checkRollups, rollupsAgree } from '#app/modules/counting/rollup-check.server.ts'
import { DEMO_LOGINS } from '../../prisma/seed/demo-logins.ts'
import { inventory, openPglite, openPostgres } from '../../scripts/db/lib.ts'

/**
 * `npm run db:move` (issue #19) on the demo data: an embedded folder seeded by the demo seed (fewer
 * generated residents, to stay fast) is copied into an empty PostgreSQL database; the command
 * verifies rows, content and rollups and prints the settings to use next; the copy holds every
 * row of every table, the demo logins, and continues the sequences; a second move into the now
 * filled database is refused. Runs with TEST_DATABASE_URL (the PostgreSQL pass of CI).
 */
const pgBase = process.env.TEST_DATABASE_URL && /^postgres/.test(process.env.TEST_DATABASE_URL) ? new URL(process.env.TEST_DATABASE_URL) : undefined
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-move-'))
const name = `${pgBase?.pathname.slice(1) || 'hvs_test'}_move`

afterAll(async () => {
	fs.rmSync(dir, { recursive: true, force: true })
	if (pgBase) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
})

test.skipIf(!pgBase)(
	'db:move copies the embedded demo database into an empty PostgreSQL database, verified, and refuses a database that is not empty',
	async () => {
		const folder = `file:${dir}/db`
		const seeded = await cli(['tests/fixtures/seed-demo.ts', '40'], folder)
		expect(seeded.code, seeded.out).toBe(0)
		// As if 41 audit entries had been written: the copy's sequence must continue after them.
		const folderDb = await openPglite(`${dir}/db`)
		await folderDb.runner.query(`SELECT setval('"AuditLog_id_seq"', 41)`)
		await folderDb.close()
		await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
		await admin(`CREATE DATABASE "${name}"`)
		const url = new URL(pgBase!)
		url.pathname = `/${name}`

		const move = await cli(['scripts/db/move.ts', url.toString()], folder)
		expect(move.code, move.out).toBe(0)
		expect(move.out).toMatch(/✔ rows: .* each table as many as expected/)
		expect(move.out).toMatch(/✔ content: every table holds the same rows/)
		expect(move.out).toMatch(/Verified\./)
		expect(move.out).toContain(`DATABASE_URL=${url.toString()}`)
		expect(move.out).toMatch(/peak memory/)

		const source = await openPglite(`${dir}/db`)
		const expected = await inventory(source.runner)
		await source.close()
		const target = await openPostgres(url.toString())
		try {
			expect(await inventory(target.runner)).toEqual(expected)
			expect(expected.counts.User).toBeGreaterThan(40)
			const phones = (await target.runner.query<{ phone: string }>('SELECT phone FROM "User"')).map((r) => r.phone)
			expect(phones).toContain(DEMO_LOGINS.staffToHieu.phone)
			expect(rollupsAgree(await checkRollups((sql, params) => target.runner.query(sql, params)))).toBe(true)
			// The next audit entry gets the id the folder would have given it.
			const [next] = await target.runner.query<{ id: string }>(`SELECT nextval('"AuditLog_id_seq"')::text AS id`)
			expect(next?.id).toBe('42')
		} finally {
			await target.close()
		}

		const again = await cli(['scripts/db/move.ts', url.toString()], folder)
		expect(again.code).toBe(1)
		expect(again.out).toMatch(/already holds tables/)
	},
	240_000,
)

function cli(args: string[], databaseUrl: string) {
	return new Promise<{ code: number | null; out: string }>((resolve) => {
		const child = spawn('npx', ['tsx', ...args], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'] })
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
