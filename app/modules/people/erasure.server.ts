import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Prisma } from '#app/generated/prisma/client.ts'
import { DomainError } from '#app/kernel/errors.ts'
import { prisma, type Tx } from '#app/utils/db.server.ts'
import { env } from '#app/utils/env.server.ts'
import { verifySecret } from '#app/utils/password.server.ts'
import { recordAudit } from '../audit/audit.server.ts'

/**
 * Erasure at the person's request (issue #18 item 4, ADR 020). The User row stays, emptied of every
 * personal field and marked `erasedAt`, so the counts the reports were built from still add up: the
 * rollups are not touched (every published figure is the same before and after), and a raw
 * recomputation still finds one registered person in the commune, their enrolments, completions,
 * certificates and basic-skills event — with nothing that says who they were. What could name them,
 * or tell what they did, goes: name, phone, birth year, sex, ethnic group, village, secret, VNeID
 * subject, sessions, setup codes, lesson progress, quiz attempts (answers), activity periods (which
 * carried their demographic cell), client events other than the basic-skills count, their rows in
 * import files, their identity in class attendance (replaced by an opaque id), and personal details
 * in the audit log. Their certificates stay countable and verify as revoked at the holder's request,
 * without a name. The erasure is written to a ledger (no personal data) that `reapplyErasures()`
 * replays after a restore.
 */

export type ErasureVia = 'SELF' | 'STAFF'

/**
 * What erasure does with each table that holds a person's id (a column named userId, targetUserId,
 * actorId…): tests/integration/erasure.test.ts fails when a table with such a column is missing
 * here, so a new table of personal data cannot ship without deciding what erasure does with it.
 */
export const ERASURE_COVERS: Record<string, string> = {
	User: 'kept as an anonymous row: every personal field emptied, erasedAt set',
	Session: 'deleted',
	SetupCode: 'deleted',
	RoleAssignment: 'erasure refused while the person holds a role',
	Enrolment: 'kept: course, commune and dates are the raw record of counted figures',
	LessonProgress: 'deleted',
	QuizAttempt: 'deleted (answers)',
	ClientEvent: 'deleted, except the basic-skills event (kept, result emptied)',
	ActivePeriod: 'deleted (it carried the demographic cell)',
	Certificate: 'kept, revoked at the holder’s request, no name, salt or note',
	ClassAttendance: 'the id replaced by an opaque one: the count stays, not who',
	AuditLog: 'personal fields of entries about or by the person, and mentions of their name or phone anywhere, replaced',
	ErasureLedger: 'the ledger itself: id, time and way only',
	AuditSubject: 'deleted (the person leaves every recorded list); the search text of those lists removed',
	NarratorGrant: 'deleted (their permission to narrate, issue #23)',
	Recording: 'their recordings deleted with the audio and play counts (their voice is personal data); as reviewer, the id stays on others’ recordings',
	Consent: 'kept as the record that consent was given, every consent withdrawn at the erasure (purpose, notice version, channel and times only)',
}

export class ErasureError extends DomainError {}

/** Fields that hold personal data wherever they appear in an audit entry's details. */
const PERSONAL_KEYS = new Set(['fullName', 'name', 'phone', 'birthYear', 'sex', 'ethnicGroup', 'village', 'note', 'before', 'after', 'recipientName'])
const ERASED = '[erased]'

/** Why this person may not be erased (a key), or null. Staff and officers keep their account while they hold a role. */
export async function erasureRefusal(userId: string): Promise<string | null> {
	const user = await prisma.user.findUnique({ where: { id: userId }, select: { erasedAt: true, _count: { select: { roles: true } } } })
	if (!user) return 'common:errors.status.404'
	if (user.erasedAt) return 'erasure:errors.already'
	if (user._count.roles) return 'erasure:errors.hasRole'
	return null
}

