/**
 * /.well-known/security.txt (RFC 9116): where researchers report a vulnerability. Built from the
 * configured contacts and APP_ORIGIN only (never from request headers). `Expires` is required by
 * the RFC so that a stale file is noticed; the file is generated from live configuration, so it
 * looks half a year ahead, counted from the start of the current UTC day (the same for a whole day,
 * which lets caches share it).
 */
export const SECURITY_TXT_PATH = '/.well-known/security.txt'
const VALID_FOR_DAYS = 180

/** The file's text, or null when no contact is configured (nothing is published then). */
export function securityTxt({ contacts, origin, now = new Date() }: { contacts: readonly string[]; origin: string; now?: Date }) {
	if (!contacts.length) return null
	const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
	const expires = new Date(day + VALID_FOR_DAYS * 24 * 60 * 60_000)
	return [
		...contacts.map((c) => `Contact: ${c}`),
		`Expires: ${expires.toISOString().replace('.000Z', 'Z')}`,
		'Preferred-Languages: vi, en',
		`Canonical: ${origin}${SECURITY_TXT_PATH}`,
		'',
	].join('\n')
}
