// The signed-in resident's lesson page at a visitor's speed (issue #22, ADR 032), and their home
// page, catalogue and course pages the same way (ADR 043: the certificate's code and the greeting's
// name are slots there). Remix renders a
// lesson once per build, language and variant (what the page shows of a learner: enrolled or not,
// done, locked, where "continue" points); every later request of that variant is the stored page
// with its slots filled for this learner: the CSP nonce, the forms' client id, the outbox's user id,
// the completed lessons the phone unlocks with, and the quiz (its options in an order of their own
// per client id, rendered alone by the same component). Which requests may take this path, and the
// one statement that reads session, user and progress, are the app's (app/learner-pages.server.tsx);
// anything else — no session, an ended one, one due to slide, staff, a first opening, a query string
// other than `?quiz=<client id>` (the page after a no-JavaScript quiz post), another page — goes on
// to Remix as before. The no-JavaScript quiz post itself is recorded here too when it can be (`post`
// below, ADR 035).
//
// A page is stored only when taking it apart is exact: one outbox user id, one `data-completed` when
// enrolled, one quiz section equal to what the quiz renders alone for the same client id, the nonce
// in the CSP header. Otherwise the rendered page is sent as is and nothing is stored.
import { randomBytes, randomUUID } from 'node:crypto'
import { brotliCompressSync, crc32, deflateRawSync, gzipSync, constants as zlibConstants } from 'node:zlib'
import { type AppLoadContext, createRequestHandler, type ServerBuild } from '@remix-run/node'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { NextFunction, Request, Response } from 'express'
import { ANSWERED_QUERY, CATALOGUE_PATH, COURSE_PATH, HOME_PATH, LESSON_PATH } from '../app/kernel/learner-paths.ts'
import { OFFLINE_SAVE_HEADER } from '../app/kernel/offline-constants.ts'
import type { LessonView } from '../app/learner-pages.server.tsx'
import { pooledRandom } from '../app/utils/random.server.ts'
import { freshEntry, PAGE_CACHE_TTL_MS } from './render-cache.ts'
import { codingQuality, splitUrl } from './http-utils.ts'
import { handOnBody, headersOf } from './remix-handler.ts'

type LearnerPages = {
	lessonView(args: { pathname: string; search?: string; cookie: string | undefined; offlineSave?: string }): Promise<LessonView | null>
	courseView(args: { pathname: string; cookie: string | undefined }): Promise<LessonView | null>
	catalogueView(args: { pathname: string; cookie: string | undefined }): Promise<LessonView | null>
	homeView(args: { pathname: string; cookie: string | undefined }): Promise<LessonView | null>
	quizHtml(view: LessonView, clientId: string): Promise<string>
	lessonPost(args: { pathname: string; search?: string; cookie: string | undefined; form: Iterable<[string, string]> }): Promise<{ location: string } | null>
	quizInPlace(args: { cookie: string | undefined; body: Uint8Array }): Promise<string | null>
}

const OFFLINE_SAVE = OFFLINE_SAVE_HEADER.toLowerCase()
const SESSION_COOKIE = /(?:^|;\s*)hvs_session=/
const NONCE_MARK = '\u0000hvs-nonce\u0000'
const SKIP_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'vary', 'x-instance'])
const QUIZ_START = '<section class="mdx-quiz"'
/** A lesson form's post is small (a quiz of a few questions); anything larger goes to Remix unread. */
const MAX_POST_BYTES = 16 * 1024
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(?:;|$)/i
const JSON_TYPE = /^application\/json\s*(?:;|$)/i
const QUIZ_END = '</section>'

export enum Slot {
	Nonce = 0,
	ClientId = 1,
	UserId = 2,
	Completed = 3,
	Quiz = 4,
	AnsweredId = 5,
	/** The course page's link to the learner's certificate: its code. */
	Certificate = 6,
	/** The home page's greeting: the learner's name, as React escapes it. */
	Name = 7,
}

