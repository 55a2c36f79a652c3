import { Prisma } from '#app/generated/prisma/client.ts'
import { prisma, sql } from '#app/utils/db.server.ts'

/**
 * The access log (issue #18, ADR 019): every time staff or officers look at residents' records —
 * open one (`resident.view`), see a list of them (`resident.search`: a search, a filter, a list on a
 * page) or take them away (`export.residents`). Kept in `AuditLog` beside the changes, so a resident
 * and the province read one history; the residents a list showed are `AuditSubject` rows with their
 * place in it. Each record is ONE statement (the subjects go in with the event), so the commune list
 * pays one round trip for it.
 */
export const ACCESS_ACTIONS = ['resident.view', 'resident.search', 'export.residents', 'import.preview', 'certificate.verify'] as const
export type AccessAction = (typeof ACCESS_ACTIONS)[number]

/** A second view of the same record by the same person within this window is not recorded again. */
export const VIEW_WINDOW_MINUTES = 15

/** Which list a search record comes from (shown to the resident and in the audit viewer). */
export type ListKind = 'residents' | 'home' | 'class' | 'import'

/** The filter of a search, as recorded: only keys that were set, values as the staff member typed them. */
export type SearchFilter = Partial<Record<'q' | 'village' | 'course' | 'status' | 'group' | 'commune' | 'class', string>> & { page?: number }

interface Where {
	communeCode: string | null
	provinceCode: string | null
}

/**
 * A staff member opened a resident's record. Not recorded again if they opened it within the last
 * VIEW_WINDOW_MINUTES (a page reloaded after an action is the same look), in the same statement.
 */
export async function recordView({ actorId, resident }: { actorId: string; resident: { id: string } & Where }) {
	await sql.execute(Prisma.sql`
		INSERT INTO "AuditLog" ("actorId", "action", "targetUserId", "communeCode", "provinceCode")
		SELECT ${actorId}, 'resident.view', ${resident.id}, ${resident.communeCode}, ${resident.provinceCode}
		WHERE NOT EXISTS (
			SELECT 1 FROM "AuditLog"
			WHERE "targetUserId" = ${resident.id} AND "actorId" = ${actorId} AND "action" = 'resident.view'
			  AND "createdAt" > now() - make_interval(mins => ${VIEW_WINDOW_MINUTES}))`)
}

/**
 * A list of residents was shown (or exported): the event with its filter and, in the same
 * statement, one `AuditSubject` per resident with their place (`offset` + 1 for the first).
 */
export async function recordAccess({
	actorId,
	action,
	where,
	details,
	residentIds,
	offset = 0,
}: {
	actorId: string
	action: 'resident.search' | 'export.residents'
	where: Where
	details: Prisma.InputJsonObject
	residentIds: string[]
	offset?: number
}) {
	await sql.execute(Prisma.sql`
		WITH event AS (
			INSERT INTO "AuditLog" ("actorId", "action", "communeCode", "provinceCode", "details")
			VALUES (${actorId}, ${action}, ${where.communeCode}, ${where.provinceCode}, ${JSON.stringify({ ...details, count: residentIds.length })}::jsonb)
			RETURNING "id")
		INSERT INTO "AuditSubject" ("auditId", "userId", "rank")
		SELECT event."id", s.value, (s.ordinality + ${offset})::int
		FROM event, jsonb_array_elements_text(${JSON.stringify(residentIds)}::jsonb) WITH ORDINALITY AS s(value, ordinality)`)
}

/**
 * Staff looked at rows of an import file being checked (ADR 028): the names and phones are the
 * file's, but a row whose phone is a registered person's shows staff that person. One statement:
 * the event goes in only when a shown phone is someone's, with one subject per such person (their
 * row's place among those shown). A page of nobody registered writes nothing, and the same page
 * shown again to the same person within VIEW_WINDOW_MINUTES (a running import's page reloads
 * itself every two seconds) is the same look.
 */
