import { callRoute, type RouteResult } from '#tests/utils/route.ts'
import { type Fixture, type Persona } from './personas.ts'

export type Outcome = 'ok' | 'login' | 'forbidden' | 'not-found' | 'redirect' | 'bad-request'

/** Calls a route's loader or action as a persona and classifies what came back. */
export async function callRouteAs({
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
	const cookie = freshSession ? await fixture.freshCookie(persona) : fixture.cookies[persona]
	const result = await callRoute(module, kind, {
		url,
		params,
		cookie,
		...(kind === 'action' ? { body: new URLSearchParams(form ?? {}), contentType: 'application/x-www-form-urlencoded' } : {}),
		context: { clientIp: `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` },
	})
	return classify(result)
}

function classify({ status, location }: RouteResult): { outcome: Outcome; status: number } {
	if (status >= 300 && status < 400) return { outcome: location?.startsWith('/login') ? 'login' : 'redirect', status }
	if (status === 403) return { outcome: 'forbidden', status }
	if (status === 404) return { outcome: 'not-found', status }
	if (status >= 400 && status < 500) return { outcome: 'bad-request', status }
	if (status >= 500) throw new Error(`Route answered ${status}`)
	return { outcome: 'ok', status }
}
