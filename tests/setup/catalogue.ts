import fs from 'node:fs'
import path from 'node:path'
import { buildContent, CACHE_DIR } from '#app/modules/course/compile.server.ts'

// The app mirrors the compiled catalogue into Course/Lesson rows at start; tests do the same once
// per worker database (compiling the content first if nobody has).
const g = globalThis as unknown as { __hvsCatalogue?: boolean }
if (!g.__hvsCatalogue) {
	g.__hvsCatalogue = true
	if (!fs.existsSync(path.join(CACHE_DIR, 'manifest.json'))) await buildContent({ log: () => {} })
	const { syncCatalogue } = await import('#app/modules/course/catalogue-sync.server.ts')
	await syncCatalogue()
}
