import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, test } from 'vitest'

/**
 * Issue #16: an administrator's secret is reset only from the server's shell (`npm run admin:reset`);
 * no page can (the matrix and app/modules/people/staff.test.ts prove the pages refuse). This runs the
 * command itself on an embedded database of its own, as an operator would.
 */
const run = promisify(execFile)
let dir = ''
const envFor = () => ({ ...process.env, DATABASE_URL: `file:${path.join(dir, 'db')}`, SEED_DEMO: '0', VITEST: '' })
const tsx = (args: string[]) =>
	run(process.execPath, ['--import', 'tsx', ...args], { cwd: process.cwd(), env: envFor() }).catch((e) => e as { stdout: string; stderr: string; code: number })

beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'hvs-admin-reset-'))
	// An administrator with a password and a session, written by the app's own database module.
	await writeFile(
		path.join(dir, 'seed.mts'),
		`const { prisma, closeDb } = await import(${JSON.stringify(path.join(process.cwd(), 'app/utils/db.server.ts'))})
const user = await prisma.user.create({ data: { fullName: 'Quản Trị', phone: '0912999000', credentialKind: 'PASSWORD', passwordHash: 'x', roles: { create: { role: 'ADMIN' } } } })
await prisma.session.create({ data: { id: 'admin-reset-test', userId: user.id, expiresAt: new Date(Date.now() + 3600_000) } })
await closeDb()`,
	)
	await writeFile(
		path.join(dir, 'check.mts'),
		`const { prisma, closeDb } = await import(${JSON.stringify(path.join(process.cwd(), 'app/utils/db.server.ts'))})
const user = await prisma.user.findUniqueOrThrow({ where: { phone: '0912999000' }, select: { id: true } })
console.log(JSON.stringify({ codes: await prisma.setupCode.count({ where: { userId: user.id, purpose: 'RESET', usedAt: null } }), sessions: await prisma.session.count({ where: { userId: user.id } }) }))
await closeDb()`,
	)
	const seeded = await tsx([path.join(dir, 'seed.mts')])
	expect(seeded).not.toHaveProperty('code')
}, 120_000)

afterAll(async () => {
	if (dir) await rm(dir, { recursive: true, force: true })
})

test('npm run admin:reset prints a one-time setup code for the administrator and ends their sessions', async () => {
	const { stdout } = (await tsx(['scripts/admin-reset.ts', '0912 999 000'])) as { stdout: string }
	expect(stdout).toMatch(/Secret of Quản Trị \(ADMIN\) reset; every session ended\./)
	expect(stdout).toMatch(/Setup code: [A-Z0-9]{5}-[A-Z0-9]{5} \(single use, until .*\); enter it at \/setup with phone 0912999000\./)
	const checked = (await tsx([path.join(dir, 'check.mts')])) as { stdout: string }
	expect(JSON.parse(checked.stdout.trim().split('\n').at(-1)!)).toEqual({ codes: 1, sessions: 0 })
}, 120_000)

test('an unknown phone or none: a message and a failing exit code, nothing changed', async () => {
	const unknown = (await tsx(['scripts/admin-reset.ts', '0912999001'])) as { stderr: string; code: number }
	expect(unknown.code).toBe(1)
	expect(unknown.stderr).toMatch(/No account has the phone 0912999001/)
	const none = (await tsx(['scripts/admin-reset.ts'])) as { stderr: string; code: number }
	expect(none.code).toBe(2)
	expect(none.stderr).toMatch(/Usage: npm run admin:reset/)
}, 120_000)
