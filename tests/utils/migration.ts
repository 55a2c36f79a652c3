import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll } from 'vitest'
import { applyMigrations, pgliteRunner, readMigrations, type SqlRunner } from '#app/utils/migrate.server.ts'

/**
 * For a test of one migration on a database that has data: a fresh PGlite with every migration
 * before `migration` applied (in `beforeAll`), closed after the file. Fill it through `runner`, then
 * apply the migration as a deployment would with `migrate()`.
 */
export function databaseJustBefore(migration: string) {
	const state: { db?: PGlite; runner?: SqlRunner } = {}
	beforeAll(async () => {
		state.db = new PGlite()
		state.runner = pgliteRunner(state.db)
		await applyMigrations(
			state.runner,
			readMigrations().filter((m) => m.name < migration),
		)
	}, 60_000)
	afterAll(async () => {
		await state.db?.close()
	})
	return {
		/** The runner of the database (only inside tests and hooks: it is made in `beforeAll`). */
		get runner(): SqlRunner {
			if (!state.runner) throw new Error('databaseJustBefore: use the runner inside a test or hook')
			return state.runner
		},
		/** Applies `migration` itself. */
		migrate: () =>
			applyMigrations(
				state.runner!,
				readMigrations().filter((m) => m.name === migration),
			),
	}
}