export async function recordImportPreview({
	actorId,
	where,
	details,
	phones,
	offset = 0,
}: {
	actorId: string
	where: Where
	details: Prisma.InputJsonObject
	phones: string[]
	offset?: number
}) {
	const list = JSON.stringify(phones)
	const recorded = JSON.stringify({ list: 'import', ...details })
	await sql.execute(Prisma.sql`
		WITH shown AS (
			SELECT u."id", (s.ordinality + ${offset})::int AS "rank"
			FROM jsonb_array_elements_text(${list}::jsonb) WITH ORDINALITY AS s(value, ordinality)
			JOIN "User" u ON u."phone" = s.value AND u."erasedAt" IS NULL),
		event AS (
			INSERT INTO "AuditLog" ("actorId", "action", "communeCode", "provinceCode", "details")
			SELECT ${actorId}, 'import.preview', ${where.communeCode}, ${where.provinceCode}, ${recorded}::jsonb
			WHERE EXISTS (SELECT 1 FROM shown)
			  AND NOT EXISTS (
				SELECT 1 FROM "AuditLog" l
				WHERE l."actorId" = ${actorId} AND l."action" = 'import.preview' AND l."details" = ${recorded}::jsonb
				  AND l."createdAt" > now() - make_interval(mins => ${VIEW_WINDOW_MINUTES}))
			RETURNING "id")
		INSERT INTO "AuditSubject" ("auditId", "userId", "rank")
		SELECT event."id", shown."id", shown."rank" FROM event, shown`)
}

/** How long one check of a certificate counts as one (a page reloaded, a QR code scanned twice). */
export const VERIFY_WINDOW_MINUTES = 60

/**
 * Someone checked a certificate on the public verification page (ADR 028): the holder sees in
 * /me/data that it was checked and when. Nothing about the visitor is kept (no account, address or
 * device); at most one entry per certificate per VERIFY_WINDOW_MINUTES, in the same statement, so
 * the page cannot be used to fill the log. Nothing is recorded for an erased holder.
 */
export async function recordCertificateCheck(code: string) {
	await sql.execute(Prisma.sql`
		INSERT INTO "AuditLog" ("actorId", "action", "targetUserId", "communeCode", "provinceCode", "details")
		SELECT NULL, 'certificate.verify', c."userId", c."communeCode", c."provinceCode", jsonb_build_object('code', c."code")
		FROM "Certificate" c JOIN "User" u ON u."id" = c."userId"
		WHERE c."code" = ${code} AND u."erasedAt" IS NULL
		  AND NOT EXISTS (
			SELECT 1 FROM "AuditLog" l
			WHERE l."targetUserId" = c."userId" AND l."action" = 'certificate.verify' AND l."details" ->> 'code' = c."code"
			  AND l."createdAt" > now() - make_interval(mins => ${VERIFY_WINDOW_MINUTES}))`)
}

export interface AccessEntry {
	id: string
	action: string
	at: Date
	actorId: string | null
	actorName: string | null
	actorRoles: { role: string; communeCode: string | null; provinceCode: string | null }[]
	communeCode: string | null
	provinceCode: string | null
	details: Record<string, unknown> | null
	/** Searches and exports: the person's place in the results. */
	rank: number | null
}

/**
 * Everything recorded about one person, newest first: what was done to their record (views,
 * changes: `targetUserId`) and the lists they were in (`AuditSubject`). The actor is named with
 * their roles; nothing about other residents is read (a search's filter is what matched this person).
 */
