import { spawn } from 'node:child_process'
import { expect, test } from 'vitest'
import { PG_BASE } from './harness.ts'

/**
 * A short `npm run bench:load` in CI: the built server (two worker processes) on PostgreSQL under
 * concurrent page views and quiz submissions that complete lessons, courses and certificates,
 * with replays. It asserts correctness, never speed: every acknowledged write stored exactly once,
 * nothing stored that was never sent, no 5xx, the commune and province rollups equal to counts
 * from the raw tables, and the server stopping by itself on SIGTERM (it once hung there).
 * Both ways a phone sends a quiz. Bounded: about 20 s each, at most 60.
 */
test.each([
	['answered in place (/api/quiz)', 'in-place', 3831],
	['full-page form posts (no JavaScript)', 'page', 3832],
])(
	'quizzes %s: a short load loses and duplicates nothing, rollups equal the raw tables, the server stops cleanly',
	async (_name, mode, port) => {
		const args = [
			'tsx',
			'scripts/bench/load.ts',
			'--seconds=6',
			'--residents=60',
			'--connections=10',
			'--instances=2',
			`--port=${port}`,
			`--writes=${mode}`,
			'--json',
		]
		const child = spawn('npx', args, { env: { ...process.env, BENCH_PG_URL: PG_BASE }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
		let out = ''
		child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
		child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
		const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 60_000)
		const code = await new Promise<number | null>((r) => child.once('exit', r))
		clearTimeout(timer)
		const line = out.split('\n').find((l) => l.startsWith('RESULT '))
		expect(line, out.slice(-3000)).toBeDefined()
		const result = JSON.parse(line!.slice('RESULT '.length))
		console.log(
			out
				.split('\n')
				.filter((l) => !l.startsWith('RESULT '))
				.join('\n'),
		)
		expect(result.writes.mode).toBe(mode)
		expect(result.acknowledged).toBeGreaterThan(0)
		expect({ lost: result.lost, duplicated: result.duplicated, neverSent: result.unknown }).toEqual({ lost: 0, duplicated: 0, neverSent: 0 })
		expect(Object.keys(result.statuses).filter((s) => Number(s) >= 500)).toEqual([])
		expect(result.views!.non2xx + result.views!.errors).toBe(0)
		expect(result.rollups).toEqual(result.raw)
		expect(result.communeDrift).toBe(0)
		expect(result.cellDrift).toBe(0)
		expect(result.stoppedCleanly).toBe(true)
		expect(result.ok).toBe(true)
		expect(code).toBe(0)
	},
	90_000,
)
