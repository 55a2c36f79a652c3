import type { Request, Response } from 'express'
import en from '../app/locales/en/common.json' with { type: 'json' }
import vi from '../app/locales/vi/common.json' with { type: 'json' }
import { errorPageKeys } from '../app/utils/error-page.ts'
import { titled } from '../app/utils/title.ts'

// Answers the server gives itself, before or after Remix (a body over the limit, a forged
// cross-site post, an error Remix could not render): in Vietnamese first, then English, with the
// app's own words (app/locales/*/common.json), as JSON to scripts and as a small page to browsers.

type Dictionary = typeof vi
const dictionaries = { vi, en: en as Dictionary }

/** A key of common.json ("common:errors.tooLarge" or "errors.help.413") in one language ('' if none). */
function lookup(lng: keyof typeof dictionaries, key: string): string {
	let value: unknown = dictionaries[lng]
	for (const part of key.replace(/^common:/, '').split('.')) value = (value as Record<string, unknown> | undefined)?.[part]
	return typeof value === 'string' ? value : ''
}

export function sendTooLarge(req: Request, res: Response) {
	if (res.headersSent) return
	res.setHeader('Connection', 'close')
	send(req, res, 413, 'common:errors.tooLarge')
}

/** A post from another site (server/index.ts `forgedOrigin`): refused before anything reads it. */
export function sendOtherSite(req: Request, res: Response) {
	if (res.headersSent) return
	res.setHeader('Connection', 'close')
	// Not "you may not see this page": the person did nothing wrong, their form came from elsewhere (or an old page).
	send(req, res, 403, 'common:errors.otherSite', { heading: 'errors.heading.notSent', help: 'errors.otherSite' })
}

/** A request Express itself refuses (a malformed percent-encoding in the path): the client's fault, a 400. */
export function sendBadRequest(req: Request, res: Response) {
	if (res.headersSent) return res.destroy()
	send(req, res, 400, 'common:errors.badInput')
}

export function sendServerError(req: Request, res: Response) {
	if (res.headersSent) return res.destroy()
	send(req, res, 500, 'common:errors.unexpected')
}

/**
 * Scripts get the message key and its text in both languages; browsers a small page with the app's
 * error-page words (app/utils/error-page.ts): the status's heading and help line unless `words` gives
 * this refusal its own.
 */
function send(req: Request, res: Response, status: number, key: string, words = errorPageKeys(status, (k) => lookup('vi', k) !== '')) {
	res.status(status)
	if (wantsJson(req)) {
		res.json({ message: key, text: { vi: lookup('vi', key), en: lookup('en', key) } })
		return
	}
	const heading = lookup('vi', words.heading)
	const title = escapeHtml(heading)
	const code = escapeHtml(vi.errors.code.replace('{{status}}', String(status)))
	res
		.type('html')
		.send(
			`<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
				`<title>${escapeHtml(titled(heading))}</title></head><body>` +
				`<h1>${title}</h1><p>${escapeHtml(lookup('vi', words.help))}</p><p><small>${code}</small></p><p><a href="/">${escapeHtml(vi.errors.backHome)}</a></p>` +
				`<hr><p lang="en"><strong>${escapeHtml(lookup('en', words.heading))}.</strong> ${escapeHtml(lookup('en', words.help))} <a href="/">${escapeHtml(lookup('en', 'errors.backHome'))}</a></p>` +
				`</body></html>`,
		)
}

/** Scripts (the quiz, the offline outbox, the API) and Remix's single-fetch `.data` requests. */
function wantsJson(req: Request) {
	return req.path.startsWith('/api/') || req.path.endsWith('.data') || /application\/json/.test(req.get('accept') ?? '')
}

function escapeHtml(text: string) {
	return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
}
