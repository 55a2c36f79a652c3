import { afterEach, expect, test, vi } from 'vitest'
import { registerResident } from '#app/modules/people/people.server.ts'
import { getUser } from './auth.server.ts'
import { prisma } from './db.server.ts'
import { createSession, serializeSessionCookie, sessionClock, validateSessionToken } from './session.server.ts'

const HOUR = 3_600_000
const profile = {
	fullName: 'Hà Văn Sáng',
	birthYear: 1970,
	sex: 'MALE' as const,
	ethnicGroup: '01',
	learnerGroup: 'RESIDENT' as const,
	provinceCode: '14',
	communeCode: '03646',
}
let seq = Math.floor(Math.random() * 8_000_000)

async function person({ staff }: { staff: boolean }) {
	const { id } = await registerResident({ phone: `037${1_000_000 + seq++}`, profile, via: 'SELF' })
	if (staff) await prisma.roleAssignment.create({ data: { userId: id, role: 'COMMUNE_STAFF', communeCode: '03646', provinceCode: '14' } })
	return id
}

/** A signed-in request, as the browser would send it. */
async function signedIn(token: string) {
	return getUser(new Request('http://localhost/me', { headers: { Cookie: await serializeSessionCookie(token) } }))
}

/**
 * Moves the sessions' clock only (never the process's Date: PGlite's own timers read that, and a
 * Date 45 days ahead left it re-arming 45-day timers, each cut to 1 ms by Node, for the rest of the run).
 */
let now = 0
function clockAt(at: number) {
	now = at
	vi.spyOn(sessionClock, 'now').mockImplementation(() => now)
}

afterEach(() => vi.restoreAllMocks())

test('staff sessions end after 12 hours without use; used, they slide on', async () => {
	const id = await person({ staff: true })
	const start = Date.now()
	clockAt(start)
	const { token, expiresAt } = await createSession(id)
	expect(expiresAt.getTime() - start).toBe(12 * HOUR)
	// Used after 2 hours: the 12 hours count again from then.
	clockAt(start + 2 * HOUR)
	expect(await signedIn(token)).toMatchObject({ id })
	clockAt(start + 13 * HOUR)
	expect(await validateSessionToken(token)).toMatchObject({ userId: id })
	// Then left alone for 12 hours: signed out, and the row is gone.
	clockAt(start + 25 * HOUR + 1000)
	expect(await signedIn(token)).toBeNull()
	expect(await prisma.session.count({ where: { userId: id } })).toBe(0)
})

test('residents keep 30 days; a resident appointed staff gets the 12-hour limit on the next request', async () => {
	const id = await person({ staff: false })
	const start = Date.now()
	clockAt(start)
	const { token, expiresAt } = await createSession(id)
	expect(expiresAt.getTime() - start).toBe(30 * 24 * HOUR)
	clockAt(start + 20 * 24 * HOUR)
	expect(await signedIn(token)).toMatchObject({ id })
	await prisma.roleAssignment.create({ data: { userId: id, role: 'COMMUNE_STAFF', communeCode: '03646', provinceCode: '14' } })
	expect(await signedIn(token)).toMatchObject({ id })
	const row = await prisma.session.findFirstOrThrow({ where: { userId: id } })
	expect(row.expiresAt.getTime() - sessionClock.now()).toBeLessThanOrEqual(12 * HOUR)
	clockAt(start + 20 * 24 * HOUR + 12 * HOUR + 1000)
	expect(await signedIn(token)).toBeNull()
})

test('a resident who learns every few days stays signed in past day 30: the browser keeps the cookie as long as the session slides', async () => {
	const id = await person({ staff: false })
	const start = Date.now()
	clockAt(start)
	const { token } = await createSession(id)
	const setCookie = await serializeSessionCookie(token)
	const maxAge = Number(/Max-Age=(\d+)/i.exec(setCookie)?.[1])
	// Used on day 20 (the session slides to day 50), then on day 45: still the same person.
	clockAt(start + 20 * 24 * HOUR)
	expect(await signedIn(token)).toMatchObject({ id })
	clockAt(start + 45 * 24 * HOUR)
	expect(maxAge * 1000).toBeGreaterThan(45 * 24 * HOUR)
	expect(await signedIn(token)).toMatchObject({ id })
})
