/**
 * The URLs of a signed-in learner's lesson page that the server may answer without Remix (ADR 032,
 * 033): the server's `takes` (server/learner-cache.ts) and the app's `lessonView`
 * (app/learner-pages.server.tsx) read them from here, so the two can never disagree. Pure data.
 */

/** `/`: the home page, which greets a signed-in learner and points to their next lesson. */
export const HOME_PATH = '/'

/** `/courses`: the catalogue, assembled the same way. */
export const CATALOGUE_PATH = '/courses'

/** `/courses/<course>`: the course page, assembled the same way (its slug). */
export const COURSE_PATH = /^\/courses\/([a-z0-9-]{1,80})$/

/** `/courses/<course>/<lesson>`: the two slugs. */
export const LESSON_PATH = /^\/courses\/([a-z0-9-]{1,80})\/([a-z0-9-]{1,80})$/

/** The one query string the assembled page takes: `?quiz=<client id>`, the attempt a full-page quiz post names. */
export const ANSWERED_QUERY = /^\?quiz=([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i
