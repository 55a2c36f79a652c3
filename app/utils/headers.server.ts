import { env } from './env.server.ts'

/**
 * Security headers on every document: a CSP whose scripts need this response's nonce (no
 * 'unsafe-inline' scripts), no framing, no sniffing, HSTS in production.
 */
export function applySecurityHeaders(headers: Headers, nonce: string) {
	const vneid = env.VNEID_ISSUER ? ` ${new URL(env.VNEID_ISSUER).origin}` : ''
	headers.set(
		'Content-Security-Policy',
		[
			"default-src 'self'",
			`script-src 'self' 'nonce-${nonce}'`,
			"style-src 'self' 'unsafe-inline'",
			"img-src 'self' data: blob:",
			"font-src 'self'",
			"connect-src 'self'",
			"worker-src 'self'",
			"manifest-src 'self'",
			"object-src 'none'",
			"base-uri 'self'",
			// The VNeID button posts here and is redirected to the provider.
			`form-action 'self'${vneid}`,
			"frame-ancestors 'none'",
		].join('; '),
	)
	headers.set('X-Content-Type-Options', 'nosniff')
	headers.set('Referrer-Policy', 'same-origin')
	headers.set('X-Frame-Options', 'DENY')
	headers.set('Permissions-Policy', 'geolocation=(), microphone=(), camera=(), payment=()')
	headers.set('Cross-Origin-Opener-Policy', 'same-origin')
	if (process.env.NODE_ENV === 'production') {
		headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
	}
}
