import { afterAll, beforeAll, expect, test } from 'vitest'
import { Client, createDatabase, dropDatabase, type Instance, seed, startInstance, startNginx } from './harness.ts'
import { DEMO_LOGINS } from '../../prisma/seed/demo-logins.ts'

// Two app processes behind nginx (round robin) on one PostgreSQL: sessions and rate limits live in
// the database, so it does not matter which instance answers.
const db = `hvs_sys_scale_${process.pid}`
let instances: Instance[] = []
let nginx: Awaited<ReturnType<typeof startNginx>>

beforeAll(async () => {
	const url = await createDatabase(db)
	seed(url)
	instances = await Promise.all([
		// Both behind nginx: the public origin is nginx's.
		startInstance({ port: 3811, databaseUrl: url, id: 'a', env: { APP_ORIGIN: 'http://127.0.0.1:3810' } }),
		startInstance({ port: 3812, databaseUrl: url, id: 'b', env: { APP_ORIGIN: 'http://127.0.0.1:3810' } }),
	])
	nginx = await startNginx({ port: 3810, upstreams: [3811, 3812] })
})

afterAll(async () => {
	await nginx?.stop()
	await Promise.all(instances.map((i) => i.stop()))
	await dropDatabase(db)
})

test('a signed-in resident stays signed in whichever instance answers', async () => {
	const resident = new Client(nginx.url)
	const signIn = await resident.request('/login', { form: { phone: DEMO_LOGINS.resident.phone, secret: DEMO_LOGINS.resident.pin } })
	expect(signIn.status).toBe(302)
	expect(signIn.headers.get('location')).toBe('/me')
	const seen = new Set<string>()
	for (let i = 0; i < 8; i++) {
		const page = await resident.request('/me')
		expect(page.status).toBe(200)
		expect(await page.text()).toContain('Xin chào')
		seen.add(page.headers.get('x-instance') ?? '')
	}
	expect([...seen].sort()).toEqual(['a', 'b'])
	// Signing out on one instance signs out on all.
	await resident.request('/logout', { form: {} })
	for (let i = 0; i < 2; i++) expect((await resident.request('/me')).status).toBe(302)
})

test('sign-in attempts are limited across instances', async () => {
	const attacker = new Client(nginx.url)
	const statuses: number[] = []
	const seen = new Set<string>()
	for (let i = 0; i < 7; i++) {
		const r = await attacker.request('/login', { form: { phone: DEMO_LOGINS.staffToHieu.phone, secret: `wrong-${i}` } })
		statuses.push(r.status)
		seen.add(r.headers.get('x-instance') ?? '')
	}
	expect([...seen].sort()).toEqual(['a', 'b'])
	expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400])
	expect(statuses.slice(5)).toEqual([429, 429])
	const page = await attacker.request('/login', { form: { phone: DEMO_LOGINS.staffToHieu.phone, secret: DEMO_LOGINS.staffToHieu.password } })
	expect(page.status).toBe(429)
	expect(await page.text()).toMatch(/thử lại sau \d+ phút/)
})
