import { type LoaderFunctionArgs } from '@remix-run/node'
import { clearFlowCookie, finishVneidSignIn, linkOrCreateVneidUser, vneidEnabled } from '#app/modules/people/vneid.server.ts'
import { getUser, notFound, signInAndRedirect } from '#app/utils/auth.server.ts'
import { prisma } from '#app/utils/db.server.ts'

export async function loader({ request }: LoaderFunctionArgs) {
	if (!vneidEnabled()) throw notFound()
	let claims
	try {
		claims = await finishVneidSignIn(request)
	} catch (error) {
		console.error('VNeID sign-in failed:', (error as Error).message)
		throw Response.json({ message: 'auth:errors.vneidFailed' }, { status: 400 })
	}
	const current = await getUser(request)
	const userId = await linkOrCreateVneidUser(claims, current?.id ?? null)
	const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { communeCode: true } })
	const response = await signInAndRedirect(request, userId, user.communeCode ? '/me' : '/me/complete')
	response.headers.append('Set-Cookie', await clearFlowCookie())
	return response
}
