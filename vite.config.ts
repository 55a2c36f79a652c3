import { vitePlugin as remix } from '@remix-run/dev'
import { defineConfig } from 'vite'

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
		external: ['mdx-bundler', 'esbuild', '@electric-sql/pglite', '@node-rs/argon2', 'pg'],
	},
	plugins: [
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
