/**
 * Calls a route module's loader or action the way Remix does: a Request with the browser's Origin
 * (the CSRF check compares it), the session cookie, the body and its content type, and the load
 * context the server builds. A thrown Response or data() result is what Remix would send, so it is
 * returned like a returned one; anything else thrown is a bug and fails the test.
 */
export type RouteKind = 'loader' | 'action'

export interface RouteCall {
	/** Path and query; the origin is http://localhost. */
	url?: string
	params?: Record<string, string>
	/** The Cookie header as the browser sends it (`hvs_session=…`); none when absent. */
	cookie?: string | null
	/** Sent with an action (POST); loaders are GETs without a body. */
	body?: BodyInit
	/** Set only when given: a multipart FormData body sets its own boundary. */
	contentType?: string
	headers?: Record<string, string>
	/** The server's load context (server.js passes clientIp). */
	context?: Record<string, unknown>
}

export interface RouteResult {
	status: number
	headers: Headers
	location: string | null
	/** The Response when the route answered with one (downloads, JSON, redirects). */
	response: Response | null
	/** A returned value or data() payload; a JSON Response's parsed body; otherwise null. */
	body: unknown
}

export async function callRoute(
	module: { loader?: unknown; action?: unknown },
	kind: RouteKind,
	{ url = '/', params = {}, cookie, body, contentType, headers: extra = {}, context = {} }: RouteCall = {},
): Promise<RouteResult> {
	const fn = module[kind]
	if (typeof fn !== 'function') throw new Error(`The route has no ${kind}`)
	const headers = new Headers({ Origin: 'http://localhost', ...extra })
	if (cookie) headers.set('Cookie', cookie)
	if (contentType) headers.set('Content-Type', contentType)
	const request = new Request(new URL(url, 'http://localhost'), {
		method: kind === 'action' ? 'POST' : 'GET',
		headers,
		body: kind === 'action' ? body : undefined,
	})
	let result: unknown
	try {
		result = await fn({ request, params, context })
	} catch (thrown) {
		if (!(thrown instanceof Response) && !isDataWithInit(thrown)) throw thrown
		result = thrown
	}
	return describeResult(result)
}

/** A route result as a test reads it: the status and headers whichever way Remix was told them. */
export async function describeResult(result: unknown): Promise<RouteResult> {
	if (result instanceof Response) {
		const body = result.headers.get('Content-Type')?.includes('json') ? await result.clone().json() : null
		return { status: result.status, headers: result.headers, location: result.headers.get('Location'), response: result, body }
	}
	if (isDataWithInit(result)) {
		const headers = new Headers(result.init?.headers)
		return { status: result.init?.status ?? 200, headers, location: headers.get('Location'), response: null, body: result.data }
	}
	return { status: 200, headers: new Headers(), location: null, response: null, body: result }
}

function isDataWithInit(value: unknown): value is { type: 'DataWithResponseInit'; data: unknown; init: ResponseInit | null } {
	return typeof value === 'object' && value !== null && (value as { type?: string }).type === 'DataWithResponseInit'
}
