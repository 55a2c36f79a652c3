import { expect, test } from 'vitest'
import { safeRedirect } from './redirect.ts'

const HOSTILE = [
	'//evil.example',
	'///evil.example',
	'/\\evil.example',
	'/\\/evil.example',
	'\\\\evil.example',
	'/\t/evil.example',
	'/\n/evil.example',
	'/\r/x',
	'/\r\nSet-Cookie: x=1',
	'/\u0000/evil.example',
	'/me\u0000',
	'/\u3000/evil',
	'/\u2028/evil',
	'/\u2029/evil',
	'/\u00a0/evil',
	'/\ufeff/evil',
	'/\u200b/evil',
	'/\u202e/evil',
	'/ /evil.example',
	'/\u007f',
	'/\u0085/evil',
	'/%2F/evil.example',
	'/%2f%2fevil.example',
	'/%5C/evil.example',
	'/%09/evil.example',
	'/%0d%0a/x',
	'/%00',
	'/%E3%80%80/evil',
	'/%',
	'https://evil.example',
	'http:/evil.example',
	'javascript:alert(1)',
	'evil.example',
	'',
	' /me',
	'/me\\..\\..\\evil',
	'/' + 'a'.repeat(2000),
]

test.each(HOSTILE.map((target) => [JSON.stringify(target), target]))('refuses %s', (_, target) => {
	expect(safeRedirect(target, '/me')).toBe('/me')
})

test('refuses what is not a string', () => {
	for (const value of [null, undefined, 42, {}, ['/me'], new File(['/me'], 'x')]) expect(safeRedirect(value, '/me')).toBe('/me')
})

test('keeps same-site paths', () => {
	for (const target of [
		'/',
		'/me',
		'/courses/smartphone/turn-on',
		'/staff/residents?q=L%C3%B2&page=2',
		'/courses/smartphone#quiz',
		'/province/report?from=2026-01',
	]) {
		expect(safeRedirect(target, '/me')).toBe(target)
	}
})
