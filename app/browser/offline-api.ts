import { type EventKind } from '#app/kernel/offline-constants.ts'

/**
 * What offline.js (every page) offers lesson.js (lesson pages) on `window.hvsOffline`: two separate
 * files, because offline.js runs on every page and lesson.js only where there is a lesson.
 */
export interface OfflineApi {
	queue(event: OutboxEvent): Promise<OutboxEvent>
	pending(): Promise<OutboxEvent[]>
	flush(): Promise<void>
	uuid(): string
	completed(userId: string): string[]
	addCompleted(userId: string, ids: string[]): void
	/** The person signed in on this page ('' for a visitor). */
	user: string
}

/** A learning event made without a connection, as the outbox keeps it (what /api/sync takes, and more). */
export interface OutboxEvent {
	kind: EventKind
	clientId: string
	lessonId: string
	occurredAt: string
	userId?: string
	answers?: Record<string, string>
	/** The lesson page it was made on. */
	path?: string
	/** Sort key: the order the phone made them in. */
	queuedAt?: number
}

declare global {
	interface Window {
		hvsOffline?: OfflineApi
	}
}
