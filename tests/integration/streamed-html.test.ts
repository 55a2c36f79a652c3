import { PassThrough } from 'node:stream'
import { createElement } from 'react'
import { renderToPipeableStream, renderToString } from 'react-dom/server'
import { expect, test } from 'vitest'

/**
 * React 18.3's streaming renderer (renderToPipeableStream, used by app/entry.server.tsx) wrote its
 * whole 2 KB buffer when a character of 2 or 3 bytes did not fit at its end, zero bytes included:
 * NUL bytes inside Vietnamese pages at offsets 2046, 4095, 8191… (issue #17). Fixed by
 * patches/react-dom+18.3.1.patch (only the bytes written are sent, as React 19 does).
 */
async function streamed(element: ReturnType<typeof createElement>) {
	return new Promise<Buffer>((resolve, reject) => {
		const chunks: Buffer[] = []
		const sink = new PassThrough()
		sink.on('data', (c: Buffer) => chunks.push(c))
		sink.on('end', () => resolve(Buffer.concat(chunks)))
		const { pipe } = renderToPipeableStream(element, { onAllReady: () => pipe(sink), onError: reject })
	})
}

test('a long Vietnamese page streams without NUL bytes, identical to the string render', async () => {
	// Text nodes of every length, so that many of the 2 KB boundaries fall inside a character.
	const words = ['Bình', 'dân', 'học', 'vụ', 'số', 'Chiềng', 'Ơn', 'Thuận', 'Châu', 'đăng', 'nhập', 'Mường', 'Lường', 'Quàng']
	const items = Array.from({ length: 600 }, (_, i) => createElement('li', { key: i }, words.slice(0, 1 + (i % words.length)).join(' ')))
	const page = createElement('ul', null, items)
	const bytes = await streamed(page)
	expect(bytes.indexOf(0)).toBe(-1)
	expect(bytes.toString('utf8')).not.toContain('\uFFFD')
	expect(bytes.toString('utf8')).toBe(renderToString(page))
})
