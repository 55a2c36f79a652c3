import { vitePlugin as remix } from '@remix-run/dev'
import { defineConfig, type Plugin } from 'vite'
import { bundlePageScript } from './scripts/build-browser.ts'

declare module '@remix-run/node' {
	interface Future {
		v3_singleFetch: true
	}
}

export default defineConfig(({ isSsrBuild }) => ({
	server: { port: 3000 },
	// Old Android WebViews in the browser; the server needs top-level await.
	build: { cssMinify: true, target: isSsrBuild ? 'node20' : 'es2020' },
	ssr: {
		// Compiled in the build, never bundled into the server: see docs/decisions/004-content.md.
		external: ['mdx-bundler', 'esbuild', '@electric-sql/pglite', '@node-rs/argon2', 'pg', '@resvg/resvg-js'],
	},
	plugins: [
		pageScriptsInDev(),
		remix({
			ignoredRouteFiles: ['**/*'],
			future: {
				v3_fetcherPersist: true,
				v3_relativeSplatPath: true,
				v3_throwAbortReason: true,
				v3_lazyRouteDiscovery: true,
				v3_singleFetch: true,
				v3_routeConfig: true,
			},
		}),
	],
	// #app/* is package.json `imports` (Node's subpath imports): Vite, Vitest and tsc resolve it from there.
}))

/** The page scripts (app/browser) in development, bundled from the source on each request; `npm run build` writes them to build/client. */
function pageScriptsInDev(): Plugin {
	return {
		name: 'hvs-page-scripts',
		apply: 'serve',
		configureServer(server) {
			server.middlewares.use((req, res, next) => {
				bundlePageScript(new URL(req.url ?? '/', 'http://localhost').pathname)
					.then((code) => {
						if (code === null) return next()
						res.setHeader('Content-Type', 'text/javascript; charset=utf-8')
						res.setHeader('Cache-Control', 'no-cache')
						res.end(code)
					})
					.catch(next)
			})
		},
	}
}
