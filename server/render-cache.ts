// A cache of rendered learner pages for visitors (issue #8, ADR 008's next step). Two renders of
// the home page, the catalogue, a course page or a lesson for a visitor differ only in the CSP
// nonce and the client id of the lesson's forms, so the page is rendered once per path, language
// and build, and each response gets a fresh nonce (in the CSP header and the page) and a fresh
// client id.
//
// Only GET, without a query string, with no cookie but `lng` (no session: a signed-in page is
// never stored nor served from here), and only a 200 HTML answer without Set-Cookie or
// private/no-store is stored. The middleware sits in front of the Remix handler and after
// compression, so what it stores and sends is uncompressed and compressed per response.
import { randomBytes, randomUUID } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'

// The home page (what there is to learn), the catalogue, a course page, a lesson.
const PAGES = /^(?:\/|\/courses(?:\/[^/]+){0,2})$/
const NONCE_MARK = '\u0000hvs-nonce\u0000'
// Set per response, or not about the page.
const SKIP_HEADERS = new Set([
	'date',
	'connection',
	'keep-alive',
	'transfer-encoding',
	'content-length',
	'content-encoding',
	'vary',
	'x-instance',
	'x-render-cache',
])
const MAX_PAGE_BYTES = 512 * 1024

interface Entry {
	headers: [string, string][]
	/** The page, with 0 where the nonce goes and 1 where the client id goes. */
	parts: (string | 0 | 1)[]
	storedAt: number
}

export interface RenderCacheOptions {
	/** Names the build (and so the compiled content): pages of another build never match. */
	version: string
	max?: number
	/**
	 * How long a page is served from here before it is rendered again. A page holds a little that
	 * changes without a new build: the recordings published for a lesson (issue #23), which every
	 * instance then shows within this time.
	 */
	ttlMs?: number
	enabled?: boolean
	/** The site's languages (app/utils/i18n.ts). */
	languages?: string[]
}

export type RenderCache = ReturnType<typeof createRenderCache>

export const PAGE_CACHE_TTL_MS = 60_000

