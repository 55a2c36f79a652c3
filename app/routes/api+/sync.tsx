import { type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { SyncBatchSchema } from '#app/features/offline/sync.schema.ts'
import { getRecordedLearning, syncLearningEvents } from '#app/features/offline/sync.server.ts'
import { getUser, notFound } from '#app/utils/auth.server.ts'
import { badRequest, readJsonBody } from '#app/utils/forms.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'

/**
 * The offline outbox's endpoint (app/browser/offline.ts; docs/decisions/007-offline.md).
 * POST: JSON `{ events: [...] }` → `{ results: [...] }`, one result per event, in order.
 * GET ?course=<slug>: what the server has recorded of the learner's progress in that course.
 * Signed-in learners only, for themselves; a missing session is a 401 and a person who has not agreed
 * to the current notice a 403 (the phone keeps its events either way).
 * CSRF: server.js refuses cross-origin POSTs, and this endpoint takes only application/json,
 * which no cross-site HTML form can send.
 */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireApiUser(request)
	const course = new URL(request.url).searchParams.get('course') ?? ''
	const recorded = await getRecordedLearning({ userId: user.id, courseSlug: course.slice(0, 80) })
	if (!recorded) throw notFound()
	return Response.json(recorded, { headers: { 'Cache-Control': 'no-store' } })
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireApiUser(request)
	const body = await readJsonBody(request, { maxBytes: 128 * 1024 })
	const batch = SyncBatchSchema.safeParse(body)
	if (!batch.success) throw badRequest('offline:errors.badBatch')
	const results = await syncLearningEvents({ userId: user.id, events: batch.data.events, lng: await getLng(request) })
	return Response.json({ results }, { headers: { 'Cache-Control': 'no-store' } })
}

async function requireApiUser(request: Request) {
	const user = await getUser(request)
	// Not a redirect to the sign-in page: the caller is a script, which keeps the events for later.
	if (!user) throw Response.json({ message: 'offline:errors.signedOut' }, { status: 401, headers: { 'Cache-Control': 'no-store' } })
	// Nothing is recorded or read for a person before they agree to the current notice (ADR 028):
	// the phone keeps its events and offers the notice (403), then sends them.
	if (!user.noticeAccepted) throw Response.json({ message: 'offline:errors.noticeNeeded' }, { status: 403, headers: { 'Cache-Control': 'no-store' } })
	return user
}
