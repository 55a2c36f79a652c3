import zlib from 'node:zlib'

/**
 * Rasterises the app's favicon.svg into PNG icons for the web app manifest, with no image library:
 * it understands exactly the SVG the favicon uses (rect with rx, circle, stroked path of straight
 * lines: M/L/H/V/h/v/l/m) and fails loudly on anything else, so a redesigned favicon cannot
 * silently produce a wrong icon. 4×4 supersampling per pixel.
 */
type Shape =
	| { kind: 'rect'; x: number; y: number; w: number; h: number; r: number; fill: Rgba }
	| { kind: 'circle'; cx: number; cy: number; r: number; fill: Rgba }
	| { kind: 'segment'; x1: number; y1: number; x2: number; y2: number; half: number; fill: Rgba }
type Rgba = [number, number, number, number]

export function parseIconSvg(svg: string): { size: number; shapes: Shape[] } {
	const viewBox = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg)
	if (!viewBox || viewBox[1] !== viewBox[2]) throw new Error('favicon.svg: expected a square viewBox="0 0 N N"')
	const shapes: Shape[] = []
	const body = svg.replace(/<\?xml[^>]*>|<svg[^>]*>|<\/svg>|<title>[^<]*<\/title>/g, '').trim()
	for (const [tag, name] of body.matchAll(/<(\w+)\b[^>]*\/>/g)) {
		const a = (key: string, fallback?: string) => {
			const m = new RegExp(`\\s${key}="([^"]*)"`).exec(tag)
			if (m) return m[1]!
			if (fallback !== undefined) return fallback
			throw new Error(`favicon.svg: <${name}> without ${key}`)
		}
		const n = (key: string, fallback?: string) => Number(a(key, fallback))
		if (name === 'rect') shapes.push({ kind: 'rect', x: n('x', '0'), y: n('y', '0'), w: n('width'), h: n('height'), r: n('rx', '0'), fill: color(a('fill')) })
		else if (name === 'circle') shapes.push({ kind: 'circle', cx: n('cx'), cy: n('cy'), r: n('r'), fill: color(a('fill')) })
		else if (name === 'path') {
			if (a('fill', 'none') !== 'none' && !tag.includes('stroke=')) throw new Error('favicon.svg: only stroked paths are supported')
			const half = n('stroke-width', '1') / 2
			const stroke = color(a('stroke'))
			let x = 0
			let y = 0
			for (const [, cmd, args] of a('d').matchAll(/([MLHVmlhv])\s*([-\d.,\s]*)/g)) {
				const v = args!
					.trim()
					.split(/[\s,]+/)
					.filter(Boolean)
					.map(Number)
				const to = (nx: number, ny: number) => {
					shapes.push({ kind: 'segment', x1: x, y1: y, x2: nx, y2: ny, half, fill: stroke })
					x = nx
					y = ny
				}
				if (cmd === 'M') [x, y] = [v[0]!, v[1]!]
				else if (cmd === 'm') [x, y] = [x + v[0]!, y + v[1]!]
				else if (cmd === 'L') to(v[0]!, v[1]!)
				else if (cmd === 'l') to(x + v[0]!, y + v[1]!)
				else if (cmd === 'H') to(v[0]!, y)
				else if (cmd === 'h') to(x + v[0]!, y)
				else if (cmd === 'V') to(x, v[0]!)
				else if (cmd === 'v') to(x, y + v[0]!)
			}
			if (/[^MLHVmlhv\d\s.,-]/.test(a('d'))) throw new Error('favicon.svg: path commands other than straight lines')
		} else throw new Error(`favicon.svg: <${name}> is not supported by scripts/svg-icon.ts`)
	}
	return { size: Number(viewBox[1]), shapes }
}

function color(value: string): Rgba {
	const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value)?.[1]
	if (!hex) throw new Error(`favicon.svg: colour ${value} (use #rgb or #rrggbb)`)
	const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex
	return [parseInt(full.slice(0, 2), 16), parseInt(full.slice(2, 4), 16), parseInt(full.slice(4, 6), 16), 255]
}