export function createRenderCache({ version, max = 500, ttlMs = PAGE_CACHE_TTL_MS, enabled = true, languages = ['vi', 'en'] }: RenderCacheOptions) {
	/** The `lng` cookie as Remix's createCookie writes it (URI-encoded base64 of JSON), or null. */
	function languageOf(raw: string): string | null {
		try {
			const value = JSON.parse(Buffer.from(decodeURIComponent(raw), 'base64').toString('utf8'))
			return languages.includes(value) ? value : null
		} catch {
			return null
		}
	}

	/** LRU: oldest first. */
	const entries = new Map<string, Entry>()
	const stats = { hits: 0, misses: 0, stored: 0 }

	/** The cache key, or null when this request must be rendered for itself. */
	function keyOf(req: Pick<Request, 'method' | 'url' | 'headers'> & { originalUrl?: string }): string | null {
		if (!enabled || req.method !== 'GET') return null
		const url = req.originalUrl ?? req.url
		if (url.includes('?') || !PAGES.test(url)) return null
		let lng = ''
		const header = req.headers.cookie
		if (header) {
			for (const pair of header.split(';')) {
				const trimmed = pair.trim()
				if (!trimmed) continue
				const eq = trimmed.indexOf('=')
				const name = eq < 0 ? trimmed : trimmed.slice(0, eq)
				// Any other cookie (the session above all) may change the page.
				if (name !== 'lng' || lng) return null
				// Only a language the site has: random values must not push real pages out.
				const language = languageOf(trimmed.slice(eq + 1))
				if (!language) return null
				lng = language
			}
		}
		return `${version}\n${lng}\n${url}`
	}

	function send(res: Response, entry: Entry) {
		const nonce = randomBytes(16).toString('base64')
		const clientId = randomUUID()
		res.status(200)
		for (const [name, value] of entry.headers) res.setHeader(name, value.replaceAll(NONCE_MARK, nonce))
		res.setHeader('X-Render-Cache', 'hit')
		let body = ''
		for (const part of entry.parts) body += part === 0 ? nonce : part === 1 ? clientId : part
		res.end(body)
	}

	/** Records what the Remix handler sends for `key`, rendered with these tokens. */
	function capture(res: Response, key: string, { nonce, clientId }: { nonce: string; clientId: string }) {
		const chunks: Buffer[] = []
		let size = 0
		let headers: ReturnType<Response['getHeaders']> | null = null
		let keep = true
		const take = (chunk: unknown, encoding: unknown) => {
			// Headers as the app set them, before compression adds its own on the first write.
			if (!headers) headers = res.getHeaders()
			if (!keep || chunk == null || typeof chunk === 'function') return
			const buffer =
				typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.from(chunk as Uint8Array)
			size += buffer.length
			if (size > MAX_PAGE_BYTES) {
				keep = false
				chunks.length = 0
			} else chunks.push(buffer)
		}
		const write = res.write
		const end = res.end
		// Both keep Node's overloads: (chunk, callback), (chunk, encoding, callback), (callback)…
		res.write = function (this: Response, ...args: unknown[]) {
			take(args[0], args[1])
			return (write as (...a: unknown[]) => boolean).apply(this, args)
		} as Response['write']
		res.end = function (this: Response, ...args: unknown[]) {
			take(args[0], args[1])
			return (end as (...a: unknown[]) => Response).apply(this, args)
		} as Response['end']
		res.setHeader('X-Render-Cache', 'miss')
		// 'finish' only after the whole page went out: an aborted or failed render is not stored.
		res.once('finish', () => {
			if (!keep || !headers || res.statusCode !== 200) return
			const type = String(headers['content-type'] ?? '')
			const cacheControl = String(headers['cache-control'] ?? '')
			const csp = String(headers['content-security-policy'] ?? '')
			if (!type.startsWith('text/html') || headers['set-cookie'] !== undefined || /private|no-store/i.test(cacheControl)) return
			if (!csp.includes(`'nonce-${nonce}'`)) return
			const stored: [string, string][] = []
			for (const [name, value] of Object.entries(headers)) {
				if (SKIP_HEADERS.has(name) || value === undefined) continue
				for (const v of Array.isArray(value) ? value : [String(value)]) stored.push([name, v.replaceAll(nonce, NONCE_MARK)])
			}
			const parts: Entry['parts'] = []
			Buffer.concat(chunks)
				.toString('utf8')
				.split(nonce)
				.forEach((piece, i) => {
					if (i > 0) parts.push(0)
					piece.split(clientId).forEach((p, j) => {
						if (j > 0) parts.push(1)
						parts.push(p)
					})
				})
			entries.delete(key)
			entries.set(key, { headers: stored, parts, storedAt: Date.now() })
			stats.stored++
			while (entries.size > max) entries.delete(entries.keys().next().value!)
		})
	}

	/** Express middleware; a miss leaves `res.locals.renderTokens` for the Remix load context. */
	function middleware(req: Request, res: Response, next: NextFunction) {
		const key = keyOf(req)
		if (!key) return next()
		const entry = freshEntry(entries, key, ttlMs)
		if (entry) {
			stats.hits++
			return send(res, entry)
		}
		stats.misses++
		const tokens = { nonce: randomBytes(16).toString('base64'), clientId: randomUUID() }
		res.locals.renderTokens = tokens
		capture(res, key, tokens)
		next()
	}

	return { middleware, keyOf, entries, stats }
}

/**
 * The entry stored under `key` if it is younger than `ttlMs` (an older one is dropped), moved to the
 * newest end of the map, whose oldest entries are the first evicted (both page caches).
 */
export function freshEntry<E extends { storedAt: number }>(entries: Map<string, E>, key: string, ttlMs: number): E | undefined {
	const entry = entries.get(key)
	if (!entry) return undefined
	entries.delete(key)
	if (Date.now() - entry.storedAt > ttlMs) return undefined
	entries.set(key, entry)
	return entry
}
