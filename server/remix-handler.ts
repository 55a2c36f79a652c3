import type { IncomingMessage } from 'node:http'
import { createRequestHandler, type ServerBuild, writeReadableStreamToWritable } from '@remix-run/node'
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from 'express'
import type { ServerLoadContext } from './load-context.ts'
import { sendTooLarge } from './responses.ts'

/**
 * The Remix request handler, in place of @remix-run/express's, for two things it cannot do:
 * - the request's URL is built on APP_ORIGIN, never on Host or X-Forwarded-Host (a forged Host
 *   must not reach links, QR codes or redirects);
 * - the body is counted as it streams: past `maxBodyBytes` the server answers 413 at once and
 *   drops the connection, without reading (or buffering) the rest. Routes read bodies through
 *   app/utils/forms.server.ts, which applies each route's own, smaller limit the same way.
 */
export function createRemixHandler({
	build,
	mode,
	origin,
	maxBodyBytes,
	getLoadContext,
}: {
	build: ServerBuild
	mode: string
	origin: string
	maxBodyBytes: number
	getLoadContext: (req: ExpressRequest, res: ExpressResponse) => ServerLoadContext
}) {
	const handle = createRequestHandler(build, mode)
	return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
		const controller = new AbortController()
		res.on('close', () => {
			if (!res.writableFinished) controller.abort()
		})
		try {
			const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers: headersOf(req), signal: controller.signal }
			const preread = prereadBody(req)
			if (preread) {
				// Read already, within a smaller limit, by the learner cache, which then left the request to Remix.
				init.body = preread as Uint8Array<ArrayBuffer>
			} else if (req.method !== 'GET' && req.method !== 'HEAD') {
				init.body = countedBody(req, maxBodyBytes, () => {
					sendTooLarge(req, res)
					controller.abort()
				})
				init.duplex = 'half'
			}
			const request = new Request(new URL(req.originalUrl, origin), init)
			const response = await handle(request, getLoadContext(req, res))
			if (res.headersSent) return
			// A body the app did not read to its end (a refusal, a route without an action) is not
			// received any further: the connection ends with this answer.
			if (!req.complete) res.setHeader('Connection', 'close')
			res.statusMessage = response.statusText
			res.status(response.status)
			for (const [name, value] of response.headers) {
				if (name === 'set-cookie') res.append(name, value)
				else res.setHeader(name, value)
			}
			if (response.body) await writeReadableStreamToWritable(response.body, res)
			else res.end()
		} catch (error) {
			if (res.headersSent || controller.signal.aborted) return
			next(error)
		}
	}
}

/** Bodies read before Remix (by the learner cache, within its own smaller limit) and handed on to it. */
const prereadBodies = new WeakMap<IncomingMessage, Buffer>()

/** This request's body was read already: Remix takes it from here instead of the request stream. */
export function handOnBody(req: IncomingMessage, body: Buffer) {
	prereadBodies.set(req, body)
}

function prereadBody(req: IncomingMessage) {
	return prereadBodies.get(req)
}

/** The request's headers as a Fetch `Headers` (repeated ones appended), for a Remix request. */
export function headersOf(req: IncomingMessage) {
	const headers = new Headers()
	for (const [name, value] of Object.entries(req.headers)) {
		if (value === undefined) continue
		for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v)
	}
	return headers
}

/**
 * The request body as a web stream that counts bytes as they arrive. Over the limit it calls
 * `tooLarge` and fails, so whoever reads it stops; a reader that gives up early (a route's own
 * limit) leaves the rest unread, and the connection is closed after the answer instead of Node
 * reading and discarding what is left.
 */
export function countedBody(req: IncomingMessage, maxBytes: number, tooLarge: () => void): ReadableStream<Uint8Array> {
	const declared = Number(req.headers['content-length'] ?? 0)
	let received = 0
	let done = false
	return new ReadableStream<Uint8Array>(
		{
			start(controller) {
				if (declared > maxBytes) {
					done = true
					tooLarge()
					controller.error(new Error('request body too large'))
					return
				}
				req.on('data', (chunk: Buffer) => {
					if (done) return
					received += chunk.byteLength
					if (received > maxBytes) {
						done = true
						req.pause()
						tooLarge()
						controller.error(new Error('request body too large'))
						return
					}
					controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
					if ((controller.desiredSize ?? 0) <= 0) req.pause()
				})
				req.once('end', () => {
					if (done) return
					done = true
					controller.close()
				})
				req.once('error', (error) => {
					if (done) return
					done = true
					controller.error(error)
				})
			},
			pull() {
				if (!done) req.resume()
			},
			cancel() {
				done = true
				req.pause()
				closeAfterAnswer(req)
			},
		},
		{ highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
	)
}

/** The unread rest of a refused body is not worth receiving: end the connection with the answer. */
export function closeAfterAnswer(req: IncomingMessage) {
	const res = (req as ExpressRequest).res
	if (res && !res.headersSent) res.setHeader('Connection', 'close')
}
