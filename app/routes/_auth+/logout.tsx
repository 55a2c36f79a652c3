import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { signOutAndRedirect } from '#app/utils/auth.server.ts'
import { readFormData } from '#app/utils/forms.server.ts'

export async function loader() {
	return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
	const form = await readFormData(request)
	return signOutAndRedirect(request, { everywhere: form.get('everywhere') === '1' })
}