interface Entry {
	headers: [string, string][]
	parts: (string | Slot)[]
	/** Each stored part as bytes and compressed (by the index of `parts`, `compressParts`). */
	deflated: (StoredPart | undefined)[]
	hasQuiz: boolean
	storedAt: number
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03])
const PART_DEFLATE = { level: 9, finishFlush: zlibConstants.Z_SYNC_FLUSH }
// The quiz (a few KB) is compressed per answer with a small window: setting up zlib's default 32 KB
// window and hash tables cost more than compressing. Short slots (nonce, ids) go uncompressed.
// The text right before it (the end of the stored part it follows) is its dictionary, as it is what
// the decoder holds just before: it may refer back to it as a whole-page gzip would (the quiz of
// `smartphone/turn-on`: 931 → 788 bytes, in the same time).
const SLOT_DEFLATE = { level: 1, windowBits: 13, memLevel: 5, finishFlush: zlibConstants.Z_SYNC_FLUSH }
const SLOT_WINDOW = 1 << SLOT_DEFLATE.windowBits
const SLOT_STORED_BELOW = 512

/** Bytes as one stored (uncompressed) deflate block, not final; starts and ends on a byte boundary. */
function storedBlock(raw: Buffer) {
	const block = Buffer.alloc(5 + raw.length)
	block[0] = 0 // BFINAL 0, BTYPE 00, padding
	block.writeUInt16LE(raw.length, 1)
	block.writeUInt16LE(~raw.length & 0xffff, 3)
	raw.copy(block, 5)
	return block
}

/**
 * A stored part as bytes and as raw deflate ending on a byte boundary (sync flush), so that parts
 * and slots chain into one deflate stream; and, where it is smaller, compressed with the page
 * before it as deflate's dictionary (`withContext`), so it may refer back to earlier text as a
 * whole-page gzip does. That is right only if every byte the dictionary holds is where the decoder
 * will have it: the parts before are the same on every view, but the slots between them are not,
 * so the dictionary holds NUL bytes in their place (a part without a NUL can never match them) and
 * is used only when each slot it spans has, in this view, the byte length it had when stored.
 * It starts after the last slot whose length changes from learner to learner (`data-completed`).
 */
export interface StoredPart {
	raw: Buffer
	deflated: Buffer
	/** The part's last bytes, the dictionary of the slots that follow it (`assembleGzip`), cut once here. */
	tail: Buffer
	withContext?: { deflated: Buffer; slotBytes: [Slot, number][] }
}

/** A slot whose length differs from one learner to another: no dictionary spans it. */
const VARIABLE_SLOTS = new Set([Slot.Completed])
const WINDOW = 32 * 1024

/** `parts` compressed as `StoredPart`s; `slotBytes`: each slot's byte length in the page as stored. */
export function compressParts(parts: (string | Slot)[], slotBytes: Record<Slot, number>): (StoredPart | undefined)[] {
	let context: Buffer[] = []
	let spanned: [Slot, number][] = []
	return parts.map((part) => {
		if (typeof part !== 'string') {
			if (VARIABLE_SLOTS.has(part)) {
				context = []
				spanned = []
			} else {
				context.push(Buffer.alloc(slotBytes[part]))
				spanned.push([part, slotBytes[part]])
			}
			return undefined
		}
		const raw = Buffer.from(part)
		const stored: StoredPart = { raw, deflated: deflateRawSync(raw, PART_DEFLATE), tail: raw.subarray(Math.max(0, raw.length - SLOT_WINDOW)) }
		if (context.length && !raw.includes(0)) {
			const before = Buffer.concat(context)
			const deflated = deflateRawSync(raw, { ...PART_DEFLATE, dictionary: before.subarray(Math.max(0, before.length - WINDOW)) })
			if (deflated.length < stored.deflated.length) stored.withContext = { deflated, slotBytes: [...spanned] }
		}
		context.push(raw)
		return stored
	})
}

/**
 * The page gzipped without compressing it again: the stored parts were compressed once
 * (`compressParts`), so they chain with the slots compressed now into one deflate stream; the gzip
 * trailer's CRC-32 and length are of the whole page. The `compression` middleware leaves an answer
 * that already has a Content-Encoding alone.
 */
