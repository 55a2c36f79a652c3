import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Response } from 'express'
import { securityHeaders } from '../app/utils/headers.server.ts'

const SESSION_COOKIE = /(?:^|;\s*)hvs_session=/
const PUBLIC_IMMUTABLE = /^(?=.*\bpublic\b)(?=.*\bimmutable\b)/

/**
 * First middleware of the server: whatever answers the request (a static file, the render cache,
 * Remix, the server's own 403/413/500), the headers are completed just before they go out, so no
 * route can forget them:
 * - the security headers of app/utils/headers.server.ts, where the answer did not set its own (a
 *   document's CSP carries its nonce);
 * - `Cache-Control: private, no-store` on every answer to a request carrying a session cookie
 *   (valid or not), except static files, which are the same for everyone: a shared cache or the
 *   phone's back button must never keep a page, `.data`, JSON or download made for one person.
 *   The render cache never serves such a request nor stores a private/no-store answer. An answer the
 *   app itself marks `public` and `immutable` is the same for everyone at a URL that names its
 *   content (a published recording's audio, /voices/<id>/<hash>.webm): it keeps its headers, so a
 *   signed-in learner's phone caches it too.
 */
export function completeHeaders(req: IncomingMessage, res: ServerResponse, next: () => void) {
	const signedIn = SESSION_COOKIE.test(req.headers.cookie ?? '')
	const writeHead = res.writeHead
	res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
		for (const [name, value] of securityHeaders()) if (!this.hasHeader(name)) this.setHeader(name, value)
		if (signedIn && !(res as Partial<Response>).locals?.staticFile && !PUBLIC_IMMUTABLE.test(String(this.getHeader('Cache-Control') ?? ''))) {
			this.setHeader('Cache-Control', 'private, no-store')
			this.removeHeader('ETag')
			this.removeHeader('Last-Modified')
		}
		return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args)
	} as ServerResponse['writeHead']
	next()
}

/** For express.static's `setHeaders`: this answer is a file from the build, the same for everyone. */
export function markStaticFile(res: ServerResponse) {
	;(res as Response).locals.staticFile = true
}
