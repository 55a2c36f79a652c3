import { execFileSync } from 'node:child_process'
import { describe, expect, test } from 'vitest'
import { parseEnv } from '#app/utils/env.server.ts'
import { prisma, dbInfo } from '#app/utils/db.server.ts'
import { readMigrations } from '#app/utils/migrate.server.ts'

describe('database foundation', () => {
	test('every migration is recorded with Prisma’s checksum', async () => {
		const rows = await prisma.$queryRaw<{ migration_name: string; checksum: string }[]>`
			SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`
		expect(rows).toEqual(readMigrations().map((m) => ({ migration_name: m.name, checksum: m.checksum })))
	})

	test('the 34 provinces and 3,321 commune-level units are loaded with official codes', async () => {
		expect(await prisma.province.count()).toBe(34)
		expect(await prisma.commune.count()).toBe(3321)
		const sonLa = await prisma.province.findUniqueOrThrow({ where: { code: '14' }, include: { _count: { select: { communes: true } } } })
		expect(sonLa.name).toBe('Sơn La')
		expect(sonLa._count.communes).toBe(75)
		const toHieu = await prisma.commune.findUniqueOrThrow({ where: { code: '03646' } })
		expect(toHieu).toMatchObject({ fullName: 'Phường Tô Hiệu', nameEn: 'To Hieu', provinceCode: '14' })
		const byType = await prisma.commune.groupBy({ by: ['unitType'], where: { provinceCode: '14' }, _count: true })
		expect(Object.fromEntries(byType.map((r) => [r.unitType, r._count]))).toEqual({ Phường: 8, Xã: 67 })
		expect(await prisma.commune.count({ where: { provinceCode: '12' } })).toBe(38)
	})

	test('reports which database it runs on', () => {
		expect(['pglite', 'postgres']).toContain(dbInfo.kind)
	})
})

describe('configuration', () => {
	test('rejects a DATABASE_URL of another database with a clear message', () => {
		expect(() => parseEnv({ DATABASE_URL: 'mysql://root@localhost/db' })).toThrow(/DATABASE_URL must start with postgres:\/\//)
		expect(() => parseEnv({ DATABASE_URL: 'postgres://' })).toThrow(/not a valid postgres:\/\/ URL/)
		expect(parseEnv({}).DATABASE_URL).toBeUndefined()
	})

	test('METRICS_TOKEN: unset, or long enough to be a secret and usable in a header', () => {
		expect(parseEnv({}).METRICS_TOKEN).toBeUndefined()
		expect(parseEnv({ METRICS_TOKEN: 'a'.repeat(32) }).METRICS_TOKEN).toBe('a'.repeat(32))
		expect(() => parseEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: expected 32 to 256 printable characters/)
		expect(() => parseEnv({ METRICS_TOKEN: `${'a'.repeat(32)} b` })).toThrow(/METRICS_TOKEN/)
	})

	test('DRAIN_TIMEOUT_SECONDS and DRAIN_DELAY_SECONDS: whole seconds, with defaults for nginx', () => {
		expect(parseEnv({})).toMatchObject({ DRAIN_TIMEOUT_SECONDS: 25, DRAIN_DELAY_SECONDS: 0 })
		expect(parseEnv({ DRAIN_TIMEOUT_SECONDS: '60', DRAIN_DELAY_SECONDS: '5' })).toMatchObject({ DRAIN_TIMEOUT_SECONDS: 60, DRAIN_DELAY_SECONDS: 5 })
		expect(() => parseEnv({ DRAIN_TIMEOUT_SECONDS: '0' })).toThrow(
			/DRAIN_TIMEOUT_SECONDS: expected the seconds requests in flight get to finish at shutdown: a whole number from 1 to 3600/,
		)
		expect(() => parseEnv({ DRAIN_DELAY_SECONDS: '2.5' })).toThrow(/DRAIN_DELAY_SECONDS: expected/)
	})

	test('an unreachable PostgreSQL server fails fast with a message naming it', () => {
		let message = ''
		const started = Date.now()
		try {
			execFileSync('npx', ['tsx', 'scripts/db-status.ts'], {
				env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing', NODE_ENV: 'production', APP_ORIGIN: 'https://hocvuso.example' },
				encoding: 'utf8',
				stdio: 'pipe',
				timeout: 20_000,
			})
		} catch (error) {
			message = String((error as { stderr?: string }).stderr)
		}
		expect(message).toMatch(/Cannot reach PostgreSQL at 127\.0\.0\.1:1\/nothing/)
		expect(Date.now() - started).toBeLessThan(20_000)
	})
})
