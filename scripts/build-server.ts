/**
 * The HTTP server (server/*.ts) compiled into one ES module, build/server.js, run with plain
 * `node build/server.js`: start-up loads no TypeScript compiler, as fast as the old server.js.
 * Packages stay external (node_modules are there at run time); the server's own modules and what
 * it uses of app/ (the env schema, the security headers, the error texts) are bundled in.
 */
import { build } from 'esbuild'

await build({
	entryPoints: ['server/index.ts'],
	outfile: 'build/server.js',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	packages: 'external',
	sourcemap: true,
	logLevel: 'warning',
	banner: { js: '// Built from server/*.ts by scripts/build-server.ts: edit those, not this.' },
})
