import { z } from 'zod'
import { EVENT_KIND, MAX_SYNC_EVENTS } from '#app/kernel/offline-constants.ts'
import { ClientIdSchema } from '#app/modules/progress/progress.schema.ts'

/**
 * What the phone's outbox sends to /api/sync: learning events made without a connection, each
 * with the id the phone gave it and the time it happened there. The whole batch is checked before
 * anything is written: a malformed batch changes nothing.
 */
const base = {
	clientId: ClientIdSchema,
	lessonId: z
		.string()
		.min(1)
		.max(80)
		.regex(/^[a-z0-9][a-z0-9-]*$/),
	occurredAt: z.string().max(40).datetime({ offset: true }),
	/** The learner who was signed in when the event was made: never recorded for anyone else. */
	userId: z.string().min(1).max(40).optional(),
}

/** A quiz's answers: question id → option id. */
export const AnswersSchema = z
	.record(z.string().min(1).max(40), z.string().min(1).max(40))
	.refine((a) => Object.keys(a).length > 0 && Object.keys(a).length <= 50)

export const SyncEventSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal(EVENT_KIND.complete), ...base }).strict(),
	z.object({ kind: z.literal(EVENT_KIND.quiz), ...base, answers: AnswersSchema }).strict(),
])
export type SyncEvent = z.infer<typeof SyncEventSchema>

export const SyncBatchSchema = z.object({ events: z.array(SyncEventSchema).min(1).max(MAX_SYNC_EVENTS) }).strict()