export function assembleGzip(parts: (string | Slot)[], stored: (StoredPart | undefined)[], slots: Record<Slot, string>) {
	const out: Buffer[] = [GZIP_HEADER]
	let crc = 0
	let size = 0
	let pending = ''
	/** The end of the stored part the pending slots follow (nothing else between): their dictionary. */
	let before: Buffer | null = null
	const bytes = new Map<Slot, number>()
	const bytesOf = (slot: Slot) => {
		let n = bytes.get(slot)
		if (n === undefined) bytes.set(slot, (n = Buffer.byteLength(slots[slot])))
		return n
	}
	const flushSlots = () => {
		if (!pending) return
		const raw = Buffer.from(pending)
		out.push(raw.length < SLOT_STORED_BELOW ? storedBlock(raw) : deflateRawSync(raw, before ? { ...SLOT_DEFLATE, dictionary: before } : SLOT_DEFLATE))
		crc = crc32(raw, crc)
		size += raw.length
		pending = ''
	}
	parts.forEach((part, i) => {
		if (typeof part !== 'string') {
			pending += slots[part]
			return
		}
		flushSlots()
		const segment = stored[i]!
		const context = segment.withContext
		out.push(context?.slotBytes.every(([slot, n]) => bytesOf(slot) === n) ? context.deflated : segment.deflated)
		crc = crc32(segment.raw, crc)
		size += segment.raw.length
		before = segment.tail
	})
	flushSlots()
	const trailer = Buffer.alloc(10)
	trailer[0] = 0x03 // an empty final block
	trailer.writeUInt32LE(crc >>> 0, 2)
	trailer.writeUInt32LE(size >>> 0, 6)
	out.push(trailer)
	return Buffer.concat(out)
}

/** Whether the client takes gzip (`Accept-Encoding`, a q of 0 refuses it). */
export function acceptsGzip(header: string | undefined) {
	return codingQuality(header, 'gzip') > 0
}

export interface LearnerCacheOptions {
	build: ServerBuild
	mode: string
	origin: string
	/** Names the build: pages of another build never match. */
	version: string
	enabled?: boolean
	max?: number
	/** How long a page is filled from here before Remix renders it again (see render-cache.ts `ttlMs`). */
	ttlMs?: number
}

export type LearnerCache = ReturnType<typeof createLearnerCache>