/**
 * Erases the person now (well inside the legal deadline, docs/personal-data.md). `actorId` is the
 * person themself (via SELF) or the staff member who recorded a request made in person (via STAFF).
 * Refuses (ErasureError) someone who holds a role, or who was erased already.
 */
export async function eraseResident({ userId, via, actorId, now = new Date() }: { userId: string; via: ErasureVia; actorId: string; now?: Date }) {
	const refusal = await erasureRefusal(userId)
	if (refusal) throw new ErasureError(refusal, { status: refusal.endsWith('404') ? 404 : 409 })
	const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { communeCode: true, provinceCode: true } })
	await prisma.$transaction(
		async (tx) => {
			// A role given meanwhile wins: checked again under the row lock.
			const [locked] = await tx.$queryRaw<{ roles: bigint; erasedAt: Date | null }[]>`
				SELECT (SELECT count(*) FROM "RoleAssignment" r WHERE r."userId" = u.id) AS roles, u."erasedAt"
				FROM "User" u WHERE u.id = ${userId} FOR UPDATE`
			if (!locked || locked.erasedAt) throw new ErasureError('erasure:errors.already', { status: 409 })
			if (Number(locked.roles)) throw new ErasureError('erasure:errors.hasRole', { status: 409 })
			await eraseRows(tx, userId, now)
			await tx.erasureLedger.create({ data: { userId, erasedAt: now, via } })
			await recordAudit(
				{ actorId, action: 'resident.erase', targetUserId: userId, communeCode: user.communeCode, provinceCode: user.provinceCode, details: { via } },
				tx,
			)
		},
		{ timeout: 60_000 },
	)
	appendToLedgerFile({ userId, erasedAt: now.toISOString(), via })
	return { erasedAt: now }
}

/** Everything erasure changes, in one transaction. Safe to run again (a restore brought rows back). */
async function eraseRows(tx: Tx, userId: string, now: Date) {
	const person = await tx.user.findUnique({ where: { id: userId }, select: { phone: true, fullName: true } })
	if (!person) return
	await tx.user.update({
		where: { id: userId },
		data: {
			phone: null,
			fullName: '',
			birthYear: null,
			sex: null,
			ethnicGroup: null,
			learnerGroup: 'RESIDENT',
			village: null,
			passwordHash: null,
			credentialKind: null,
			vneidSubject: null,
			erasedAt: now,
		},
	})
	await tx.session.deleteMany({ where: { userId } })
	await tx.setupCode.deleteMany({ where: { userId } })
	await tx.consent.updateMany({ where: { userId, withdrawnAt: null }, data: { withdrawnAt: now } })
	await tx.lessonProgress.deleteMany({ where: { userId } })
	await tx.quizAttempt.deleteMany({ where: { userId } })
	await tx.activePeriod.deleteMany({ where: { userId } })
	// The basic-skills event is the raw record of a counted figure (docs/indicators.md): kept, emptied.
	await tx.clientEvent.deleteMany({ where: { userId, kind: { not: 'basic-skills' } } })
	await tx.clientEvent.updateMany({ where: { userId }, data: { result: Prisma.DbNull } })
	// Certificates stay counted; they verify as revoked at the holder's request, with no name.
	await tx.certificate.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now, revocationReason: 'HOLDER_REQUEST' } })
	await tx.certificate.updateMany({ where: { userId }, data: { recipientName: '', recipientSalt: null, revokedNote: null } })
	// Class attendance keeps its count, not who it was.
	const attended = await tx.classAttendance.findMany({ where: { userId }, select: { classSessionId: true } })
	for (const { classSessionId } of attended) {
		await tx.classAttendance.update({
			where: { classSessionId_userId: { classSessionId, userId } },
			data: { userId: `erased-${randomBytes(12).toString('hex')}` },
		})
	}
	// Their voice is theirs (issue #23): their recordings, audio and play counts go; so does the permission.
	await tx.recording.deleteMany({ where: { narratorId: userId } })
	await tx.narratorGrant.deleteMany({ where: { userId } })
	await scrubImportRows(tx, person.phone)
	await scrubAudit(tx, userId, person)
	// Lists the person appeared in: the filter typed may have been their name or phone (ADR 019).
	await tx.$executeRaw`UPDATE "AuditLog" SET details = details - 'q' - 'village'
		WHERE details IS NOT NULL AND id IN (SELECT "auditId" FROM "AuditSubject" WHERE "userId" = ${userId})`
	await tx.auditSubject.deleteMany({ where: { userId } })
}

