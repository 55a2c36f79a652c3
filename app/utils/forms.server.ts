import { type SubmissionResult } from '@conform-to/react'
import { hasControlCharacters } from './input.ts'

/**
 * Reads a form body, turning malformed or oversized bodies into a 4xx with a localised message
 * instead of a 500. Uploads (imports) pass a larger limit. The bytes are counted as they arrive
 * (a chunked body has no Content-Length to trust): past the limit the reading stops and the
 * answer is 413, so at most `maxBytes` is ever held in memory.
 */
export async function readFormData(request: Request, { maxBytes = 64 * 1024 } = {}): Promise<FormData> {
	const bytes = await readBody(request, maxBytes)
	try {
		const form = await new Response(bytes as BodyInit, { headers: { 'Content-Type': request.headers.get('Content-Type') ?? '' } }).formData()
		// NUL makes PostgreSQL fail the query (a 500); no field of ours takes control characters.
		// Free-text fields say so on the field too (their Zod rule); ids and codes never meet one.
		for (const [key, value] of form) if (hasNul(key) || (typeof value === 'string' && hasNul(value))) throw badRequest('common:errors.badInput')
		return form
	} catch (error) {
		if (error instanceof Response) throw error
		throw badRequest('common:errors.badForm')
	}
}

/** The whole body, at most `maxBytes` of it, or a thrown 413 as soon as it goes past. */
async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
	if (Number(request.headers.get('Content-Length') ?? '0') > maxBytes) {
		await request.body?.cancel().catch(() => {})
		throw badRequest('common:errors.tooLarge', 413)
	}
	const reader = request.body?.getReader()
	const chunks: Uint8Array[] = []
	let total = 0
	try {
		while (reader) {
			const { done, value } = await reader.read()
			if (done) break
			total += value.byteLength
			if (total > maxBytes) {
				// Stop reading, without cancelling: cancelling a body that Node is still filling (a multipart
				// FormData) makes its next write an unhandled rejection on Node 24. The server closes a
				// connection whose body was not read to the end, and caps any body at 6 MB itself.
				reader.releaseLock()
				throw badRequest('common:errors.tooLarge', 413)
			}
			chunks.push(value)
		}
	} catch (error) {
		if (error instanceof Response) throw error
		throw badRequest('common:errors.badForm')
	}
	return Buffer.concat(chunks)
}

export function badRequest(message: string, status = 400) {
	return Response.json({ message }, { status })
}

/** A form re-rendered with its values (minus secrets) and no errors, e.g. after "Show communes". */
export function echoForm(form: FormData, hide: string[] = []): SubmissionResult<string[]> {
	const initialValue: Record<string, string> = {}
	for (const [key, value] of form) {
		if (typeof value === 'string' && !hide.includes(key) && key !== 'intent') initialValue[key] = value.slice(0, 200)
	}
	return { initialValue }
}

/**
 * Reads a JSON body (API calls from the page's own scripts). Refuses other content types (an HTML
 * form cannot send application/json, so a cross-site form cannot reach a JSON endpoint), oversized
 * and malformed bodies with a 4xx and a localised message.
 */
export async function readJsonBody(request: Request, { maxBytes = 64 * 1024 } = {}): Promise<unknown> {
	if (!/^application\/json\s*(;|$)/i.test(request.headers.get('Content-Type') ?? '')) throw badRequest('common:errors.badForm', 415)
	const bytes = await readBody(request, maxBytes)
	try {
		// A NUL anywhere (escaped as \u0000 too) would fail the query that stores it: refuse the body.
		return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes), (key, value) => {
			if (hasNul(key) || (typeof value === 'string' && hasNul(value))) throw badRequest('common:errors.badInput')
			return value
		})
	} catch (error) {
		if (error instanceof Response) throw error
		throw badRequest('common:errors.badForm')
	}
}

const hasNul = (text: string) => text.includes('\u0000')

/**
 * Refuses a request whose path or query string holds a NUL or another control character (a 400
 * with a message): PostgreSQL cannot take NUL, and no code, id or search needs any of them. Called
 * by `getUser`, so every loader and action that knows who is asking checks it first.
 */
export function refuseControlCharactersInUrl(request: Request) {
	const url = new URL(request.url)
	let text: string
	try {
		text = decodeURIComponent(url.pathname)
	} catch {
		throw badRequest('common:errors.badInput')
	}
	for (const [key, value] of url.searchParams) text += key + value
	if (hasControlCharacters(text)) throw badRequest('common:errors.badInput')
}
