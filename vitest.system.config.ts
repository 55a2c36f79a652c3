import { defineConfig } from 'vitest/config'

// System tests: the built server as real processes, on PostgreSQL, behind nginx. `npm run test:system`.
export default defineConfig({
	test: {
		include: ['tests/system/**/*.test.ts'],
		pool: 'forks',
		fileParallelism: false,
		testTimeout: 180_000,
		hookTimeout: 180_000,
	},
})
