import { type LoaderFunctionArgs, redirect } from '@remix-run/node'
import {
	clearFlowCookie,
	finishVneidSignIn,
	holdPendingSignIn,
	linkVneidToSignedInUser,
	resolveVneidSignIn,
	vneidEnabled,
} from '#app/modules/people/vneid.server.ts'
import { getUser, notFound, signInAndRedirect } from '#app/utils/auth.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { clearSessionCookie, invalidateSession, readSessionToken } from '#app/utils/session.server.ts'

export async function loader({ request }: LoaderFunctionArgs) {
	if (!vneidEnabled()) throw notFound()
	let claims
	try {
		claims = await finishVneidSignIn(request)
	} catch (error) {
		console.error('VNeID sign-in failed:', (error as Error).message)
		throw Response.json({ message: 'auth:errors.vneidFailed' }, { status: 400 })
	}
	const clear = { 'Set-Cookie': await clearFlowCookie() }
	const current = await getUser(request)
	const token = await readSessionToken(request)
	// Linking from the account page: only for the session that entered its secret again.
	if (claims.link && current && token) {
		const outcome = await linkVneidToSignedInUser({ claims, userId: current.id, sessionToken: token })
		// A page, not this resource route, shows the refusal (a thrown response here would be raw JSON).
		if (outcome.kind === 'refused') return redirect(`/me/vneid?vneid=${outcome.message.replace('auth:vneid.', '')}`, { headers: clear })
		return redirect('/me/vneid?linked=1', { headers: clear })
	}
	const outcome = await resolveVneidSignIn(claims)
	if (outcome.kind === 'refused') return redirect(`/login?vneid=${outcome.message.replace('auth:vneid.', '')}`, { headers: clear })
	if (outcome.kind === 'new') {
		// No account until the notice is agreed to on /me/complete (ADR 028). A session this
		// browser held is ended: a new sign-in replaces it, as signInAndRedirect does.
		const headers = new Headers(clear)
		headers.append('Set-Cookie', await holdPendingSignIn(outcome.claims))
		if (token) {
			await invalidateSession(token)
			headers.append('Set-Cookie', await clearSessionCookie())
		}
		return redirect('/me/complete', { headers })
	}
	const user = await prisma.user.findUniqueOrThrow({ where: { id: outcome.userId }, select: { communeCode: true } })
	const response = await signInAndRedirect(request, outcome.userId, user.communeCode ? '/me' : '/me/complete')
	response.headers.append('Set-Cookie', clear['Set-Cookie'])
	return response
}
