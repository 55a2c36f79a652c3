/**
 * The installable, offline part of the build (after `remix vite:build`): PNG icons from
 * public/favicon.svg, the page scripts (app/browser, scripts/build-browser.ts), then the service
 * worker — app/sw/service-worker.ts bundled with Workbox by
 * esbuild and given its precache manifest by workbox-build (injectManifest). The manifest lists
 * every precached file with a content hash, and the offline page with the server build's hash, so
 * each build that changes any of them ships a new worker. See docs/decisions/007-offline.md.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'
import { injectManifest } from 'workbox-build'
import { URLS } from '#app/kernel/offline-constants.ts'
import { browserTarget, buildPageScripts } from './build-browser.ts'
import { renderPng } from './svg-icon.ts'

const client = path.resolve('build/client')
const serverBundle = path.resolve('build/server/index.js')
if (!fs.existsSync(serverBundle)) throw new Error('Run `remix vite:build` first (npm run build does).')

// Icons: rendered once per favicon version (a 512 px icon takes about a second), then copied.
const svg = fs.readFileSync('public/favicon.svg', 'utf8')
const iconCache = path.resolve('.cache/icons', createHash('sha256').update(svg).digest('hex').slice(0, 16))
const icons: [string, number, { fullBleed?: boolean; scale?: number }][] = [
	['icon-192.png', 192, {}],
	['icon-512.png', 512, {}],
	['icon-maskable-512.png', 512, { fullBleed: true, scale: 0.8 }],
	['apple-touch-icon.png', 180, { fullBleed: true, scale: 0.9 }],
]
fs.mkdirSync(iconCache, { recursive: true })
fs.mkdirSync(path.join(client, 'icons'), { recursive: true })
for (const [name, px, options] of icons) {
	const cached = path.join(iconCache, name)
	if (!fs.existsSync(cached)) fs.writeFileSync(cached, renderPng(svg, px, options))
	fs.copyFileSync(cached, path.join(client, 'icons', name))
}

// The build id: the server bundle (which renders every page, including the offline page) and the
// compiled content.
const buildId = createHash('sha256')
	.update(fs.readFileSync(serverBundle))
	.update(fs.existsSync('.cache/content/manifest.json') ? fs.readFileSync('.cache/content/manifest.json') : '')
	.digest('hex')
	.slice(0, 12)

// Before the service worker: it precaches them.
await buildPageScripts(client)

const bundled = path.resolve('build/.sw-bundle.js')
await build({
	entryPoints: ['app/sw/service-worker.ts'],
	outfile: bundled,
	bundle: true,
	format: 'iife',
	target: browserTarget,
	minify: true,
	legalComments: 'none',
	define: { __BUILD_ID__: JSON.stringify(buildId), 'process.env.NODE_ENV': '"production"' },
	logLevel: 'warning',
})

const { count, size, warnings } = await injectManifest({
	swSrc: bundled,
	swDest: path.join(client, path.basename(URLS.serviceWorker)),
	globDirectory: client,
	globPatterns: ['assets/*.css', '*.js', '*.svg', '*.webmanifest', 'icons/icon-192.png', 'icons/icon-maskable-512.png', 'icons/apple-touch-icon.png'],
	globIgnores: [path.basename(URLS.serviceWorker), '**/.*'],
	// Build assets carry their hash in the name; no need to add one to the URL.
	dontCacheBustURLsMatching: /^assets\//,
	additionalManifestEntries: [{ url: URLS.offlinePage, revision: buildId }],
	maximumFileSizeToCacheInBytes: 200 * 1024,
})
fs.rmSync(bundled, { force: true })
for (const warning of warnings) console.warn(`service worker: ${warning}`)
console.log(`service worker ${buildId}: ${count} files precached (${(size / 1024).toFixed(1)} KB)`)
