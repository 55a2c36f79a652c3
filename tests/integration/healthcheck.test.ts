import { expect, test } from 'vitest'
import * as healthcheck from '#app/routes/resources+/healthcheck.tsx'
import * as livez from '#app/routes/resources+/livez.tsx'
import { databaseReadiness, prisma } from '#app/utils/db.server.ts'
import { migrationNames } from '#app/utils/migrate.server.ts'
import { callRoute } from '#tests/utils/route.ts'

/**
 * "Up" and "ready" (issue #19): /resources/livez answers without the database; the healthcheck
 * (what nginx and uptime checks ask) is 200 only when the database holds every migration of this
 * version, and 503 with the reason otherwise.
 */
test('livez says the process is up, without asking the database', async () => {
	const spy = prisma.$queryRaw
	let queried = false
	;(prisma as unknown as { $queryRaw: unknown }).$queryRaw = (...args: unknown[]) => {
		queried = true
		return (spy as (...a: unknown[]) => unknown).apply(prisma, args)
	}
	try {
		const result = await callRoute(livez, 'loader', { url: '/resources/livez' })
		expect(result.status).toBe(200)
		expect(result.body).toMatchObject({ status: 'up' })
		expect(result.response!.headers.get('Cache-Control')).toBe('no-store')
		expect(queried).toBe(false)
	} finally {
		;(prisma as unknown as { $queryRaw: unknown }).$queryRaw = spy
	}
})

test('the healthcheck is ready when every migration of this version is applied', async () => {
	const result = await callRoute(healthcheck, 'loader', { url: '/resources/healthcheck' })
	expect(result.status).toBe(200)
	expect(result.body).toMatchObject({ status: 'ok', migrations: migrationNames().length, communes: 3321 })
})

test('a database missing a migration of this version is not ready: 503 with the reason', async () => {
	const newest = migrationNames().at(-1)!
	await prisma.$executeRaw`UPDATE "_prisma_migrations" SET migration_name = ${`${newest}-hidden`} WHERE migration_name = ${newest}`
	try {
		const result = await callRoute(healthcheck, 'loader', { url: '/resources/healthcheck' })
		expect(result.status).toBe(503)
		expect(result.response!.headers.get('Retry-After')).toBe('5')
		expect(result.body).toMatchObject({ status: 'not-ready', reason: 'migrations-pending', pendingMigrations: 1 })
	} finally {
		await prisma.$executeRaw`UPDATE "_prisma_migrations" SET migration_name = ${newest} WHERE migration_name = ${`${newest}-hidden`}`
	}
	expect(await databaseReadiness([...migrationNames(), '29990101000000_from_a_newer_version'])).toEqual({
		ready: false,
		reason: 'migrations-pending',
		pending: ['29990101000000_from_a_newer_version'],
	})
})

test('from the moment a shutdown begins, the healthcheck says "draining" and livez stays up', async () => {
	const { lifecycle } = await import('#app/utils/lifecycle.server.ts')
	lifecycle.draining = true
	try {
		const ready = await callRoute(healthcheck, 'loader', { url: '/resources/healthcheck' })
		expect(ready.status).toBe(503)
		expect(ready.body).toMatchObject({ status: 'not-ready', reason: 'draining' })
		expect(ready.response!.headers.get('Retry-After')).toBe('5')
		expect((await callRoute(livez, 'loader', { url: '/resources/livez' })).status).toBe(200)
	} finally {
		lifecycle.draining = false
	}
	expect((await callRoute(healthcheck, 'loader', { url: '/resources/healthcheck' })).status).toBe(200)
})
