/**
 * Where to send someone after a form, when the target came from input (?redirectTo=, a hidden
 * field): only a path on this site, else `fallback`. Accepted: `/` alone, or `/` followed by a
 * character that is neither `/` nor `\` (`//host` and `/\host` are other sites to a browser), with
 * no control or white-space character anywhere (browsers drop tab, CR and LF, so `/\t/evil.example`
 * becomes `//evil.example`; CR, LF, NUL and U+3000 also made the Location header throw, a 500 after
 * the session was made) and no backslash. The percent-decoded form must pass too, for routes that
 * decode and redirect again. Pure: used by every route and safe in the browser.
 */
export function safeRedirect(to: unknown, fallback = '/'): string {
	if (typeof to !== 'string' || to.length > 1000 || !isSafePath(to)) return fallback
	let decoded: string
	try {
		decoded = decodeURIComponent(to)
	} catch {
		return fallback
	}
	return isSafePath(decoded) ? to : fallback
}

// C0 and C1 controls, DEL, every Unicode white space (incl. U+3000, U+2028, U+2029, U+00A0,
// U+FEFF), zero-width and bidi formatting characters, and the backslash.
const FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\s\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\\]/u

function isSafePath(path: string) {
	if (!path.startsWith('/') || path.startsWith('//') || FORBIDDEN.test(path)) return false
	// What a browser makes of it, resolved against this site, must still be this site.
	const base = 'http://same.invalid'
	try {
		return new URL(path, base).origin === base
	} catch {
		return false
	}
}
