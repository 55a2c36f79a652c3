/**
 * What the database and the people reading our pages may be given from a request (issue #16).
 * PostgreSQL refuses NUL in text (the query fails: a 500), and LIKE treats % and _ as wildcards,
 * so search text is cleaned and escaped before it reaches a `contains`. Pure: safe in the browser.
 */

/** C0 and C1 control characters (TAB, LF and CR are left to the rules that allow them). */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/
/** Everything a search box never needs: every control and format character (bidi, zero-width, BOM), and lone surrogates. */
const UNSEARCHABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu

/** True when the text holds a NUL or another control character that no field of ours accepts. */
export function hasControlCharacters(text: string) {
	return CONTROL.test(text)
}

/**
 * Search or filter text as it may be sent to the database: NFC (as stored), without control,
 * bidi or zero-width characters, spaces collapsed, at most `max` characters. '' when nothing is left.
 */
export function cleanSearchText(text: string | null | undefined, max = 100) {
	if (!text) return ''
	return text.replace(UNSEARCHABLE, '').normalize('NFC').replace(/\s+/g, ' ').trim().slice(0, max).trim()
}

/**
 * Escapes LIKE's wildcards (% and _) and its escape character (\, PostgreSQL's default), so that a
 * Prisma `contains`/`startsWith` searches for the text itself: Prisma passes them through as wildcards.
 */
export function escapeLike(text: string) {
	return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** Clean search text ready for a `contains`, or null when there is nothing to search for. */
export function containsText(text: string | null | undefined, max = 100) {
	const clean = cleanSearchText(text, max)
	return clean ? escapeLike(clean) : null
}
