import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'
import { prisma } from '#app/utils/db.server.ts'
import { canActInProvince, provinceRowsInScope, type Scope } from '#app/kernel/scope.ts'
import { hashToken } from '#app/utils/session.server.ts'
import { recordAudit } from '#app/modules/audit/audit.server.ts'
import { FieldError } from '#app/modules/people/people.server.ts'

/**
 * Per-province tokens for the machine API (issue #6, item 5). The token is shown once, when it is
 * created; only its SHA-256 is stored (like sessions), so a copy of the database cannot call the API.
 * `hvs_` + 160 random bits in base32: recognisable in logs and secret scanners, and unguessable.
 */
const PREFIX = 'hvs_'
export const TOKEN_PATTERN = /^hvs_[a-z2-7]{32}$/
/** lastUsedAt is written at most this often per token, so a busy token is not a hot row. */
export const LAST_USED_EVERY_MS = 60_000

export function generateApiToken(): string {
	const bytes = new Uint8Array(20)
	crypto.getRandomValues(bytes)
	return PREFIX + encodeBase32LowerCaseNoPadding(bytes)
}

export interface ApiTokenRow {
	id: string
	provinceCode: string
	name: string
	createdAt: Date
	lastUsedAt: Date | null
	revokedAt: Date | null
	createdByName: string | null
}

/** Creates a token for a province in the person's scope; returns the token itself (never stored). */
export async function createApiToken({ scope, actorId, provinceCode, name }: { scope: Scope; actorId: string; provinceCode: string; name: string }) {
	if (!canActInProvince(scope, provinceCode)) throw new FieldError('provinceCode', 'province:api.errors.provinceNotYours')
	const province = await prisma.province.findUnique({ where: { code: provinceCode }, select: { code: true } })
	if (!province) throw new FieldError('provinceCode', 'province:api.errors.provinceRequired')
	const token = generateApiToken()
	const created = await prisma.$transaction(async (tx) => {
		const row = await tx.apiToken.create({ data: { provinceCode, name, tokenHash: hashToken(token), createdById: actorId }, select: { id: true } })
		// The audit entry names the token, never its value.
		await recordAudit({ actorId, action: 'api-token.create', provinceCode, details: { tokenId: row.id, name } }, tx)
		return row
	})
	return { id: created.id, token }
}

/** Tokens of the provinces in scope, newest first. */
export async function listApiTokens(scope: Scope): Promise<ApiTokenRow[]> {
	const rows = await prisma.apiToken.findMany({
		where: provinceRowsInScope(scope),
		orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
		select: { id: true, provinceCode: true, name: true, createdAt: true, lastUsedAt: true, revokedAt: true, createdById: true },
		take: 500,
	})
	const creators = await prisma.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.createdById))] } }, select: { id: true, fullName: true } })
	const names = new Map(creators.map((c) => [c.id, c.fullName]))
	return rows.map(({ createdById, ...r }) => ({ ...r, createdByName: names.get(createdById) ?? null }))
}

/**
 * Revokes a token of a province in scope. A token outside the scope is "unknown", like one that
 * does not exist. Revoking twice changes nothing.
 */
export async function revokeApiToken({ scope, actorId, tokenId }: { scope: Scope; actorId: string; tokenId: string }) {
	const token = await prisma.apiToken.findUnique({ where: { id: tokenId }, select: { id: true, provinceCode: true, name: true, revokedAt: true } })
	if (!token || !canActInProvince(scope, token.provinceCode)) throw new FieldError('tokenId', 'province:api.errors.tokenUnknown')
	if (token.revokedAt) return { revoked: false, name: token.name }
	await prisma.$transaction(async (tx) => {
		await tx.apiToken.updateMany({ where: { id: token.id, revokedAt: null }, data: { revokedAt: new Date() } })
		await recordAudit({ actorId, action: 'api-token.revoke', provinceCode: token.provinceCode, details: { tokenId: token.id, name: token.name } }, tx)
	})
	return { revoked: true, name: token.name }
}

/**
 * The active token a bearer value names, or null. Reads the primary, not the reporting replica,
 * so that a revocation takes effect at once. A token works only while its creator still holds a
 * role covering its province (officer of that province, or administrator): a token must not outlive
 * the authority that made it, and checking in the same query costs one indexed EXISTS per call.
 * lastUsedAt is refreshed at most once a minute, by a conditional update, so concurrent requests on
 * several instances do not all write it.
 */
export async function findActiveApiToken(value: string, now = new Date()) {
	if (!TOKEN_PATTERN.test(value)) return null
	const [token] = await prisma.$queryRaw<{ id: string; provinceCode: string; lastUsedAt: Date | null }[]>`
		SELECT t.id, t."provinceCode", t."lastUsedAt"
		FROM "ApiToken" t
		WHERE t."tokenHash" = ${hashToken(value)} AND t."revokedAt" IS NULL
			AND EXISTS (
				SELECT 1 FROM "RoleAssignment" r
				WHERE r."userId" = t."createdById"
					AND (r.role = 'ADMIN' OR (r.role = 'PROVINCE_OFFICER' AND r."provinceCode" = t."provinceCode"))
			)`
	if (!token) return null
	const stale = new Date(now.getTime() - LAST_USED_EVERY_MS)
	if (!token.lastUsedAt || token.lastUsedAt < stale) {
		await prisma.apiToken.updateMany({
			where: { id: token.id, revokedAt: null, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: stale } }] },
			data: { lastUsedAt: now },
		})
	}
	return { id: token.id, provinceCode: token.provinceCode }
}
