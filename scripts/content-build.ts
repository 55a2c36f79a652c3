/** npm run content:build — compiles content/courses into .cache/content (see app/modules/course/compile.server.ts). */
import { buildContent, ContentError } from '#app/modules/course/compile.server.ts'

try {
	await buildContent()
} catch (error) {
	if (error instanceof ContentError) {
		console.error(`\n✖ Content build failed: ${error.message}\n`)
		process.exit(1)
	}
	throw error
}
