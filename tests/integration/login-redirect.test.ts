import { beforeAll, expect, test } from 'vitest'
import { registerResident } from '#app/modules/people/people.server.ts'
import { action } from '#app/routes/_auth+/login.tsx'
import { prisma } from '#app/utils/db.server.ts'

// Sign-in with a hostile ?redirectTo= (#16 item 8): never a Location a browser takes off-site, never
// a 500 after the session row was made (CR, LF, NUL and U+3000 made the Location header throw).
const phone = '0700990011'
let userId: string
beforeAll(async () => {
	const profile = {
		fullName: 'Lò Thị Chuyển',
		birthYear: 1990,
		sex: 'FEMALE' as const,
		ethnicGroup: '03',
		learnerGroup: 'RESIDENT' as const,
		provinceCode: '14',
		communeCode: '03646',
	}
	;({ id: userId } = await registerResident({ phone, profile, secret: { kind: 'PIN', value: '135792' }, via: 'SELF' }))
})

async function signIn(redirectTo: string) {
	const body = new URLSearchParams({ phone, secret: '135792', redirectTo })
	const request = new Request('http://localhost/login', {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
		body,
	})
	try {
		return (await action({ request, params: {}, context: { clientIp: '10.77.0.1' } })) as Response
	} catch (thrown) {
		if (thrown instanceof Response) return thrown
		throw thrown
	}
}

test.each(['/\t/evil.example', '/\r/x', '/\n/x', '/\u3000/evil', '/\u2028/evil', '//evil.example', '/\\evil.example', '/%0d%0a/x', '/%2F%2Fevil.example'])(
	'redirectTo=%j signs in and goes to /me',
	async (target) => {
		const sessions = await prisma.session.count({ where: { userId } })
		const response = await signIn(target)
		expect(response.status).toBe(302)
		expect(response.headers.get('Location')).toBe('/me')
		expect(await prisma.session.count({ where: { userId } })).toBe(sessions + 1)
	},
)

test('a NUL anywhere in the form is refused as bad input before any session is made', async () => {
	const sessions = await prisma.session.count({ where: { userId } })
	const response = await signIn('/\u0000')
	expect(response.status).toBe(400)
	expect(await prisma.session.count({ where: { userId } })).toBe(sessions)
})

test('a same-site path is kept', async () => {
	const response = await signIn('/courses/smartphone')
	expect(response.headers.get('Location')).toBe('/courses/smartphone')
})
