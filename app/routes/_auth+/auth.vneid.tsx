import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { startVneidSignIn, vneidEnabled } from '#app/modules/people/vneid.server.ts'
import { notFound } from '#app/utils/auth.server.ts'

export async function loader() {
	throw notFound()
}

export async function action({ request }: ActionFunctionArgs) {
	if (!vneidEnabled()) throw notFound()
	try {
		const { url, cookie } = await startVneidSignIn(request)
		return redirect(url, { headers: { 'Set-Cookie': cookie } })
	} catch (error) {
		console.error('VNeID discovery failed:', (error as Error).message)
		throw Response.json({ message: 'auth:errors.vneidFailed' }, { status: 503 })
	}
}
