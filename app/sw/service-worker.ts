// The service worker (docs/decisions/007-offline.md). Bundled with Workbox by scripts/build-pwa.ts,
// which injects the precache manifest (self.__WB_MANIFEST) and the build id: every build that
// changes a precached file or the server gives a new worker, which takes over at once.
//
// What it does, and nothing more:
// - precaches the app shell: CSS, the small page scripts, icons, the manifest and the offline page;
// - keeps learner pages (home, catalogue, courses, lessons): network first, the saved copy when
//   the network fails or hangs — the same cache the course page's "save for offline" fills;
// - a lesson form (quiz, "I finished") that cannot reach the server is put aside in UNSENT_CACHE
//   and the learner is sent back to the lesson, whose script (app/browser/lesson.ts) moves it to
//   the outbox — the form is never lost to the browser's error page;
// - any other page that needs the network answers with the offline page, in Vietnamese.
// Staff pages are never stored on the phone.
import { clientsClaim, type RouteHandlerCallbackOptions } from 'workbox-core'
import { CacheableResponsePlugin } from 'workbox-cacheable-response'
import { ExpirationPlugin } from 'workbox-expiration'
import { cleanupOutdatedCaches, matchPrecache, type PrecacheEntry, precacheAndRoute } from 'workbox-precaching'
import { registerRoute, setCatchHandler, setDefaultHandler } from 'workbox-routing'
import { CacheFirst, NetworkFirst, NetworkOnly } from 'workbox-strategies'
import { ASSETS_CACHE, PAGES_CACHE, UNSENT_CACHE, UNSENT_HASH, UNSENT_PATH, URLS } from '#app/kernel/offline-constants.ts'

/** Set by scripts/build-pwa.ts. */
declare const __BUILD_ID__: string
/**
 * The part of the service worker's global scope used here. The program is type-checked with the
 * DOM library, whose declarations conflict with the WebWorker library's in one program, so the
 * worker's own globals are declared here (the rest — fetch, caches, Request — are the same in both).
 */
declare const self: {
	readonly location: Location
	skipWaiting(): Promise<void>
	/** The precache manifest, injected by workbox-build. */
	__WB_MANIFEST: (string | PrecacheEntry)[]
}

const BUILD = __BUILD_ID__

self.skipWaiting()
clientsClaim()

const manifest = self.__WB_MANIFEST
precacheAndRoute(manifest)
cleanupOutdatedCaches()
const currentCss = manifest.map((e) => (typeof e === 'string' ? e : e.url)).find((u) => /assets\/.+\.css$/.test(u))

const same = (url: URL) => url.origin === self.location.origin
const learnerPage = (path: string) => path === '/' || path === '/courses' || /^\/courses\/[^/]+(\/[^/]+)?$/.test(path)
const lessonPage = (path: string) => /^\/courses\/[^/]+\/[^/]+$/.test(path)

registerRoute(
	({ request, url }) => request.mode === 'navigate' && same(url) && learnerPage(url.pathname),
	new NetworkFirst({
		cacheName: PAGES_CACHE,
		// On a weak 3G signal a page that has not started after 6 s comes from the phone instead.
		networkTimeoutSeconds: 6,
		matchOptions: { ignoreSearch: true, ignoreVary: true },
		plugins: [new CacheableResponsePlugin({ statuses: [200] }), new ExpirationPlugin({ maxEntries: 200 })],
	}),
)

// Hashed build files never change: the React bundles of staff pages, and old CSS still named by saved pages.
registerRoute(
	({ request, url }) => request.method === 'GET' && same(url) && url.pathname.startsWith('/assets/'),
	new CacheFirst({ cacheName: ASSETS_CACHE, plugins: [new CacheableResponsePlugin({ statuses: [200] }), new ExpirationPlugin({ maxEntries: 60 })] }),
)

// Lesson pictures carry their hash in the name; those of saved courses are in the pages cache.
registerRoute(
	({ request, url }) => request.method === 'GET' && same(url) && url.pathname.startsWith('/content/'),
	new CacheFirst({ cacheName: PAGES_CACHE, plugins: [new CacheableResponsePlugin({ statuses: [200] })] }),
)

// A lesson's recordings (issue #23), saved with its course: from the phone, with the byte ranges the
// audio player asks for; a recording not saved comes from the network and is not stored.
registerRoute(({ request, url }) => request.method === 'GET' && same(url) && url.pathname.startsWith(URLS.voices), savedAudio)

registerRoute(({ request, url }) => request.mode === 'navigate' && same(url) && lessonPage(url.pathname), sendLessonForm, 'POST')
registerRoute(({ request }) => request.mode === 'navigate', new NetworkOnly(), 'POST')
setDefaultHandler(new NetworkOnly())

setCatchHandler(async ({ request }) => {
	if (request.destination === 'document') return (await matchPrecache(URLS.offlinePage)) ?? Response.error()
	// A saved page from an older build names an older stylesheet: today's will do.
	if (request.destination === 'style' && currentCss) return (await matchPrecache(currentCss)) ?? Response.error()
	return Response.error()
})

async function savedAudio({ request, url }: RouteHandlerCallbackOptions): Promise<Response> {
	const saved = await (await caches.open(PAGES_CACHE)).match(url.pathname)
	if (!saved) return fetch(request)
	const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.get('Range') ?? '')
	if (!range || (range[1] === '' && range[2] === '')) return saved
	const body = await saved.arrayBuffer()
	const size = body.byteLength
	const start = range[1] === '' ? Math.max(0, size - Number(range[2])) : Number(range[1])
	const end = range[1] === '' || range[2] === '' ? size - 1 : Math.min(Number(range[2]), size - 1)
	const type = saved.headers.get('Content-Type') ?? 'audio/webm'
	if (start >= size || end < start) return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}` } })
	return new Response(body.slice(start, end + 1), {
		status: 206,
		headers: { 'Content-Type': type, 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': String(end - start + 1), 'Accept-Ranges': 'bytes' },
	})
}

async function sendLessonForm({ request, url }: RouteHandlerCallbackOptions): Promise<Response> {
	const copy = request.clone()
	const controller = new AbortController()
	const timer = setTimeout(() => controller.abort(), 20_000)
	try {
		return await fetch(request, { signal: controller.signal })
	} catch {
		// Sent later with the same client id: if this one did reach the server, the replay changes nothing.
		const fields: Record<string, string> = {}
		for (const [key, value] of await copy.formData()) if (typeof value === 'string') fields[key] = value
		const id = typeof fields.clientId === 'string' ? fields.clientId : String(Date.now())
		const cache = await caches.open(UNSENT_CACHE)
		await cache.put(
			new Request(`${UNSENT_PATH}${encodeURIComponent(id)}`),
			new Response(JSON.stringify({ path: url.pathname, fields, at: new Date().toISOString(), build: BUILD }), {
				headers: { 'Content-Type': 'application/json' },
			}),
		)
		return Response.redirect(new URL(`${url.pathname}${UNSENT_HASH}`, self.location.origin).href, 303)
	} finally {
		clearTimeout(timer)
	}
}