/** Removes the person's rows from import files still kept (matched by phone number, however it was written). */
async function scrubImportRows(tx: Tx, phone: string | null) {
	if (!phone) return
	const local = phone.slice(1) // 912345678: in 0912…, +84912…, 84912… alike
	const pattern = `%${local.split('').join('%')}%`
	const jobs = await tx.$queryRaw<{ id: string; rows: unknown }[]>`SELECT id, rows FROM "ImportJob" WHERE rows::text LIKE ${pattern}`
	for (const job of jobs) {
		if (!Array.isArray(job.rows)) continue
		const kept = job.rows.filter((r) => {
			const digits = String((r as { phone?: unknown }).phone ?? '').replace(/\D/g, '')
			return !digits.endsWith(local)
		})
		if (kept.length !== job.rows.length) await tx.$executeRaw`UPDATE "ImportJob" SET rows = ${JSON.stringify(kept)}::jsonb WHERE id = ${job.id}`
	}
}

/** Personal details in audit entries about or by the person, and their name or phone anywhere else in the log. */
async function scrubAudit(tx: Tx, userId: string, person: { phone: string | null; fullName: string }) {
	const needles = [person.phone, person.phone?.slice(1), person.fullName.trim().length >= 4 ? person.fullName.trim() : null].filter((n): n is string =>
		Boolean(n),
	)
	const mentions = needles.map((n) => Prisma.sql`details::text ILIKE ${`%${n.replace(/[%_\\]/g, '\\$&')}%`}`)
	const rows = await tx.$queryRaw<{ id: bigint; details: Prisma.JsonValue; own: boolean }[]>`
		SELECT id, details, ("targetUserId" = ${userId} OR "actorId" = ${userId}) AS own FROM "AuditLog"
		WHERE details IS NOT NULL AND ("targetUserId" = ${userId} OR "actorId" = ${userId}${mentions.length ? Prisma.sql` OR ${Prisma.join(mentions, ' OR ')}` : Prisma.empty})`
	for (const row of rows) {
		const scrubbed = scrub(row.details, needles, row.own)
		if (JSON.stringify(scrubbed) !== JSON.stringify(row.details)) {
			await tx.$executeRaw`UPDATE "AuditLog" SET details = ${JSON.stringify(scrubbed)}::jsonb WHERE id = ${row.id}`
		}
	}
}

/** The value with every string that mentions a needle replaced, and (in the person's own entries) every personal field. */
export function scrub(value: Prisma.JsonValue, needles: string[], own: boolean): Prisma.JsonValue {
	const lower = needles.map((n) => n.toLowerCase())
	const walk = (v: Prisma.JsonValue): Prisma.JsonValue => {
		if (typeof v === 'string') return lower.some((n) => v.toLowerCase().includes(n)) ? ERASED : v
		if (Array.isArray(v)) return v.map(walk)
		if (v && typeof v === 'object') {
			return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, own && PERSONAL_KEYS.has(k) && x !== null ? ERASED : walk(x ?? null)]))
		}
		return v
	}
	return walk(value)
}

// ───────────── The ledger, and replaying it after a restore ─────────────

export interface LedgerEntry {
	userId: string
	erasedAt: string
	via: ErasureVia
}

function ledgerFile() {
	if (env.ERASURE_LEDGER_FILE) return path.resolve(env.ERASURE_LEDGER_FILE)
	return env.NODE_ENV === 'test' ? null : path.resolve('data/erasure-ledger.jsonl')
}

