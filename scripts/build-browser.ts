/**
 * The page scripts (app/browser/<name>.ts → /<name>.js): each bundled on its own by esbuild with the
 * modules it imports (app/kernel), minified, for the phones' browsers. Pages load them by their
 * plain URL with <script src="/<name>.js" defer>; the service worker precaches them with a content
 * hash, and server.js serves them with a short max-age. Built by scripts/build-pwa.ts into
 * build/client (never into public/: they are build output), and served by the Vite dev server
 * straight from the source (vite.config.ts).
 */
import path from 'node:path'
import { build, type BuildOptions } from 'esbuild'

/** The scripts pages load: app/browser/<name>.ts, served as /<name>.js. The other files there are modules they import. */
export const pageScripts = ['lesson', 'offline', 'save-offline', 'commune-picker', 'print', 'certificate', 'secret-field', 'narrate'] as const

/** The same browsers as the React bundles (vite.config.ts `build.target`): the old Android WebViews residents have. */
export const browserTarget = 'es2020'

const options = {
	bundle: true,
	format: 'iife',
	target: browserTarget,
	minify: true,
	legalComments: 'none',
	logLevel: 'warning',
} satisfies BuildOptions

/** Builds every page script into `outdir` (build/client). */
export async function buildPageScripts(outdir: string) {
	await build({ ...options, entryPoints: pageScripts.map((name) => ({ in: `app/browser/${name}.ts`, out: name })), outdir })
}

/** One page script, for the dev server: `/lesson.js` → its bundled code; null for any other path. */
export async function bundlePageScript(urlPath: string): Promise<string | null> {
	const name = pageScripts.find((n) => urlPath === `/${n}.js`)
	if (!name) return null
	const result = await build({ ...options, minify: false, sourcemap: 'inline', entryPoints: [path.resolve(`app/browser/${name}.ts`)], write: false })
	return result.outputFiles[0]!.text
}
