import { z } from 'zod'

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

export interface FreeTextRule {
	/** Longest accepted text, after trimming. */
	max: number
	/** Shortest accepted text (0: may be left empty). */
	min?: number
	/** The punctuation the field needs besides letters and spaces (default: . , - ' / ( )). */
	punctuation?: string
	/** Whether digits belong in it (not in a person's name). */
	digits?: boolean
	/** A textarea: its line breaks (CR LF, LF) become spaces; other control characters are still refused. */
	multiline?: boolean
	/** Translation keys shown on the field. */
	messages: { invalid: string; tooLong: string; tooShort?: string; required?: string }
}

/**
 * The one rule for text people type (names, villages, places, sources): letters of any script
 * (Vietnamese with its diacritics, NFC as stored), digits, spaces and a small punctuation set,
 * beginning with a letter or digit. So no control character, NUL, lone surrogate, bidi or
 * zero-width character, and nothing a spreadsheet would read as a formula (= + - @ first), gets
 * stored. Non-breaking spaces (Excel pastes them) count as spaces; runs of spaces become one.
 */
export function freeText({ max, min = 0, punctuation = ".,-'/()", digits = true, multiline = false, messages }: FreeTextRule) {
	const body = `\\p{L}\\p{M}${digits ? '\\p{N}' : ''} ${punctuation.replace(/[\\\]^-]/g, (c) => `\\${c}`)}`
	const allowed = new RegExp(`^[\\p{L}${digits ? '\\p{N}' : ''}][${body}]*$`, 'u')
	return z.string({ message: messages.required ?? messages.tooShort ?? messages.invalid }).transform((raw, ctx) => {
		const fail = (message: string) => {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message })
			return z.NEVER
		}
		// Measured before any work on it: a 100 000-character value is refused at once.
		if (raw.length > max * 4) return fail(messages.tooLong)
		const text = (multiline ? raw.replace(/\r?\n/g, ' ') : raw)
			.replace(/\u00A0/g, ' ')
			.normalize('NFC')
			.trim()
			.replace(/ {2,}/g, ' ')
		if (!text) return min > 0 ? fail(messages.tooShort ?? messages.invalid) : ''
		if (text.length > max) return fail(messages.tooLong)
		if (text.length < min) return fail(messages.tooShort ?? messages.invalid)
		if (!allowed.test(text)) return fail(messages.invalid)
		return text
	})
}
