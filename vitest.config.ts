import { defineConfig } from 'vitest/config'

// Kept apart from vite.config.ts so the Remix plugin does not load under Vitest.
export default defineConfig({
	// #app/* and #tests/* are package.json `imports` (Node's subpath imports), which Vite resolves itself.
	test: {
		include: ['app/**/*.test.{ts,tsx}', 'tests/integration/**/*.test.ts', 'scripts/**/*.test.ts'],
		setupFiles: ['./tests/setup/db-per-worker.ts', './tests/setup/catalogue.ts'],
		// One database per worker, shared by that worker's files: a fresh PGlite takes seconds to start.
		pool: 'forks',
		isolate: false,
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// SECURITY_CONTACT: so /.well-known/security.txt is served (it is a 404 while unset).
		env: { NODE_ENV: 'test', TZ: 'Asia/Ho_Chi_Minh', APP_ORIGIN: 'http://localhost', SECURITY_CONTACT: 'security@example.gov.vn' },
	},
})
