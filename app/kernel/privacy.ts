/**
 * The privacy notice's version and what a consent is for (ADR 018). Pure: safe in the browser.
 *
 * The notice's words live in app/locales/{vi,en}/privacy.json; change them and this version
 * together, so every stored consent says which words the person was shown.
 */
export const NOTICE_VERSION = '2026-12-01.2'

/**
 * What a consent covers: learning (the account itself), ethnic origin (sensitive, optional), and
 * for a role holder the staff notice they read (their basis is the official role, ADR 028).
 */
export const CONSENT_PURPOSES = ['LEARNING', 'ETHNICITY', 'STAFF'] as const
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number]

/** How the notice reached the person: on their own screen, through commune staff, by a staff-confirmed import, via VNeID. */
export const CONSENT_CHANNELS = ['SELF', 'STAFF', 'IMPORT', 'VNEID', 'SEED'] as const
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number]

/** Which notice a person must have agreed to, at the current version, before going on (ADR 028). */
export type NoticeKind = 'resident' | 'staff'
export function noticeKindFor(roleCount: number): NoticeKind {
	return roleCount > 0 ? 'staff' : 'resident'
}
export function purposeOfNotice(kind: NoticeKind): ConsentPurpose {
	return kind === 'staff' ? 'STAFF' : 'LEARNING'
}

/**
 * Pages a signed-in person may open before agreeing to the current notice: the notice itself, the
 * full notice, signing out, completing a VNeID profile (which shows the notice), and — so that
 * someone who does not agree can still exercise their rights — seeing, downloading and erasing
 * their data.
 */
const BEFORE_NOTICE = ['/me/notice', '/me/complete', '/me/erase', '/me/data', '/me/data/download', '/privacy', '/logout']
export function reachableBeforeNotice(pathname: string) {
	const path = pathname.replace(/\/+$/, '') || '/'
	return BEFORE_NOTICE.includes(path)
}
