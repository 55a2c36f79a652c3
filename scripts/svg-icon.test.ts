import fs from 'node:fs'
import zlib from 'node:zlib'
import { expect, test } from 'vitest'
import { parseIconSvg, renderPng } from './svg-icon.ts'

/** Decodes the PNGs renderPng writes (8-bit RGBA, filter 0, one IDAT). */
function decode(png: Buffer) {
	expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
	const width = png.readUInt32BE(16)
	const height = png.readUInt32BE(20)
	const idat = png.indexOf('IDAT')
	const rows = zlib.inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)))
	const pixel = (x: number, y: number) => [...rows.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 1 + x * 4 + 4)]
	return { width, height, pixel }
}

const favicon = fs.readFileSync('public/favicon.svg', 'utf8')

test('the favicon becomes a PNG icon: red rounded square, white phone, transparent corners', () => {
	const { width, height, pixel } = decode(renderPng(favicon, 64))
	expect([width, height]).toEqual([64, 64])
	expect(pixel(0, 0)[3]).toBe(0) // rounded corner
	expect(pixel(4, 32)).toEqual([0xb9, 0x1c, 0x1c, 255]) // background
	expect(pixel(32, 52)).toEqual([255, 255, 255, 255]) // the phone, below its button
	expect(pixel(32, 47)).toEqual([0xb9, 0x1c, 0x1c, 255]) // the home button
})

test('maskable icons fill the whole square', () => {
	const { pixel } = decode(renderPng(favicon, 48, { fullBleed: true, scale: 0.8 }))
	expect(pixel(0, 0)).toEqual([0xb9, 0x1c, 0x1c, 255])
})

test('SVG it does not understand fails the build instead of drawing a wrong icon', () => {
	expect(() => parseIconSvg('<svg viewBox="0 0 32 32"><ellipse cx="1" cy="1" rx="1" ry="2" fill="#000"/></svg>')).toThrow(/ellipse/)
	expect(() => parseIconSvg('<svg viewBox="0 0 32 32"><path d="M0 0C1 1 2 2 3 3" stroke="#000"/></svg>')).toThrow(/straight lines/)
	expect(() => parseIconSvg('<svg viewBox="0 0 32 32"><rect width="3" height="3" fill="red"/></svg>')).toThrow(/colour/)
})
