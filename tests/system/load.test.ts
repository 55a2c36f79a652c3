import { spawn } from 'node:child_process'
import { expect, test } from 'vitest'
import { PG_BASE } from './harness.ts'

/**
 * A short `npm run bench:load` in CI (its mixed phase): the built server (two worker processes) on
 * PostgreSQL under concurrent signed-in page views and quiz submissions that complete lessons, courses and certificates,
 * with replays. It asserts correctness, never speed: every acknowledged write stored exactly once,
 * nothing stored that was never sent, no 5xx, the commune and province rollups equal to counts
 * from the raw tables, and the server stopping by itself on SIGTERM (it once hung there).
 * Both ways a phone sends a quiz. Bounded: about 20–45 s each (more on a busy machine), at most 120.
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
			'--phases=mixed',
			'--seconds=6',
			'--warmup=3',
			'--residents=60',
			'--mixed=5+5',
			'--mixed-instances=2',
			`--port=${port}`,
			`--writes=${mode}`,
			'--json',
		]
		const child = spawn('npx', args, { env: { ...process.env, BENCH_PG_URL: PG_BASE }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
		let out = ''
		child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
		child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
		const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 120_000)
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
		const [phase] = result.phases
		expect(phase.writes.mode).toBe(mode)
		expect(phase.writes.acknowledged).toBeGreaterThan(0)
		const { check } = phase
		expect({ lost: check.lost, duplicated: check.duplicated, neverSent: check.unknown }).toEqual({ lost: 0, duplicated: 0, neverSent: 0 })
		expect(Object.keys(phase.statuses).filter((s) => Number(s) >= 500)).toEqual([])
		// Signed-in residents read the lesson meanwhile (the default viewers of the mixed phase).
		expect(phase.views.who).toBe('residents')
		expect(phase.views.requests).toBeGreaterThan(0)
		expect(phase.views.non2xx + phase.views.errors).toBe(0)
		expect(check.rollups).toEqual(check.raw)
		expect(check.communeDrift).toBe(0)
		expect(check.cellDrift).toBe(0)
		expect(check.passed).toBe(true)
		expect(result.stoppedCleanly).toBe(true)
		expect(result.ok).toBe(true)
		expect(code).toBe(0)
	},
	150_000,
)
