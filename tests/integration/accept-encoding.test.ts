import { describe, expect, test } from 'vitest'
import { acceptsGzip, bestCoding } from '../../server/learner-cache.ts'

// What the learner cache compresses with, before Express's compression middleware could: the
// same choice that middleware makes (its negotiator, Brotli preferred on a tie).
describe('bestCoding', () => {
	test.each([
		[undefined, null],
		['', null],
		['identity', null],
		['deflate', null],
		['gzip', 'gzip'],
		['gzip, deflate', 'gzip'],
		['gzip, deflate, br, zstd', 'br'],
		['br;q=0', null],
		['gzip;q=0, br;q=0', null],
		['gzip, br;q=0.9', 'gzip'],
		['gzip;q=0.5, br;q=0.8', 'br'],
		['*', 'br'],
		['*;q=0.1, gzip', 'gzip'],
		['GZIP ; Q=1', 'gzip'],
		// A coding's own entry wins over `*`, either way.
		['br;q=0, *', 'gzip'],
		['*;q=0, gzip', 'gzip'],
		['gzip;q=abc', null],
	] as const)('%j → %j', (header, expected) => {
		expect(bestCoding(header)).toBe(expected)
	})
})

describe('acceptsGzip (the assembled page is always gzip)', () => {
	test.each([
		[undefined, false],
		['br', false],
		['gzip;q=0', false],
		['gzip', true],
		['br, gzip', true],
		['*', true],
		['*;q=0, gzip', true],
		['gzip;q=0, *', false],
	] as const)('%j → %j', (header, expected) => {
		expect(acceptsGzip(header)).toBe(expected)
	})
})
