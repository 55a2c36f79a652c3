/**
 * The privacy notice's version and what a consent is for (ADR 018). Pure: safe in the browser.
 *
 * The notice's words live in app/locales/{vi,en}/privacy.json; change them and this version
 * together, so every stored consent says which words the person was shown.
 */
export const NOTICE_VERSION = '2026-12-01'

/** What a consent covers: learning (the account itself) and ethnic origin (sensitive, optional). */
export const CONSENT_PURPOSES = ['LEARNING', 'ETHNICITY'] as const
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number]

/** How the notice reached the person: on their own screen, through commune staff, by a staff-confirmed import, via VNeID. */
export const CONSENT_CHANNELS = ['SELF', 'STAFF', 'IMPORT', 'VNEID', 'SEED'] as const
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number]
