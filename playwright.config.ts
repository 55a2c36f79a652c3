import { defineConfig, devices } from '@playwright/test'
import { E2E_DATA_DIR as dataDir, E2E_SESSIONS_FILE } from './tests/e2e/server-data.ts'

const port = Number(process.env.E2E_PORT ?? 3100)
/** The loopback OpenID provider standing in for VNeID (tests/fixtures/oidc-provider.ts). */
export const OIDC_PORT = port + 99

export default defineConfig({
	testDir: './tests/e2e',
	timeout: 60_000,
	expect: { timeout: 10_000 },
	fullyParallel: false,
	workers: 1,
	retries: 0,
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		baseURL: `http://localhost:${port}`,
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
		},
	},
	projects: [
		// The residents' phones: a 360 px wide Android screen.
		{ name: 'phone', use: { ...devices['Pixel 5'], viewport: { width: 360, height: 740 }, defaultBrowserType: 'chromium' } },
	],
	webServer: {
		// A fresh embedded database for every run, seeded with the documented demo data, and sessions of
		// the demo logins for the `login` fixture (tests/e2e/fixtures.ts), made before the server holds it.
		command: `rm -rf ${dataDir} ${dataDir}-erasure-ledger.jsonl ${E2E_SESSIONS_FILE} && npx tsx prisma/seed/index.ts && npx tsx tests/e2e/mint-sessions.ts && node build/server.js`,
		url: `http://localhost:${port}/resources/healthcheck`,
		reuseExistingServer: false,
		timeout: 240_000,
		env: {
			PORT: String(port),
			APP_ORIGIN: `http://localhost:${port}`,
			DATABASE_URL: `file:${dataDir}`,
			NODE_ENV: 'production',
			SEED_DEMO: '1',
			ERASURE_LEDGER_FILE: `${dataDir}-erasure-ledger.jsonl`,
			LOG_REQUESTS: '0',
			VNEID_ISSUER: `http://localhost:${OIDC_PORT}`,
			VNEID_CLIENT_ID: 'hocvuso-test',
			VNEID_CLIENT_SECRET: 'test-secret-not-for-production',
			...(process.env.E2E_ENV ? JSON.parse(process.env.E2E_ENV) : {}),
		},
		stdout: 'ignore',
		stderr: 'pipe',
	},
})
