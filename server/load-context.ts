import type { CourseProgress, MyLearning } from '../app/modules/progress/progress.server.ts'
import type { SessionUser } from '../app/utils/auth.server.ts'

// What the HTTP server (server/index.ts) hands each Remix request, and what one request's action
// leaves for its loaders: declared once here, the only place that adds to Remix's AppLoadContext.
declare module '@remix-run/node' {
	interface AppLoadContext {
		/** The client's address (server/proxy-trust.ts: the right-most address no trusted proxy wrote). */
		clientIp?: string
		/** From the render cache (server/render-cache.ts): the nonce and client id this render must use,
		 * so the cache can find them in the page and put fresh ones in each copy. */
		renderTokens?: { nonce: string; clientId: string }
		/** The signed-in user, looked up once for an action and the loaders that render its answer (auth.server.ts). */
		sharedUser?: Promise<SessionUser | null>
		/** The learner's progress in a course as an action in this request left it (read by the lesson loader). */
		courseProgress?: { courseId: string; progress: CourseProgress }
		/** The learner's enrolments as the learner cache read them for the catalogue it renders (ADR 043). */
		myLearning?: MyLearning
	}
}

export type ServerLoadContext = {
	clientIp: string
	renderTokens?: { nonce: string; clientId: string }
}
