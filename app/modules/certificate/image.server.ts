import { createRequire } from 'node:module'
import { Resvg } from '@resvg/resvg-js'

/**
 * The certificate as a picture a phone keeps in its gallery ("Lưu ảnh", issue #20): an SVG drawn
 * here, rasterised on the server by resvg with the DejaVu Sans fonts from npm (dejavu-fonts-ttf),
 * which cover every Vietnamese letter and tone mark. No system font is read, so the picture is the
 * same on every server and a font missing from the machine cannot turn the text into boxes.
 */
export interface CertificateImageText {
	/** The sentences in the reader's language, already filled in. */
	issuer: string
	heading: string
	certifies: string
	name: string
	completed: string
	course: string
	date: string
	scan: string
	code: string
	verifyUrl: string
	/** Set when the certificate was revoked: written across the top in red. */
	revoked?: string
}

/** A4 at 150 dpi: prints sharp on paper, and is about 1 MP, light for a phone. */
export const IMAGE_WIDTH = 1240
export const IMAGE_HEIGHT = 1754

const require = createRequire(import.meta.url)
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`))
const FONT_FAMILY = 'DejaVu Sans'

/** The certificate as a PNG: `qrSvg` is the QR code of the verification address (app/utils/qr.server.ts). */
export function certificatePng(text: CertificateImageText, qrSvg: string): Buffer {
	return renderPng(certificateSvg(text, qrSvg))
}

/** Any SVG of ours to PNG, with only the bundled fonts (exported for the test that letters are drawn). */
export function renderPng(svg: string): Buffer {
	const resvg = new Resvg(svg, {
		font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
		fitTo: { mode: 'original' },
		background: '#ffffff',
	})
	return resvg.render().asPng()
}

/** Raw RGBA pixels of an SVG drawn with the bundled fonts (for tests: what was actually drawn). */
export function renderPixels(svg: string): { width: number; height: number; pixels: Buffer } {
	const resvg = new Resvg(svg, { font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY }, background: '#ffffff' })
	const image = resvg.render()
	return { width: image.width, height: image.height, pixels: image.pixels }
}

const RED = '#b91c1c'
const RED_DARK = '#7f1d1d'
const INK = '#1f2937'
const MARGIN = 130

export function certificateSvg(t: CertificateImageText, qrSvg: string): string {
	const out: string[] = []
	let y = 190
	/** Centred lines, wrapped to the frame's width; returns nothing, moves y down. */
	const lines = (text: string, size: number, options: { bold?: boolean; fill?: string; gap?: number; breakAnywhere?: boolean } = {}) => {
		const width = IMAGE_WIDTH - 2 * MARGIN
		for (const line of wrap(text, size, width, options.bold ?? false, options.breakAnywhere ?? false)) {
			y += size
			out.push(
				`<text x="${IMAGE_WIDTH / 2}" y="${y}" font-size="${size}"${options.bold ? ' font-weight="bold"' : ''} fill="${options.fill ?? INK}" text-anchor="middle">${xml(line)}</text>`,
			)
			y += Math.round(size * 0.35)
		}
		y += options.gap ?? 24
	}
	if (t.revoked) lines(t.revoked, 56, { bold: true, fill: RED, gap: 16 })
	lines(t.issuer, 34, { bold: true, fill: RED_DARK, gap: 40 })
	lines(t.heading.toLocaleUpperCase('vi'), 50, { bold: true, fill: RED, gap: 50 })
	lines(t.certifies, 36)
	lines(t.name, 66, { bold: true, gap: 34 })
	lines(t.completed, 36)
	lines(`“${t.course}”`, 48, { bold: true, gap: 34 })
	lines(t.date, 36, { gap: 40 })
	const qrSize = Math.max(300, Math.min(440, IMAGE_HEIGHT - y - 330))
	out.push(qrSvg.trim().replace(/^<svg /, `<svg x="${(IMAGE_WIDTH - qrSize) / 2}" y="${y}" width="${qrSize}" height="${qrSize}" `))
	y += qrSize + 20
	lines(t.scan, 30, { gap: 8 })
	lines(t.code, 32, { bold: true, gap: 8 })
	lines(t.verifyUrl, 26, { breakAnywhere: true })
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${IMAGE_WIDTH}" height="${IMAGE_HEIGHT}" viewBox="0 0 ${IMAGE_WIDTH} ${IMAGE_HEIGHT}" font-family="${FONT_FAMILY}">
<rect width="100%" height="100%" fill="#ffffff"/>
<rect x="40" y="40" width="${IMAGE_WIDTH - 80}" height="${IMAGE_HEIGHT - 80}" fill="none" stroke="${RED}" stroke-width="10"/>
<rect x="62" y="62" width="${IMAGE_WIDTH - 124}" height="${IMAGE_HEIGHT - 124}" fill="none" stroke="${RED}" stroke-width="4"/>
${out.join('\n')}
</svg>`
}

/**
 * Lines of at most `width` pixels, by words (or anywhere, for an address). DejaVu Sans advances
 * about 0.55 em a letter of running text on average (0.6 em bold, 0.72 em in capitals); the
 * estimate errs wide so nothing leaves the frame (image.test.ts checks a long course name).
 */
function wrap(text: string, size: number, width: number, bold: boolean, anywhere: boolean): string[] {
	const capitals = text === text.toLocaleUpperCase('vi')
	const perLine = Math.max(8, Math.floor(width / (size * (capitals ? 0.76 : bold ? 0.64 : 0.58))))
	if (anywhere) return text.match(new RegExp(`.{1,${perLine}}`, 'gu')) ?? ['']
	const result: string[] = []
	let current = ''
	for (const word of text.split(/\s+/).filter(Boolean)) {
		const next = current ? `${current} ${word}` : word
		if ([...next].length <= perLine || !current) current = next
		else {
			result.push(current)
			current = word
		}
	}
	if (current) result.push(current)
	return result.flatMap((line) => ([...line].length > perLine ? (line.match(new RegExp(`.{1,${perLine}}`, 'gu')) ?? []) : [line]))
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
