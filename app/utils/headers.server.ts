/** Security headers on every document (tightened further in issue 8's hardening work). */
export function applySecurityHeaders(headers: Headers) {
	headers.set('X-Content-Type-Options', 'nosniff')
	headers.set('Referrer-Policy', 'same-origin')
	headers.set('X-Frame-Options', 'DENY')
	headers.set('Permissions-Policy', 'geolocation=(), microphone=(), camera=()')
	if (process.env.NODE_ENV === 'production') {
		headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
	}
}