export function createLearnerCache({ build, mode, origin, version, enabled = true, max = 2000, ttlMs = PAGE_CACHE_TTL_MS }: LearnerCacheOptions) {
	const pages = build.entry.module as unknown as Partial<LearnerPages>
	const handle = createRequestHandler(build, mode)
	const entries = new Map<string, Entry>()
	const stats = { hits: 0, misses: 0, stored: 0, refused: 0, passed: 0, posts: 0 }
	const on = enabled && typeof pages.lessonView === 'function' && typeof pages.quizHtml === 'function'
	const postsOn = typeof pages.lessonPost === 'function' && typeof pages.quizInPlace === 'function'
	const coursesOn = typeof pages.courseView === 'function' && typeof pages.catalogueView === 'function' && typeof pages.homeView === 'function'

	function attribute(name: string, value: string) {
		return `${name}="${escapeHtml(value)}"`
	}

	async function send(req: IncomingMessage, res: ServerResponse, entry: Entry, view: LessonView) {
		const nonce = pooledRandom(16, 'base64')
		const clientId = randomUUID()
		const quiz = entry.hasQuiz ? await pages.quizHtml!(view, clientId) : ''
		const slots: Record<Slot, string> = {
			[Slot.Nonce]: nonce,
			[Slot.ClientId]: clientId,
			[Slot.UserId]: attribute('data-user', view.userId),
			[Slot.Completed]: attribute('data-completed', view.completed ?? ''),
			[Slot.Quiz]: quiz,
			[Slot.AnsweredId]: view.answeredId ?? '',
			[Slot.Certificate]: view.certificateCode ?? '',
			[Slot.Name]: escapeHtml(view.name ?? ''),
		}
		res.statusCode = 200
		for (const [name, value] of entry.headers) res.setHeader(name, value.replaceAll(NONCE_MARK, nonce))
		res.setHeader('X-Learner-Cache', 'hit')
		res.setHeader('Vary', 'Accept-Encoding')
		const gzip = acceptsGzip(req.headers['accept-encoding'])
		if (gzip) res.setHeader('Content-Encoding', 'gzip')
		const body = gzip ? gzipped(entry, slots) : plain(entry, slots)
		res.setHeader('Content-Length', body.length)
		res.end(body)
	}

	function plain(entry: Entry, slots: Record<Slot, string>) {
		let body = ''
		for (const part of entry.parts) body += typeof part === 'string' ? part : slots[part]
		return Buffer.from(body)
	}

	function gzipped(entry: Entry, slots: Record<Slot, string>) {
		return assembleGzip(entry.parts, entry.deflated, slots)
	}

	/** The page taken apart at its slots, or null when that would not be exact. */
	async function takeApart(
		body: string,
		view: LessonView,
		tokens: { nonce: string; clientId: string },
	): Promise<{ parts: Entry['parts']; quizSection: string } | null> {
		const pieces: (string | Slot)[] = [body]
		const cut = (needle: string, slot: Slot, expected?: number) => {
			let found = 0
			for (let i = pieces.length - 1; i >= 0; i--) {
				const piece = pieces[i]
				if (typeof piece !== 'string') continue
				const split = piece.split(needle)
				if (split.length === 1) continue
				found += split.length - 1
				pieces.splice(i, 1, ...split.flatMap((p, j) => (j === 0 ? [p] : [slot, p])))
			}
			return expected === undefined ? found > 0 : found === expected
		}
		let hasQuiz = false
		let quizSection = ''
		if (view.quiz.length) {
			const start = body.indexOf(QUIZ_START)
			const end = start < 0 ? -1 : body.indexOf(QUIZ_END, start)
			if (start < 0 || end < 0 || body.indexOf(QUIZ_START, start + 1) >= 0) return null
			const section = body.slice(start, end + QUIZ_END.length)
			if (section !== (await pages.quizHtml!(view, tokens.clientId))) return null
			if (!cut(section, Slot.Quiz, 1)) return null
			hasQuiz = true
			quizSection = section
		}
		if (!hasQuiz && body.includes(QUIZ_START)) return null
		if (!cut(attribute('data-user', view.userId), Slot.UserId, 1)) return null
		if (!cut(attribute('data-completed', view.completed ?? ''), Slot.Completed, view.completed === null ? 0 : 1)) return null
		if (view.completed === null && body.includes('data-completed=')) return null
		if (!cut(tokens.nonce, Slot.Nonce)) return null
		cut(tokens.clientId, Slot.ClientId)
		// `?quiz=` is in the language link; it names this learner's attempt, never shown to another.
		if (view.answeredId && !cut(view.answeredId, Slot.AnsweredId)) return null
		// The course page's certificate link: the learner's code, once; outside the slots, a page of a
		// variant without one links none (a passed quiz's feedback may link it: that is the quiz slot's).
		if (view.certificateCode ? !cut(view.certificateCode, Slot.Certificate, 1) : pieces.some((p) => typeof p === 'string' && p.includes('/certificates/')))
			return null
		// The home page's greeting: the name found exactly once (a name that is also other text of the page is not stored).
		if (view.name !== null && !cut(escapeHtml(view.name), Slot.Name, 1)) return null
		return { parts: pieces.filter((p) => p !== ''), quizSection }
	}

	/** A new variant: rendered by Remix with this learner's session and progress as read, stored if exact. */
	async function render(req: Request, res: Response, key: string, view: LessonView) {
		const tokens = { nonce: randomBytes(16).toString('base64'), clientId: randomUUID() }
		const context: AppLoadContext = {
			clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
			renderTokens: tokens,
			sharedUser: view.context.sharedUser,
			courseProgress: view.context.courseProgress,
			myLearning: view.context.myLearning,
		}
		const response = await handle(new Request(new URL(req.originalUrl, origin), { headers: headersOf(req) }), context)
		const body = await response.text()
		const headers: [string, string][] = []
		for (const [name, value] of response.headers) headers.push([name, value])
		const csp = response.headers.get('content-security-policy') ?? ''
		let stored = false
		if (response.status === 200 && !response.headers.has('set-cookie') && csp.includes(`'nonce-${tokens.nonce}'`)) {
			const taken = await takeApart(body, view, tokens)
			if (taken) {
				const { parts, quizSection } = taken
				entries.delete(key)
				entries.set(key, {
					headers: headers.filter(([name]) => !SKIP_HEADERS.has(name)).map(([name, value]) => [name, value.replaceAll(tokens.nonce, NONCE_MARK)]),
					parts,
					deflated: compressParts(parts, {
						[Slot.Nonce]: Buffer.byteLength(tokens.nonce),
						[Slot.ClientId]: Buffer.byteLength(tokens.clientId),
						[Slot.UserId]: Buffer.byteLength(attribute('data-user', view.userId)),
						[Slot.Completed]: Buffer.byteLength(attribute('data-completed', view.completed ?? '')),
						[Slot.Quiz]: Buffer.byteLength(quizSection),
						[Slot.AnsweredId]: Buffer.byteLength(view.answeredId ?? ''),
						[Slot.Certificate]: Buffer.byteLength(view.certificateCode ?? ''),
						[Slot.Name]: Buffer.byteLength(escapeHtml(view.name ?? '')),
					}),
					hasQuiz: parts.includes(Slot.Quiz),
					storedAt: Date.now(),
				})
				stats.stored++
				stored = true
				while (entries.size > max) entries.delete(entries.keys().next().value!)
			}
		}
		if (!stored) stats.refused++
		res.statusMessage = response.statusText
		res.status(response.status)
		for (const [name, value] of headers) {
			if (name === 'set-cookie') res.append(name, value)
			else res.setHeader(name, value)
		}
		res.setHeader('X-Learner-Cache', stored ? 'miss' : 'refused')
		res.end(body)
	}

	/**
	 * A lesson form posted without JavaScript by a signed-in learner (ADR 035): recorded by the app's
	 * `lessonPost` and answered 303 without Remix. Anything it leaves (null) goes to Remix with the
	 * body as read here (`prereadBody`, see remix-handler.ts). Only small url-encoded bodies with a
	 * Content-Length are read here; the origin check (server/index.ts) has run before.
	 */
	async function post(req: IncomingMessage, res: ServerResponse, pass: () => void, pathname: string, search: string) {
		const inPlace = pathname === '/api/quiz' && !search
		const length = Number(req.headers['content-length'])
		const type = req.headers['content-type'] ?? ''
		if (!(inPlace ? JSON_TYPE : FORM_TYPE).test(type) || !Number.isInteger(length) || length <= 0 || length > MAX_POST_BYTES) return pass()
		const chunks: Buffer[] = []
		let size = 0
		for await (const chunk of req as AsyncIterable<Buffer>) {
			size += chunk.length
			if (size > MAX_POST_BYTES) return res.destroy()
			chunks.push(chunk)
		}
		const body = Buffer.concat(chunks)
		// Whatever happens next, a request handed on takes its body with it: its stream is spent.
		handOnBody(req, body)
		const cookie = req.headers.cookie
		let answer: { location: string } | string | null = null
		try {
			answer = inPlace
				? await pages.quizInPlace!({ cookie, body })
				: await pages.lessonPost!({ pathname, search, cookie, form: new URLSearchParams(body.toString('utf8')) })
		} catch {
			answer = null
		}
		if (!answer) {
			stats.passed++
			return pass()
		}
		stats.posts++
		res.setHeader('Cache-Control', 'no-store')
		res.setHeader('X-Learner-Cache', 'post')
		if (typeof answer === 'string') {
			res.statusCode = 200
			res.setHeader('Content-Type', 'application/json')
			return void res.end(jsonBody(req, res, answer))
		}
		res.statusCode = 303
		res.setHeader('Location', answer.location)
		res.end()
	}

	/**
	 * Whether `front` may answer this request: a signed-in learner's GET of a lesson page (with no
	 * query string, or `?quiz=<client id>`) or of a course page (no query string, ADR 043), or their
	 * quiz post (the lesson's form, or `/api/quiz`).
	 * Synchronous and cheap: the server asks it of every request.
	 */
	function takes(req: IncomingMessage) {
		if (!on) return false
		const method = req.method
		if (method !== 'GET' && (method !== 'POST' || !postsOn)) return false
		const cookie = req.headers.cookie
		if (!cookie || !SESSION_COOKIE.test(cookie)) return false
		const { pathname, search } = splitUrl(req.url)
		if (LESSON_PATH.test(pathname)) return !search || ANSWERED_QUERY.test(search)
		if (method === 'GET' && coursesOn && (pathname === HOME_PATH || pathname === CATALOGUE_PATH || COURSE_PATH.test(pathname))) return !search
		return method === 'POST' && pathname === '/api/quiz' && !search
	}

	/**
	 * Answers a request `takes` took, before the rest of the server (Express) sees it: an assembled
	 * page, a recorded quiz post. Anything else is handed on with `pass` — with the learner's view
	 * when a page must be rendered (the Express `middleware` below), with the body when it was read.
	 */
	async function front(req: IncomingMessage, res: ServerResponse, pass: () => void) {
		const { pathname, search } = splitUrl(req.url)
		try {
			if (req.method === 'POST') return await post(req, res, pass, pathname, search)
			let view: LessonView | null
			try {
				const offlineSave = req.headers[OFFLINE_SAVE]
				view = LESSON_PATH.test(pathname)
					? await pages.lessonView!({ pathname, search, cookie: req.headers.cookie, offlineSave: typeof offlineSave === 'string' ? offlineSave : undefined })
					: pathname === HOME_PATH
						? await pages.homeView!({ pathname, cookie: req.headers.cookie })
						: pathname === CATALOGUE_PATH
							? await pages.catalogueView!({ pathname, cookie: req.headers.cookie })
							: await pages.courseView!({ pathname, cookie: req.headers.cookie })
			} catch {
				// The database is unreachable or the like: Remix answers as it always does (503 page).
				view = null
			}
			if (!view) {
				stats.passed++
				return pass()
			}
			const key = `${version}\n${view.key}`
			const entry = freshEntry(entries, key, ttlMs)
			if (entry) {
				stats.hits++
				return await send(req, res, entry, view)
			}
			stats.misses++
			toRender.set(req, { key, view })
			pass()
		} catch {
			// Nothing sent yet: the rest of the server answers as it would have (a body read here goes
			// with it). A body that could not be read to its end (the phone went away) ends the request.
			if (res.headersSent || (req.method === 'POST' && !req.complete)) return void res.destroy()
			toRender.delete(req)
			pass()
		}
	}

	/** A page `front` found no stored render for: rendered by Remix for this learner, stored if exact. */
	async function middleware(req: Request, res: Response, next: NextFunction) {
		const pending = toRender.get(req)
		if (!pending) return next()
		toRender.delete(req)
		try {
			await render(req, res, pending.key, pending.view)
		} catch (error) {
			if (res.headersSent) return res.destroy()
			next(error)
		}
	}

	return { takes, front, middleware, entries, stats }
}

