import { describe, expect, test } from 'vitest'
import { routeKind } from '../../server/metrics.ts'

// The route kinds of /metrics (ADR 024): every audience's pages, and a bounded set of labels
// whatever path is requested.
describe('routeKind', () => {
	test.each([
		['/', 'learner'],
		['/courses/smartphone/lesson-1', 'learner'],
		['/me/data', 'learner'],
		['/certificates/ABC123', 'learner'],
		['/certificates/ABC123/image', 'learner'],
		['/verify/ABC123', 'learner'],
		['/login', 'learner'],
		['/narrate/smartphone/turn-on', 'learner'],
		['/voices/cm0abc/0123456789abcdef.webm', 'asset'],
		['/staff', 'staff'],
		['/staff/residents/ckxyz', 'staff'],
		['/province/report', 'province'],
		['/api/quiz', 'api'],
		['/api/v1/indicators', 'api'],
		['/.well-known/jwks.json', 'api'],
		['/credentials/status/1', 'api'],
		['/certificates/ABC123/credential', 'api'],
		['/api/sync', 'sync'],
		['/assets/root-abc123.js', 'asset'],
		['/lesson.js', 'asset'],
		['/manifest.webmanifest', 'asset'],
		['/icons/icon-192.png', 'asset'],
		['/resources/healthcheck', 'other'],
		['/no-such-page', 'other'],
	])('%s → %s', (path, kind) => {
		expect(routeKind(path)).toBe(kind)
	})
})
