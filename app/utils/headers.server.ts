import { env } from './env.server.ts'

/**
 * The security headers of every response. Documents get a CSP whose scripts need this response's
 * nonce (no 'unsafe-inline' scripts); every other response (JSON, `.data`, downloads, static
 * files, the server's own error pages) gets the same policy without a nonce, which also binds the
 * service worker (its script's CSP is the worker's). No framing, no sniffing; HSTS when the site is
 * served over https. server/security-headers.ts puts these on every response the server sends.
 */
export function securityHeaders(nonce?: string, pathname = ''): readonly (readonly [string, string])[] {
	if (nonce) return buildHeaders(nonce, pathname)
	// Without a nonce the policy is the same on every answer while the settings stay: built once
	// (the server completes every response with it).
	const microphone = MICROPHONE_PAGES.test(pathname)
	const key = `${env.VNEID_ISSUER ?? ''}\n${env.APP_ORIGIN}\n${microphone}`
	const cached = withoutNonce.get(key)
	if (cached) return cached
	const built = Object.freeze(buildHeaders(undefined, pathname).map((pair) => Object.freeze(pair)))
	withoutNonce.set(key, built)
	return built
}

const withoutNonce = new Map<string, readonly (readonly [string, string])[]>()

function buildHeaders(nonce: string | undefined, pathname: string): [string, string][] {
	const vneid = env.VNEID_ISSUER ? ` ${new URL(env.VNEID_ISSUER).origin}` : ''
	const headers: [string, string][] = [
		[
			'Content-Security-Policy',
			[
				"default-src 'self'",
				nonce ? `script-src 'self' 'nonce-${nonce}'` : "script-src 'self'",
				"style-src 'self' 'unsafe-inline'",
				"img-src 'self' data: blob:",
				"font-src 'self'",
				// A narrator listens back to what they just recorded (a blob: URL) before sending it (issue #23).
				"media-src 'self' blob:",
				"connect-src 'self'",
				"worker-src 'self'",
				"manifest-src 'self'",
				"object-src 'none'",
				"base-uri 'self'",
				// The VNeID button posts here and is redirected to the provider.
				`form-action 'self'${vneid}`,
				"frame-ancestors 'none'",
			].join('; '),
		],
		['X-Content-Type-Options', 'nosniff'],
		['Referrer-Policy', 'same-origin'],
		['X-Frame-Options', 'DENY'],
		['Permissions-Policy', `geolocation=(), microphone=${MICROPHONE_PAGES.test(pathname) ? '(self)' : '()'}, camera=(), payment=()`],
		['Cross-Origin-Opener-Policy', 'same-origin'],
	]
	if (env.APP_ORIGIN.startsWith('https:')) headers.push(['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'])
	return headers
}

/** The only pages that may use the microphone: a narrator recording a lesson (issue #23). */
const MICROPHONE_PAGES = /^\/narrate\/[^/]+\/[^/]+$/

/** A document's headers, with the CSP nonce its scripts carry. */
export function applySecurityHeaders(headers: Headers, nonce: string, pathname = '') {
	for (const [name, value] of securityHeaders(nonce, pathname)) headers.set(name, value)
}
