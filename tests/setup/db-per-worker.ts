import pg from 'pg'

/**
 * Gives each Vitest worker its own empty database before app modules open it:
 * - default: an in-memory PGlite (DATABASE_URL=memory://);
 * - TEST_DATABASE_URL=postgres://…/name: a throwaway database name_w<worker> on that server,
 *   dropped and recreated at the start of the run.
 */
const g = globalThis as unknown as { __hvsTestDbReady?: boolean }
if (!g.__hvsTestDbReady) {
	g.__hvsTestDbReady = true
	const base = process.env.TEST_DATABASE_URL
	if (base && /^postgres/.test(base)) {
		const url = new URL(base)
		const name = `${url.pathname.slice(1) || 'hvs_test'}_w${process.env.VITEST_POOL_ID ?? '1'}`
		const admin = new URL(base)
		admin.pathname = '/postgres'
		const client = new pg.Client({ connectionString: admin.toString() })
		await client.connect()
		await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
		await client.query(`CREATE DATABASE "${name}"`)
		await client.end()
		url.pathname = `/${name}`
		process.env.DATABASE_URL = url.toString()
	} else {
		process.env.DATABASE_URL = 'memory://'
	}
}
