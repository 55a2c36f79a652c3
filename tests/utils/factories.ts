import { type Profile } from '#app/modules/people/people.schema.ts'
import { registerResident } from '#app/modules/people/people.server.ts'
import { grantRole } from '#app/modules/people/staff.server.ts'
import { acceptNotice } from '#app/modules/people/consent.server.ts'
import { createSession, serializeSessionCookie } from '#app/utils/session.server.ts'

/**
 * People made through the domain functions (so every rollup counts them as the app would), with
 * no real secret: tests that sign in use a session cookie, not the login form.
 */
type Via = Parameters<typeof registerResident>[0]['via']
export type ResidentInput = Partial<Profile> & { phone?: string; via?: Via; at?: Date }

/**
 * A fresh mobile number. Vitest shares one database and one copy of this module among a worker's
 * files (isolate: false), so a counter is unique there; the 05 prefix is left to this generator
 * (the numbers the tests write themselves start 03, 07, 08 or 09).
 */
let serial = 0
export function uniquePhone() {
	return `05${String(++serial).padStart(8, '0')}`
}

/** A resident of commune 03808 (Xã Mường La, Sơn La) unless told otherwise; returns the id. */
export async function resident({ phone = uniquePhone(), via = 'SELF', at, ...profile }: ResidentInput = {}) {
	const { id } = await registerResident({
		phone,
		profile: {
			fullName: 'Lò Thị Học',
			birthYear: 1961,
			sex: 'FEMALE',
			ethnicGroup: '03',
			ethnicityConsent: true,
			learnerGroup: 'RESIDENT',
			provinceCode: '14',
			communeCode: '03808',
			...profile,
		},
		passwordHash: { kind: 'PIN', hash: 'x' },
		via,
		at,
	})
	return id
}

/** Commune staff of `communeCode` (an official living there). */
export async function staff(communeCode: string, person: ResidentInput = {}) {
	const id = await resident({ fullName: 'Cầm Thị Cán Bộ', birthYear: 1985, learnerGroup: 'OFFICIAL', via: 'SEED', communeCode, ...person })
	await grantRole({ userId: id, role: 'COMMUNE_STAFF', communeCode, grantedById: null })
	await acceptNotice({ userId: id, kind: 'staff', channel: 'SEED' })
	return id
}

/** A province officer of `provinceCode`. */
export async function officer(provinceCode: string, person: ResidentInput = {}) {
	const id = await resident({ fullName: 'Cầm Thị Cán Bộ', birthYear: 1985, learnerGroup: 'OFFICIAL', via: 'SEED', ...person })
	await grantRole({ userId: id, role: 'PROVINCE_OFFICER', provinceCode, grantedById: null })
	await acceptNotice({ userId: id, kind: 'staff', channel: 'SEED' })
	return id
}

/** A new session for the user, as the Cookie header their browser sends (`hvs_session=…`). */
export async function sessionCookie(userId: string) {
	const { token } = await createSession(userId)
	return (await serializeSessionCookie(token)).split(';')[0]!
}
