/**
 * npm test — every test, in the order that fails fastest:
 * content check → typecheck → lint and layer rules (Biome, dependency-cruiser) → Vitest (unit + integration on a fresh PGlite per worker) → build →
 * Playwright end-to-end tests in Debian's Chromium against the built server.
 * Installs Debian's Chromium and Java (the Nu HTML Checker's, run by tests/e2e/render-all.spec.ts
 * over every page type) first when they are missing and we may (root with apt-get).
 */
import { execSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

function ensureChromium() {
	if (fs.existsSync(chromium)) return
	const canInstall = process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get')
	if (!canInstall) {
		console.error(
			`\nThe end-to-end tests need Debian's Chromium at ${chromium}, and it is missing.\n` +
				'Install it with:\n\n    sudo apt-get update && sudo apt-get install -y chromium\n\n' +
				'(or set CHROMIUM_PATH to another Chromium binary), then run `npm test` again.\n',
		)
		process.exit(1)
	}
	console.log('Installing Debian’s Chromium for the end-to-end tests…')
	execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' })
}

function ensureJava() {
	if (spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0) return
	const canInstall = process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get')
	if (!canInstall) {
		console.error(
			'\nThe end-to-end tests run the Nu HTML Checker (vnu-jar), which needs Java, and it is missing.\n' +
				'Install it with:\n\n    sudo apt-get update && sudo apt-get install -y default-jre-headless\n\n' +
				'then run `npm test` again.\n',
		)
		process.exit(1)
	}
	console.log('Installing Debian’s Java for the Nu HTML Checker…')
	execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless', { stdio: 'inherit' })
}

const steps: [string, string[]][] = [
	['content check', ['npm', 'run', '--silent', 'content:check']],
	['content build', ['npm', 'run', '--silent', 'content:build']],
	['typecheck', ['npm', 'run', '--silent', 'typecheck']],
	['lint and layer rules', ['npm', 'run', '--silent', 'lint']],
	['unit and integration tests', ['npx', 'vitest', 'run']],
	['build', ['npm', 'run', '--silent', 'build']],
	['end-to-end tests', ['npx', 'playwright', 'test']],
]

ensureChromium()
ensureJava()
const only = process.argv.slice(2)
for (const [name, [cmd, ...args]] of steps) {
	if (only.length && !only.some((o) => name.includes(o))) continue
	if (name === 'content check' && !fs.existsSync('scripts/content-check.ts')) continue
	console.log(`\n▶ ${name}`)
	const started = Date.now()
	const result = spawnSync(cmd!, args, { stdio: 'inherit', env: { ...process.env, CI: process.env.CI ?? '1' } })
	if (result.status !== 0) {
		console.error(`\n✖ ${name} failed (exit ${result.status ?? result.signal}).`)
		process.exit(result.status || 1)
	}
	console.log(`✔ ${name} (${((Date.now() - started) / 1000).toFixed(0)} s)`)
}
console.log('\nAll tests passed.')
