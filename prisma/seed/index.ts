/**
 * Demo data for Sơn La (documented logins in README.md). Runs only when the database has no users,
 * and only through the domain functions, so the rollups agree with the raw tables.
 * Skipped when SEED_DEMO=0 (production on PostgreSQL sets it).
 */
import { prisma, closeDb, dbInfo } from '#app/utils/db.server.ts'
import { syncCatalogue } from '#app/modules/course/catalogue-sync.server.ts'
import { seedDemo } from './demo.ts'
import { env } from '#app/utils/env.server.ts'

try {
	await syncCatalogue()
	if (env.SEED_DEMO === '0') {
		console.log('SEED_DEMO=0: demo data not created.')
	} else if ((await prisma.user.count()) > 0) {
		console.log(`Demo data already present in ${dbInfo.kind} (${dbInfo.location}); nothing to do.`)
	} else {
		const started = Date.now()
		const summary = await seedDemo()
		console.log(`Seeded demo data in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(summary)}`)
	}
} finally {
	await closeDb()
}