function appendToLedgerFile(entry: LedgerEntry, file = ledgerFile()) {
	if (!file) return
	try {
		fs.mkdirSync(path.dirname(file), { recursive: true })
		fs.appendFileSync(file, `${JSON.stringify(entry)}\n`, { mode: 0o600 })
	} catch (error) {
		// The database ledger has the entry; the operator must see that the copy outside it does not.
		console.error(`erasure ledger file ${file} not written: ${(error as Error).message}`)
	}
}

/** The ledger copy outside the database (lines that are not an entry are skipped). */
export function readLedgerFile(file = ledgerFile()): LedgerEntry[] {
	if (!file || !fs.existsSync(file)) return []
	return fs
		.readFileSync(file, 'utf8')
		.split('\n')
		.flatMap((line) => {
			try {
				const e = JSON.parse(line) as LedgerEntry
				return typeof e.userId === 'string' && !Number.isNaN(Date.parse(e.erasedAt))
					? [{ userId: e.userId, erasedAt: e.erasedAt, via: e.via === 'STAFF' ? 'STAFF' : 'SELF' }]
					: []
			} catch {
				return []
			}
		})
}

/**
 * After a backup is restored (npm run db:restore calls this): every erasure in the ledger — the
 * table, plus the file outside the database, which a backup older than the erasure cannot have
 * overwritten, plus any `entries` the caller kept — is done again for whoever the restore brought
 * back, and the table gets the entries it lost. Idempotent; returns the ids erased again.
 */
export async function reapplyErasures({ entries = [], file = ledgerFile() }: { entries?: LedgerEntry[]; file?: string | null } = {}) {
	const table = await prisma.erasureLedger.findMany()
	const all = new Map<string, LedgerEntry>()
	for (const e of [
		...table.map((t) => ({ userId: t.userId, erasedAt: t.erasedAt.toISOString(), via: t.via as ErasureVia })),
		...readLedgerFile(file),
		...entries,
	]) {
		if (!all.has(e.userId)) all.set(e.userId, e)
	}
	const known = new Set(table.map((t) => t.userId))
	const erasedAgain: string[] = []
	for (const entry of all.values()) {
		await prisma.$transaction(
			async (tx) => {
				if (!known.has(entry.userId)) await tx.erasureLedger.create({ data: { userId: entry.userId, erasedAt: new Date(entry.erasedAt), via: entry.via } })
				const user = await tx.user.findUnique({ where: { id: entry.userId }, select: { erasedAt: true } })
				if (!user) return
				// Rows of theirs may be back even when the user row says erased (a partial restore): always sweep.
				const before = user.erasedAt
				await eraseRows(tx, entry.userId, before ?? new Date(entry.erasedAt))
				// Someone who was given a role after the backup cannot exist: the restore is older than the erasure.
				await tx.roleAssignment.deleteMany({ where: { userId: entry.userId } })
				if (!before) erasedAgain.push(entry.userId)
			},
			{ timeout: 60_000 },
		)
	}
	return { entries: all.size, erasedAgain }
}

/**
 * The person erases themself from /me/erase, confirmed with their PIN or password (the caller counts
 * the attempt first, so a borrowed, signed-in phone is no PIN oracle). 'no-secret': a person who never
 * set one (VNeID only, or a reset pending) asks commune staff instead.
 */
export async function eraseOwnAccount({
	userId,
	secret,
	now = new Date(),
}: {
	userId: string
	secret: string
	now?: Date
}): Promise<'erased' | 'wrong' | 'no-secret'> {
	const refusal = await erasureRefusal(userId)
	if (refusal) throw new ErasureError(refusal, { status: 409 })
	const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } })
	if (!user.passwordHash) return 'no-secret'
	if (!(await verifySecret(user.passwordHash, secret))) return 'wrong'
	await eraseResident({ userId, via: 'SELF', actorId: userId, now })
	return 'erased'
}
