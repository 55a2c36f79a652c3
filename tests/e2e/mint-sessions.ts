/**
 * Run between the seed and the server start (playwright.config.ts): creates sessions for every
 * demo login the way a sign-in does (createSession: a random token, its SHA-256 in the Session
 * table; serializeSessionCookie: the cookie's value) and writes the cookie values for the `login`
 * fixture. The server's embedded database can be
 * opened by one process at a time, so the sessions cannot be made once it runs.
 */
import fs from 'node:fs'
import { DEMO_LOGINS } from '../../prisma/seed/demo-logins.ts'
import { E2E_SESSIONS_FILE } from './server-data.ts'

// More than the specs use: each `login` takes a session of its own, so that signing out or a
// rotation in one test leaves the others signed in.
const PER_LOGIN = 40

const { prisma, closeDb } = await import('#app/utils/db.server.ts')
const { createSession, serializeSessionCookie } = await import('#app/utils/session.server.ts')
try {
	const sessions: Record<string, string[]> = {}
	for (const [who, { phone }] of Object.entries(DEMO_LOGINS)) {
		const { id } = await prisma.user.findUniqueOrThrow({ where: { phone }, select: { id: true } })
		sessions[who] = []
		for (let i = 0; i < PER_LOGIN; i++) {
			// `hvs_session=<value>; Path=/; …`: the value as Remix encodes it, which the server parses.
			const cookie = (await serializeSessionCookie((await createSession(id)).token)).split(';')[0]!
			sessions[who].push(cookie.slice(cookie.indexOf('=') + 1))
		}
	}
	fs.writeFileSync(E2E_SESSIONS_FILE, JSON.stringify(sessions))
} finally {
	await closeDb()
}
