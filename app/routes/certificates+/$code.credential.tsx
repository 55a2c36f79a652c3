import { type LoaderFunctionArgs } from '@remix-run/node'
import { signCredential } from '#app/modules/certificate/certificate.server.ts'
import { notFound, requireUser } from '#app/utils/auth.server.ts'
import { env } from '#app/utils/env.server.ts'

/** The Open Badges 3.0 credential as a VC-JWT file, for the certificate's owner only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const origin = env.APP_ORIGIN
	const signed = await signCredential({ code: params.code ?? '', origin, userId: user.id })
	if (!signed) throw notFound()
	return new Response(signed.jwt, {
		headers: {
			'Content-Type': 'application/vc+jwt',
			'Content-Disposition': `attachment; filename="${signed.filename}"`,
			'Cache-Control': 'private, no-store',
		},
	})
}
