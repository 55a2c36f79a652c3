import type { Request, Response } from 'express'
import en from '../app/locales/en/common.json' with { type: 'json' }
import vi from '../app/locales/vi/common.json' with { type: 'json' }

// Answers the server gives itself, before or after Remix (a body over the limit, a forged
// cross-site post, an error Remix could not render): in Vietnamese first, then English, with the
// app's own words (app/locales/*/common.json), as JSON to scripts and as a small page to browsers.

type Message = (lng: typeof vi) => string

export function sendTooLarge(req: Request, res: Response) {
	if (res.headersSent) return
	res.setHeader('Connection', 'close')
	send(req, res, 413, (l) => l.errors.tooLarge, 'common:errors.tooLarge')
}

/** A post from another site (server/index.ts `forgedOrigin`): refused before anything reads it. */
export function sendOtherSite(req: Request, res: Response) {
	if (res.headersSent) return
	res.setHeader('Connection', 'close')
	// Not "you may not see this page": the person did nothing wrong, their form came from elsewhere (or an old page).
	send(req, res, 403, (l) => l.errors.otherSite, 'common:errors.otherSite', 'notSent')
}

/** A request Express itself refuses (a malformed percent-encoding in the path): the client's fault, a 400. */
export function sendBadRequest(req: Request, res: Response) {
	if (res.headersSent) return res.destroy()
	send(req, res, 400, (l) => l.errors.badInput, 'common:errors.badInput')
}

export function sendServerError(req: Request, res: Response) {
	if (res.headersSent) return res.destroy()
	send(req, res, 500, (l) => l.errors.unexpected, 'common:errors.unexpected')
}

function send(req: Request, res: Response, status: number, message: Message, key: string, heading: string = String(status)) {
	res.status(status)
	if (wantsJson(req)) {
		res.json({ message: key, text: { vi: message(vi), en: message(en as typeof vi) } })
		return
	}
	// The heading in plain words, as the app's error page gives it; the code below it, small.
	const headings = vi.errors.heading as Record<string, string>
	const title = escapeHtml(headings[heading] ?? headings['500']!)
	const code = escapeHtml(vi.errors.code.replace('{{status}}', String(status)))
	res
		.type('html')
		.send(
			`<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
				`<title>${title}</title></head><body>` +
				`<h1>${title}</h1><p>${escapeHtml(message(vi))}</p><p><small>${code}</small></p><p><a href="/">${escapeHtml(vi.errors.backHome)}</a></p>` +
				`<hr><p lang="en">${escapeHtml(message(en as typeof vi))} <a href="/">${escapeHtml((en as typeof vi).errors.backHome)}</a></p>` +
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