export async function accessHistoryOf(userId: string, { take }: { take?: number } = {}): Promise<AccessEntry[]> {
	const rows = await prisma.$queryRaw<(Omit<AccessEntry, 'id' | 'actorRoles'> & { id: bigint; actorRoles: unknown })[]>(Prisma.sql`
		SELECT e."id", e."action", e."createdAt" AS "at", e."actorId", a."fullName" AS "actorName", e."communeCode", e."provinceCode", e."details", e."rank",
			COALESCE((SELECT json_agg(json_build_object('role', r."role", 'communeCode', r."communeCode", 'provinceCode', r."provinceCode"))
			          FROM "RoleAssignment" r WHERE r."userId" = e."actorId"), '[]'::json) AS "actorRoles"
		FROM (
			SELECT l."id", l."action", l."createdAt", l."actorId", l."communeCode", l."provinceCode", l."details", NULL::int AS "rank"
			FROM "AuditLog" l WHERE l."targetUserId" = ${userId}
			UNION ALL
			SELECT l."id", l."action", l."createdAt", l."actorId", l."communeCode", l."provinceCode", l."details", s."rank"
			FROM "AuditSubject" s JOIN "AuditLog" l ON l."id" = s."auditId" WHERE s."userId" = ${userId}
		) e
		LEFT JOIN "User" a ON a."id" = e."actorId"
		ORDER BY e."createdAt" DESC, e."id" DESC
		${take ? Prisma.sql`LIMIT ${take}` : Prisma.empty}`)
	return rows.map((r) => ({
		...r,
		id: String(r.id),
		details: parseObject(r.details),
		actorRoles: (typeof r.actorRoles === 'string' ? JSON.parse(r.actorRoles) : r.actorRoles) as AccessEntry['actorRoles'],
	}))
}

export const AUDIT_PAGE_SIZE = 50

export interface AuditQuery {
	/** Rows about these provinces only; undefined: every province (administrators). */
	provinceCodes?: string[]
	/** The person the entry is about: opened, changed, or shown in a list or export. */
	personId?: string
	actorId?: string
	actions?: string[]
	/** Vietnam-time days, inclusive, as UTC instants: [from, to). */
	from?: Date
	to?: Date
	page?: number
}

/** The audit viewer's page: newest first, filtered in the database, paginated. */
export async function listAuditEntries(query: AuditQuery) {
	const page = Math.max(1, Math.min(10_000, Math.floor(query.page ?? 1)))
	const where: Prisma.AuditLogWhereInput = {
		AND: [
			query.provinceCodes ? { provinceCode: { in: query.provinceCodes } } : {},
			query.personId ? { OR: [{ targetUserId: query.personId }, { subjects: { some: { userId: query.personId } } }] } : {},
			query.actorId ? { actorId: query.actorId } : {},
			query.actions ? { action: { in: query.actions } } : {},
			query.from ? { createdAt: { gte: query.from } } : {},
			query.to ? { createdAt: { lt: query.to } } : {},
		],
	}
	const [total, rows] = await Promise.all([
		prisma.auditLog.count({ where }),
		prisma.auditLog.findMany({
			where,
			orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
			skip: (page - 1) * AUDIT_PAGE_SIZE,
			take: AUDIT_PAGE_SIZE,
			select: {
				id: true,
				action: true,
				createdAt: true,
				actorId: true,
				targetUserId: true,
				communeCode: true,
				provinceCode: true,
				details: true,
				_count: { select: { subjects: true } },
				...(query.personId ? { subjects: { where: { userId: query.personId }, select: { rank: true } } } : {}),
			},
		}),
	])
	const people = new Set(rows.flatMap((r) => [r.actorId, r.targetUserId]).filter((id): id is string => Boolean(id)))
	const names = new Map(
		(await prisma.user.findMany({ where: { id: { in: [...people] } }, select: { id: true, fullName: true } })).map((u) => [u.id, u.fullName]),
	)
	return {
		total,
		page,
		pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
		rows: rows.map((r) => ({
			id: String(r.id),
			action: r.action,
			at: r.createdAt,
			actorId: r.actorId,
			actorName: r.actorId ? (names.get(r.actorId) ?? null) : null,
			targetUserId: r.targetUserId,
			targetName: r.targetUserId ? (names.get(r.targetUserId) ?? null) : null,
			communeCode: r.communeCode,
			provinceCode: r.provinceCode,
			details: parseObject(r.details),
			subjects: r._count.subjects,
			rank: 'subjects' in r && Array.isArray(r.subjects) ? ((r.subjects[0] as { rank: number } | undefined)?.rank ?? null) : null,
		})),
	}
}

function parseObject(value: unknown): Record<string, unknown> | null {
	const parsed = typeof value === 'string' ? JSON.parse(value) : value
	return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null
}
