/**
 * The names the phone and the server must agree on for offline learning (docs/decisions/007-offline.md):
 * the service worker (app/sw), the page scripts (app/browser), the build (scripts/build-pwa.ts) and
 * the server import them from here. Pure data, safe in the browser and in the service worker.
 *
 * Changing a cache or storage name strands what phones already keep under the old one (saved
 * lessons, events waiting to be sent): change one only with code that moves the old data.
 */

/** Cache of learner pages and their pictures: kept across builds, so lessons a learner saved survive an update of the app. */
export const PAGES_CACHE = 'hvs-pages-v1'
/** Cache of hashed build files (/assets/…): the React bundles of staff pages, and old CSS still named by saved pages. */
export const ASSETS_CACHE = 'hvs-assets'
/** Cache where the service worker puts a lesson form it could not deliver; the lesson script moves it to the outbox. */
export const UNSENT_CACHE = 'hvs-unsent'
/** Key prefix of a form in UNSENT_CACHE (followed by its client id). */
export const UNSENT_PATH = '/__unsent/'
/** The hash the service worker sends the learner back to the lesson with after putting a form aside. */
export const UNSENT_HASH = '#hvs-unsent'

/** The outbox: learning events made without a connection, in IndexedDB until /api/sync has them. */
export const OUTBOX_DB = 'hvs-offline'
export const OUTBOX_DB_VERSION = 1
export const OUTBOX_STORE = 'outbox'
/** The most events /api/sync takes at once; the outbox sends a longer queue in batches of this size. */
export const MAX_SYNC_EVENTS = 100

/** The kinds of learning event the outbox keeps and /api/sync replays. */
export const EVENT_KIND = { complete: 'lesson.complete', quiz: 'quiz.attempt' } as const
export type EventKind = (typeof EVENT_KIND)[keyof typeof EVENT_KIND]

/** localStorage: lessons completed as the server knows them, per person (`hvs-done:<user id>`), to unlock lessons offline. */
export const COMPLETED_KEY_PREFIX = 'hvs-done:'
/** localStorage: a course saved on the phone (`hvs-saved:<course id>`), listed on the offline page. */
export const SAVED_COURSE_KEY_PREFIX = 'hvs-saved:'

/** Header sent when the phone fetches a course's lessons to keep: saving is not opening a lesson. */
export const OFFLINE_SAVE_HEADER = 'X-Offline-Save'

/** Events between the page scripts (offline.js and lesson.js are separate files on the same page). */
export const DOM_EVENT = {
	/** offline.js has put its API on window.hvsOffline. */
	offlineReady: 'hvs-offline-ready',
	/** The outbox was sent; detail: the server's results. */
	synced: 'hvs-synced',
	/** A quiz could not be answered in place: an enrolled learner's outbox takes it (cancels the event). */
	keepForm: 'hvs-keep-form',
	/** A quiz passed in place completed the lesson. */
	lessonCompleted: 'hvs-lesson-completed',
} as const

/** URLs the scripts and the service worker use. */
export const URLS = {
	serviceWorker: '/sw.js',
	/** The page every other page falls back to without a connection; precached with each build. */
	offlinePage: '/offline',
	sync: '/api/sync',
	quiz: '/api/quiz',
	logout: '/logout',
	login: '/login',
	/** The current notice (ADR 028), which a person agrees to before anything of theirs is recorded. */
	notice: '/me/notice',
	/** A recording's audio, /voices/<id>/<hash>.webm (issue #23): saved with its course, served with ranges offline. */
	voices: '/voices/',
} as const
