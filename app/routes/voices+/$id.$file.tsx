import { type LoaderFunctionArgs } from '@remix-run/node'
import { OFFLINE_SAVE_HEADER } from '#app/kernel/offline-constants.ts'
import { countPlay, readAudio } from '#app/modules/voice/voice.server.ts'
import { getUser, notFound } from '#app/utils/auth.server.ts'
import { byteRange } from '#app/utils/range.server.ts'

/**
 * A recording's audio (/voices/<id>/<first 16 hex of its SHA-256>.webm), with Range requests so a
 * phone can seek and resume. Published audio is the same for everyone and its URL names its
 * content: cached for a year, immutable. A recording not (or no longer) published is heard only by
 * its narrator and its reviewers, never cached.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
	const match = /^([0-9a-f]{16})\.webm$/.exec(params.file ?? '')
	if (!match || !/^[a-z0-9]{1,40}$/.test(params.id ?? '')) throw notFound()
	const user = await getUser(request)
	const audio = await readAudio({ recordingId: params.id!, hashPrefix: match[1]!, user })
	if (!audio) throw notFound()
	const size = audio.data.byteLength
	const headers = new Headers({
		'Content-Type': audio.mimeType,
		'Accept-Ranges': 'bytes',
		'Cache-Control': audio.live ? 'public, max-age=31536000, immutable' : 'private, no-store',
		ETag: `"${audio.sha256.slice(0, 32)}"`,
	})
	const range = byteRange(request.headers.get('Range'), size)
	if (range === 'unsatisfiable') {
		headers.set('Content-Range', `bytes */${size}`)
		return new Response(null, { status: 416, headers })
	}
	// A play is a request from the start of the file; saving the course for offline use is not one.
	if (audio.live && (!range || range.start === 0) && request.headers.get(OFFLINE_SAVE_HEADER) !== '1' && request.method === 'GET') await countPlay(audio.id)
	if (!range) {
		headers.set('Content-Length', String(size))
		return new Response(audio.data, { status: 200, headers })
	}
	headers.set('Content-Range', `bytes ${range.start}-${range.end}/${size}`)
	headers.set('Content-Length', String(range.end - range.start + 1))
	return new Response(audio.data.subarray(range.start, range.end + 1), { status: 206, headers })
}