/** Pages `front` handed on to be rendered, with the view it read for them. */
const toRender = new WeakMap<IncomingMessage, { key: string; view: LessonView }>()
/**
 * An in-place quiz answer's JSON, compressed as the server's compression middleware would for an
 * answer Express sends: 1 KB and over, Brotli (quality 4) where the client takes it — Chrome on a
 * phone does — else gzip, with the same Vary.
 */
function jsonBody(req: IncomingMessage, res: ServerResponse, json: string) {
	res.setHeader('Vary', 'Accept-Encoding')
	const body = Buffer.from(json)
	const coding = body.length < 1024 ? null : bestCoding(req.headers['accept-encoding'])
	if (!coding) return body
	res.setHeader('Content-Encoding', coding)
	return coding === 'br' ? brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } }) : gzipSync(body)
}

/** Brotli or gzip, whichever `Accept-Encoding` rates higher (Brotli on a tie, as compression prefers it); null: neither. */
export function bestCoding(header: string | undefined): 'br' | 'gzip' | null {
	const br = codingQuality(header, 'br')
	const gzip = codingQuality(header, 'gzip')
	if (br === 0 && gzip === 0) return null
	return br >= gzip ? 'br' : 'gzip'
}

/** As React escapes attribute values. */
function escapeHtml(value: string) {
	return value.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#x27;'))
}
