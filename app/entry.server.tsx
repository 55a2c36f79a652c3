import { randomBytes } from 'node:crypto'
import { type TransformCallback, Transform } from 'node:stream'
import { type AppLoadContext, createReadableStreamFromReadable, type EntryContext } from '@remix-run/node'
import { isRouteErrorResponse, RemixServer } from '@remix-run/react'
import { renderToPipeableStream } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { i18nFor } from './utils/i18n-instance.server.ts'
import { getLng } from './utils/i18n.server.ts'
import { applySecurityHeaders } from './utils/headers.server.ts'
import { NonceProvider } from './utils/nonce-provider.ts'
import { startHousekeeping } from './utils/housekeeping.server.ts'
import { getSigningKey } from './modules/certificate/certificate.server.ts'
import { syncCatalogue } from './modules/course/catalogue-sync.server.ts'
import { flagOutdatedRecordings } from './modules/voice/voice.server.ts'

// Course and lesson ids from the compiled content, mirrored before the first request.
await syncCatalogue()
// Recordings of lesson texts that changed in this build wait for review instead of playing (issue #23).
await flagOutdatedRecordings()
// Refuses to start when the stored credential-signing key is encrypted and CREDENTIAL_KEY_ENCRYPTION_KEY
// is missing or wrong; a plain stored key is encrypted here when a KEK is set.
await getSigningKey()
startHousekeeping()

export const streamTimeout = 5_000

export default async function handleRequest(
	request: Request,
	responseStatusCode: number,
	responseHeaders: Headers,
	remixContext: EntryContext,
	loadContext?: AppLoadContext,
) {
	const lng = await getLng(request)
	const instance = await i18nFor(lng)
	const nonce = loadContext?.renderTokens?.nonce ?? randomBytes(16).toString('base64')
	applySecurityHeaders(responseHeaders, nonce, new URL(request.url).pathname)

	// The whole document at once, for everyone: no loader defers data, so nothing is gained by sending
	// the shell first (React 18 would write the rest as hidden segments after </html>).
	const readyEvent = 'onAllReady'
	return new Promise<Response>((resolve, reject) => {
		let didError = false
		const { pipe, abort } = renderToPipeableStream(
			<NonceProvider value={nonce}>
				<I18nextProvider i18n={instance}>
					<RemixServer context={remixContext} url={request.url} nonce={nonce} />
				</I18nextProvider>
			</NonceProvider>,
			{
				[readyEvent]() {
					const body = closingTagsLast()
					responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
					resolve(
						new Response(createReadableStreamFromReadable(body), {
							headers: responseHeaders,
							status: didError ? 500 : responseStatusCode,
						}),
					)
					pipe(body)
				},
				nonce,
				onShellError(error: unknown) {
					reject(error)
				},
				onError(error: unknown) {
					didError = true
					console.error(error)
				},
			},
		)
		setTimeout(abort, streamTimeout + 1_000)
	})
}

/**
 * Remix renders the hydrating pages' loader data (single fetch's stream scripts) after the
 * document, so they arrived after </html>: browsers move them into the body, but it is invalid
 * HTML (the Nu HTML Checker, issue #20). The closing </body></html> is held back and written last.
 */
function closingTagsLast() {
	const END = Buffer.from('</body></html>')
	let moved = false
	let tail = Buffer.alloc(0)
	return new Transform({
		transform(chunk: Uint8Array, _encoding: BufferEncoding, done: TransformCallback) {
			let data = Buffer.concat([tail, chunk])
			if (!moved) {
				const at = data.indexOf(END)
				if (at !== -1) {
					data = Buffer.concat([data.subarray(0, at), data.subarray(at + END.length)])
					moved = true
				}
			}
			// Until the tags are found, the last bytes wait for the next chunk (the tags may be split).
			const keep = moved ? 0 : Math.min(END.length - 1, data.length)
			tail = Buffer.from(data.subarray(data.length - keep))
			done(null, data.subarray(0, data.length - keep))
		},
		flush(done: TransformCallback) {
			done(null, moved ? Buffer.concat([tail, END]) : tail)
		},
	})
}

export function handleError(error: unknown, { request }: { request: Request }) {
	if (request.signal.aborted || isRouteErrorResponse(error)) return
	// Log the path only: query strings may carry personal data.
	console.error(`Error on ${new URL(request.url).pathname}:`, error)
}

// The signed-in resident's lesson page assembled from a cached render (server/learner-cache.ts, ADR 032).
export { catalogueView, courseView, homeView, lessonPost, lessonView, quizHtml, quizInPlace } from './learner-pages.server.tsx'
