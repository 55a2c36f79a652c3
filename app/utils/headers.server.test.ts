import { afterEach, describe, expect, it } from 'vitest'
import { env } from './env.server.ts'
import { applySecurityHeaders, securityHeaders } from './headers.server.ts'

const issuer = env.VNEID_ISSUER
afterEach(() => {
	;(env as { VNEID_ISSUER?: string }).VNEID_ISSUER = issuer
})

const csp = (headers: readonly (readonly [string, string])[]) => new Map(headers).get('Content-Security-Policy') ?? ''

describe('securityHeaders', () => {
	it('gives a document its own nonce and every other answer the policy without one', () => {
		expect(csp(securityHeaders('abc'))).toContain("script-src 'self' 'nonce-abc'")
		expect(csp(securityHeaders('xyz'))).toContain("'nonce-xyz'")
		expect(csp(securityHeaders('xyz'))).not.toContain('abc')
		expect(csp(securityHeaders())).toContain("script-src 'self';")
		expect(csp(securityHeaders())).not.toContain('nonce')
	})

	it('built once without a nonce, the policy still follows the settings and the page', () => {
		;(env as { VNEID_ISSUER?: string }).VNEID_ISSUER = 'https://id.example.gov.vn/oidc'
		expect(csp(securityHeaders())).toContain("form-action 'self' https://id.example.gov.vn")
		;(env as { VNEID_ISSUER?: string }).VNEID_ISSUER = 'https://other.example.vn'
		expect(csp(securityHeaders())).toContain("form-action 'self' https://other.example.vn;")
		expect(csp(securityHeaders())).not.toContain('id.example.gov.vn')
		const permissions = (pathname: string) => new Map(securityHeaders(undefined, pathname)).get('Permissions-Policy')
		expect(permissions('/narrate/smartphone/turn-on')).toContain('microphone=(self)')
		expect(permissions('/courses/smartphone/turn-on')).toContain('microphone=()')
		// Asked again after the other page: each page keeps its own.
		expect(permissions('/narrate/smartphone/turn-on')).toContain('microphone=(self)')
	})

	it('what it keeps cannot be changed by a caller', () => {
		const first = securityHeaders() as [string, string][]
		expect(() => first.push(['X-Test', '1'])).toThrow()
		expect(() => {
			first[0]![1] = 'changed'
		}).toThrow()
		expect(securityHeaders()).toEqual(first)
		// Built once: the same list on every answer, not a new one.
		expect(securityHeaders()).toBe(first)
		expect(securityHeaders(undefined, '/narrate/a/b')).toBe(securityHeaders(undefined, '/narrate/c/d'))
		const headers = new Headers()
		applySecurityHeaders(headers, 'n1')
		expect(headers.get('content-security-policy')).toContain("'nonce-n1'")
	})
})
