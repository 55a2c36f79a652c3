import { spawnSync } from 'node:child_process'
import { expect, test } from 'vitest'

// The load check, bounded for CI: residents read lessons and submit quizzes concurrently for a
// few seconds against the built server on PostgreSQL. The script exits 1 when an acknowledged
// write is lost or duplicated or the rollups drift from the raw tables; speed is only printed.
test('under load no acknowledged write is lost or duplicated and the figures agree', () => {
	const run = spawnSync('npx', ['tsx', 'scripts/bench-load.ts', '--seconds=5', '--residents=60', '--connections=16', '--port=3831'], { encoding: 'utf8', timeout: 150_000 })
	console.log(run.stdout)
	expect(run.stdout).toMatch(/lost: 0 {3}duplicated: 0 {3}stored but never sent: 0/)
	expect(run.stdout).toContain('✔ no acknowledged write lost or duplicated')
	expect(run.status, run.stderr).toBe(0)
})
