import type { IncomingMessage } from 'node:http'

/** A request URL's pathname and its query string (with its `?`, or empty), as sent. */
export function splitUrl(url = '/') {
	const q = url.indexOf('?')
	return q < 0 ? { pathname: url, search: '' } : { pathname: url.slice(0, q), search: url.slice(q) }
}

/** The pathname of a request as sent (no query string). */
export function pathOf(req: IncomingMessage) {
	return splitUrl(req.url).pathname
}

/**
 * How much `Accept-Encoding` wants a coding (its q, 0 for refused): the coding's own entry, else
 * `*`'s, else 0 — as Negotiator (Express's compression) reads it.
 */
export function codingQuality(header: string | undefined, coding: string) {
	if (!header) return 0
	let star = 0
	for (const item of header.split(',')) {
		const [name, ...params] = item.split(';').map((x) => x.trim().toLowerCase())
		const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? 1)
		const quality = Number.isFinite(q) && q > 0 ? q : 0
		if (name === coding) return quality
		if (name === '*') star = quality
	}
	return star
}
