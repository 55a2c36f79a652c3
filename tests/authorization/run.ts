import { type Fixture, type Persona } from './personas.ts'

export type Outcome = 'ok' | 'login' | 'forbidden' | 'not-found' | 'redirect' | 'bad-request'

/** Calls a route's loader or action the way Remix does and classifies what came back. */
export async function callRoute({
	module,
	kind,
	url,
	params,
	persona,
	fixture,
	form,
	freshSession,
}: {
	module: Record<string, unknown>
	kind: 'loader' | 'action'
	url: string
	params: Record<string, string>
	persona: Persona
	fixture: Fixture
	form?: Record<string, string>
	freshSession?: boolean
}): Promise<{ outcome: Outcome; status: number }> {
	const headers = new Headers({ Origin: 'http://localhost' })
	const cookie = freshSession ? await fixture.freshCookie(persona) : fixture.cookies[persona]
	if (cookie) headers.set('Cookie', cookie)
	let body: URLSearchParams | undefined
	if (kind === 'action') {
		body = new URLSearchParams(form ?? {})
		headers.set('Content-Type', 'application/x-www-form-urlencoded')
	}
	const request = new Request(new URL(url, 'http://localhost'), { method: kind === 'action' ? 'POST' : 'GET', headers, body })
	const fn = module[kind] as (args: unknown) => Promise<unknown>
	let result: unknown
	try {
		result = await fn({ request, params, context: { clientIp: `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` } })
	} catch (thrown) {
		result = thrown
		if (!(thrown instanceof Response) && !isDataWithInit(thrown)) throw thrown
	}
	return classify(result)
}

function isDataWithInit(value: unknown): value is { type: 'DataWithResponseInit'; init: ResponseInit | null } {
	return typeof value === 'object' && value !== null && (value as { type?: string }).type === 'DataWithResponseInit'
}

function classify(result: unknown): { outcome: Outcome; status: number } {
	let status = 200
	let location: string | null = null
	if (result instanceof Response) {
		status = result.status
		location = result.headers.get('Location')
	} else if (isDataWithInit(result)) {
		status = result.init?.status ?? 200
		location = new Headers(result.init?.headers).get('Location')
	}
	if (status >= 300 && status < 400) return { outcome: location?.startsWith('/login') ? 'login' : 'redirect', status }
	if (status === 403) return { outcome: 'forbidden', status }
	if (status === 404) return { outcome: 'not-found', status }
	if (status >= 400 && status < 500) return { outcome: 'bad-request', status }
	if (status >= 500) throw new Error(`Route answered ${status}`)
	return { outcome: 'ok', status }
}
