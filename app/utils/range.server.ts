/**
 * One byte range of an HTTP Range header (RFC 9110 §14): `bytes=a-b`, `bytes=a-` or `bytes=-n`.
 * Null when there is none, or when it asks for several ranges or is not understood (the whole file
 * is then sent, as the RFC allows); 'unsatisfiable' when it starts past the end (a 416).
 */
export function byteRange(header: string | null, size: number): { start: number; end: number } | 'unsatisfiable' | null {
	const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '')
	if (!m || (m[1] === '' && m[2] === '')) return null
	if (m[1] === '') {
		const suffix = Number(m[2])
		if (suffix === 0) return 'unsatisfiable'
		return { start: Math.max(0, size - suffix), end: size - 1 }
	}
	const start = Number(m[1])
	const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
	if (start >= size) return 'unsatisfiable'
	if (end < start) return null
	return { start, end }
}
