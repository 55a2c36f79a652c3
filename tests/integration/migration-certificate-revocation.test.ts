import { expect, test } from 'vitest'
import { databaseJustBefore } from '#tests/utils/migration.ts'

/**
 * Issue #16: certificates revoked before the fixed list of reasons keep the officer's free text as
 * an internal note and say "other reason" publicly; certificates still valid get no reason. Built
 * on the schema just before the migration, filled, then migrated as a deployment would be.
 */
const MIGRATION = '20261201030815_certificate_revocation_reason'
const before = databaseJustBefore(MIGRATION)

test('old free-text reasons become internal notes, publicly "other"; valid certificates get no reason', async () => {
	const runner = before.runner
	await runner.query(
		`INSERT INTO "Course" (id, slug, position, core, sequential, "passMark", "lessonCount", "titleVi", "titleEn", "updatedAt")
		 VALUES ('smartphone', 'smartphone', 1, true, true, 80, 1, 'Điện thoại', 'Smartphone', now())`,
	)
	for (const [id, revoked, reason] of [
		['c1', true, 'Cấp nhầm, bà Xuân thôn Nà Sự 0912345678'],
		['c2', true, null],
		['c3', false, null],
	] as const) {
		await runner.query(`INSERT INTO "User" (id, "fullName", "updatedAt") VALUES ($1, 'Lò Thị Xuân', now())`, [`u-${id}`])
		await runner.query(`INSERT INTO "Enrolment" (id, "userId", "courseId") VALUES ($1, $2, 'smartphone')`, [`e-${id}`, `u-${id}`])
		await runner.query(
			`INSERT INTO "Certificate" (id, code, "userId", "enrolmentId", "courseId", "recipientName", "revokedAt", "revokedReason")
			 VALUES ($1, $2, $3, $4, 'smartphone', 'Lò Thị Xuân', $5, $6)`,
			[id, `CODE${id.toUpperCase()}AAAA`.slice(0, 10), `u-${id}`, `e-${id}`, revoked ? new Date() : null, reason],
		)
	}
	await before.migrate()
	const rows = await runner.query<{ id: string; revocationReason: string | null; revokedNote: string | null }>(
		`SELECT id, "revocationReason", "revokedNote" FROM "Certificate" ORDER BY id`,
	)
	expect(rows).toEqual([
		{ id: 'c1', revocationReason: 'OTHER', revokedNote: 'Cấp nhầm, bà Xuân thôn Nà Sự 0912345678' },
		{ id: 'c2', revocationReason: 'OTHER', revokedNote: null },
		{ id: 'c3', revocationReason: null, revokedNote: null },
	])
	const columns = await runner.query<{ column_name: string }>(
		`SELECT column_name FROM information_schema.columns WHERE table_name = 'Certificate' AND column_name = 'revokedReason'`,
	)
	expect(columns).toEqual([])
})
