import { describe, expect, test } from 'vitest'
import * as route from '#app/routes/[.]well-known.security[.]txt.tsx'
import { securityTxt } from '#app/utils/security-txt.ts'
import { callRoute } from '#tests/utils/route.ts'

/**
 * /.well-known/security.txt (RFC 9116) as a researcher's tool reads it: the configured contact
 * (vitest.config.ts sets SECURITY_CONTACT), an Expires within a year, the languages, and a
 * Canonical URL on APP_ORIGIN whatever Host the request names.
 */
describe('security.txt', () => {
	test('is served as plain text with Contact, Expires, Preferred-Languages and Canonical from APP_ORIGIN', async () => {
		const result = await callRoute(route, 'loader', { url: '/.well-known/security.txt', headers: { Host: 'evil.example', 'X-Forwarded-Host': 'evil.example' } })
		expect(result.status).toBe(200)
		expect(result.response!.headers.get('Content-Type')).toBe('text/plain; charset=utf-8')
		const text = await result.response!.text()
		const lines = text.trimEnd().split('\n')
		expect(lines).toEqual([
			'Contact: mailto:security@example.gov.vn',
			expect.stringMatching(/^Expires: \d{4}-\d{2}-\d{2}T00:00:00Z$/),
			'Preferred-Languages: vi, en',
			'Canonical: http://localhost/.well-known/security.txt',
		])
		const expires = Date.parse(lines[1]!.slice('Expires: '.length))
		// RFC 9116 §2.5.5: in the future, and less than a year away.
		expect(expires).toBeGreaterThan(Date.now() + 150 * 86_400_000)
		expect(expires).toBeLessThan(Date.now() + 365 * 86_400_000)
		expect(text).not.toContain('evil.example')
	})

	test('without a configured contact nothing is published (no made-up address)', () => {
		expect(securityTxt({ contacts: [], origin: 'https://hocvuso.sonla.gov.vn' })).toBeNull()
		expect(
			securityTxt({
				contacts: ['mailto:attt@sonla.gov.vn', 'tel:+84-212-3852-000'],
				origin: 'https://hocvuso.sonla.gov.vn',
				now: new Date('2026-12-01T23:30:00+07:00'),
			}),
		).toBe(
			'Contact: mailto:attt@sonla.gov.vn\nContact: tel:+84-212-3852-000\nExpires: 2027-05-30T00:00:00Z\nPreferred-Languages: vi, en\nCanonical: https://hocvuso.sonla.gov.vn/.well-known/security.txt\n',
		)
	})
})
