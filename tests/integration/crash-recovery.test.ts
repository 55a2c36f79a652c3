import { spawn, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from 'vitest'

// PGlite only: the embedded database must survive a SIGKILL mid-write with every acknowledged
// write present and without manual repair of its folder.
test.skipIf(Boolean(process.env.TEST_DATABASE_URL))(
	'a SIGKILL while writing loses no committed data',
	async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-crash-'))
		const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: `file:${dir}/db`, NODE_ENV: 'test' }
		try {
			const acknowledged: string[] = []
			const child = spawn('npx', ['tsx', 'tests/fixtures/write-loop.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'], detached: true })
			let buffer = ''
			child.stdout.on('data', (chunk: Buffer) => {
				buffer += chunk.toString()
				const lines = buffer.split('\n')
				buffer = lines.pop()!
				acknowledged.push(...lines)
			})
			const deadline = Date.now() + 60_000
			while (acknowledged.length < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
			expect(acknowledged.length).toBeGreaterThanOrEqual(40)
			process.kill(-child.pid!, 'SIGKILL') // the whole group: npx, tsx and node
			await new Promise((r) => child.once('exit', r))

			// Reopen the same folder the way the server does, and look for every acknowledged write.
			const out = execFileSync('npx', ['tsx', 'tests/fixtures/count-phones.ts'], { env, encoding: 'utf8', timeout: 60_000 })
			const present = new Set(out.trim().split('\n'))
			const missing = acknowledged.filter((p) => !present.has(p))
			expect(missing).toEqual([])
		} finally {
			fs.rmSync(dir, { recursive: true, force: true })
		}
	},
	120_000,
)