function inside(s: Shape, x: number, y: number): boolean {
	if (s.kind === 'circle') return (x - s.cx) ** 2 + (y - s.cy) ** 2 <= s.r ** 2
	if (s.kind === 'rect') {
		if (x < s.x || y < s.y || x > s.x + s.w || y > s.y + s.h) return false
		const r = Math.min(s.r, s.w / 2, s.h / 2)
		const dx = Math.max(s.x + r - x, 0, x - (s.x + s.w - r))
		const dy = Math.max(s.y + r - y, 0, y - (s.y + s.h - r))
		return dx * dx + dy * dy <= r * r
	}
	// A stroked line with butt ends (SVG's default).
	const vx = s.x2 - s.x1
	const vy = s.y2 - s.y1
	const len2 = vx * vx + vy * vy
	const t = ((x - s.x1) * vx + (y - s.y1) * vy) / len2
	if (t < 0 || t > 1) return false
	return Math.abs((x - s.x1) * vy - (y - s.y1) * vx) / Math.sqrt(len2) <= s.half
}

/**
 * Renders the icon at `px` pixels. `fullBleed`: the first shape (the background) fills the whole
 * square and the rest is scaled by `scale` around the centre — for "maskable" icons, whose corners
 * the phone cuts to its own shape, and for iOS, which does not take transparency.
 */
export function renderPng(svg: string, px: number, { fullBleed = false, scale = 1 } = {}): Buffer {
	const { size, shapes } = parseIconSvg(svg)
	const [background, ...rest] = shapes
	const SS = 4
	const rgba = Buffer.alloc(px * px * 4)
	for (let py = 0; py < px; py++) {
		for (let pxl = 0; pxl < px; pxl++) {
			let r = 0
			let g = 0
			let b = 0
			let a = 0
			for (let sy = 0; sy < SS; sy++) {
				for (let sx = 0; sx < SS; sx++) {
					const x = ((pxl + (sx + 0.5) / SS) / px) * size
					const y = ((py + (sy + 0.5) / SS) / px) * size
					let c: Rgba | null = fullBleed ? background!.fill : inside(background!, x, y) ? background!.fill : null
					const ux = size / 2 + (x - size / 2) / scale
					const uy = size / 2 + (y - size / 2) / scale
					for (const s of rest) if (inside(s, ux, uy)) c = s.fill
					if (c) {
						r += c[0]
						g += c[1]
						b += c[2]
						a += 255
					}
				}
			}
			const n = SS * SS
			const o = (py * px + pxl) * 4
			// Straight (not premultiplied) alpha, as PNG stores it.
			rgba[o] = a ? Math.round((r * 255) / a) : 0
			rgba[o + 1] = a ? Math.round((g * 255) / a) : 0
			rgba[o + 2] = a ? Math.round((b * 255) / a) : 0
			rgba[o + 3] = Math.round(a / n)
		}
	}
	return encodePng(rgba, px, px)
}

function encodePng(rgba: Buffer, width: number, height: number): Buffer {
	const rows = Buffer.alloc((width * 4 + 1) * height)
	for (let y = 0; y < height; y++) rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4)
	const chunk = (type: string, data: Buffer) => {
		const length = Buffer.alloc(4)
		length.writeUInt32BE(data.length)
		const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
		const crc = Buffer.alloc(4)
		crc.writeUInt32BE(zlib.crc32(body))
		return Buffer.concat([length, body, crc])
	}
	const ihdr = Buffer.alloc(13)
	ihdr.writeUInt32BE(width, 0)
	ihdr.writeUInt32BE(height, 4)
	ihdr.set([8, 6, 0, 0, 0], 8) // 8-bit RGBA
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
		chunk('IEND', Buffer.alloc(0)),
	])
}
