/**
 * npm run bench:startup — cold start of the built server on a fresh and on an existing embedded
 * PGlite folder (time to the first 200 from /resources/healthcheck), and its memory (RSS) at idle.
 * Needs `npm run build` first. Prints figures; asserts nothing.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const port = Number(process.env.BENCH_PORT ?? 3290)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-bench-'))

async function run(label: string) {
	const started = performance.now()
	const child = spawn(process.execPath, ['build/server.js'], {
		env: {
			...process.env,
			PORT: String(port),
			APP_ORIGIN: `http://127.0.0.1:${port}`,
			DATABASE_URL: `file:${dir}/db`,
			NODE_ENV: 'production',
			LOG_REQUESTS: '0',
		},
		stdio: ['ignore', 'ignore', 'inherit'],
	})
	let firstOk = 0
	while (!firstOk) {
		try {
			const r = await fetch(`http://127.0.0.1:${port}/resources/healthcheck`)
			if (r.ok) firstOk = performance.now() - started
		} catch {
			await new Promise((r) => setTimeout(r, 25))
		}
		if (performance.now() - started > 120_000) throw new Error('server did not start in 120 s')
	}
	await fetch(`http://127.0.0.1:${port}/`)
	await new Promise((r) => setTimeout(r, 3_000))
	const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8')
	const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
	child.kill('SIGTERM')
	await new Promise((r) => child.once('exit', r))
	console.log(`${label.padEnd(28)} first 200 after ${(firstOk / 1000).toFixed(2)} s   idle RSS ${(rssKb / 1024).toFixed(0)} MB`)
}

console.log(`Node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`)
await run('fresh PGlite folder')
await run('existing PGlite folder')
fs.rmSync(dir, { recursive: true, force: true })
