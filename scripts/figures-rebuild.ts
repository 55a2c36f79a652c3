/**
 * `npm run figures:rebuild`: rebuilds the indicator rollups from the raw tables with today's rules
 * (app/modules/counting/rebuild.server.ts, ADR 015), once, for a database written before them. The
 * server may keep running: learning writes wait for it and are counted once.
 */
import { rebuildFigures } from '#app/modules/counting/rebuild.server.ts'
import { closeDb, dbInfo } from '#app/utils/db.server.ts'

try {
	const started = Date.now()
	const result = await rebuildFigures()
	console.log(
		`Rebuilt the figures of ${result.residents} residents in ${dbInfo.kind} (${dbInfo.location}) in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
			`${result.courses} course completion dates and ${result.basicSkills} basic-skills dates corrected.`,
	)
} finally {
	await closeDb()
}
