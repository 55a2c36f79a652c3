import { type TFunction } from 'i18next'
import { prisma } from '#app/utils/db.server.ts'
import { getFixedT } from '#app/utils/i18n.server.ts'
import { type Limit, limitKey } from '#app/utils/rate-limit.server.ts'
import { recordAudit } from '#app/modules/audit/audit.server.ts'
import { toJson } from '#app/modules/reporting/export.server.ts'
import { getBreakdown, getIndicators } from '#app/modules/reporting/indicators.server.ts'
import { parseReportParams, queryErrorResponse } from '#app/modules/reporting/report-params.server.ts'
import { findActiveApiToken } from './api-token.server.ts'

/**
 * GET /api/v1/indicators: the JSON export (`toJson`) for machines, authenticated by a province's
 * API token (the token's province is the scope), rate limited per token, and described by
 * `openApiDocument()` (./openapi.ts). Errors are JSON: a stable code and the message in English
 * and Vietnamese.
 */
export const API_RATE_LIMIT: Limit = { name: 'api-token', limit: 60, windowSeconds: 60 }

/** Every query parameter the endpoint accepts (the OpenAPI description documents exactly these). */
export const API_PARAMETERS = ['from', 'to', 'year', 'granularity', 'communes', 'commune', 'breakdown', 'province', 'lng'] as const

export interface ApiErrorBody {
	error: { status: number; code: string; message: string; messageVi: string }
}

/** A JSON error response; `key` is a translation key, its last segment the code. */
export async function apiError(status: number, key: string, { headers, values }: { headers?: HeadersInit; values?: Record<string, unknown> } = {}) {
	const [en, vi] = await Promise.all([getFixedT('en'), getFixedT('vi')])
	const code = key.split(/[.:]/).at(-1)!
	const body: ApiErrorBody = { error: { status, code, message: message(en, key, values), messageVi: message(vi, key, values) } }
	return Response.json(body, { status, headers: { 'Cache-Control': 'no-store', ...Object.fromEntries(new Headers(headers)) } })
}

function message(t: TFunction, key: string, values?: Record<string, unknown>) {
	return String(t(key, values ?? {}))
}

/** The token of an `Authorization: Bearer …` header, or a 401. Session cookies do not count. */
export async function requireApiToken(request: Request) {
	const header = request.headers.get('Authorization') ?? ''
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
	const token = match ? await findActiveApiToken(match[1]!) : null
	if (!token) {
		throw await apiError(401, 'province:api.errors.unauthorized', {
			headers: { 'WWW-Authenticate': match ? 'Bearer realm="hoc-vu-so", error="invalid_token"' : 'Bearer realm="hoc-vu-so"' },
		})
	}
	return token
}

/**
 * Counts the request against the token's window (one statement, atomic across instances) and
 * refuses it with 429 and Retry-After once the window is full.
 */
export async function limitApiToken(tokenId: string, limit: Limit = API_RATE_LIMIT) {
	const key = limitKey(limit, tokenId)
	const resetAt = new Date(Date.now() + limit.windowSeconds * 1000)
	const [row] = await prisma.$queryRaw<{ count: number; resetAt: Date }[]>`
		INSERT INTO "RateLimit" ("key","count","resetAt") VALUES (${key}, 1, ${resetAt})
		ON CONFLICT ("key") DO UPDATE SET
			"count" = CASE WHEN "RateLimit"."resetAt" <= now() THEN 1 ELSE "RateLimit"."count" + 1 END,
			"resetAt" = CASE WHEN "RateLimit"."resetAt" <= now() THEN EXCLUDED."resetAt" ELSE "RateLimit"."resetAt" END
		RETURNING "count", "resetAt"`
	const count = Number(row!.count)
	const seconds = Math.max(1, Math.ceil((new Date(row!.resetAt).getTime() - Date.now()) / 1000))
	const headers = {
		'X-RateLimit-Limit': String(limit.limit),
		'X-RateLimit-Remaining': String(Math.max(0, limit.limit - count)),
		'X-RateLimit-Reset': String(seconds),
	}
	if (count > limit.limit)
		throw await apiError(429, 'province:api.errors.rateLimited', { headers: { ...headers, 'Retry-After': String(seconds) }, values: { seconds } })
	return headers
}

/** A refusal of the shared report parser ({ message: key }) as an API error. */
async function asApiError(thrown: unknown, provinceCode: string): Promise<unknown> {
	if (!(thrown instanceof Response)) return thrown
	if (thrown.status === 403) return apiError(403, 'province:api.errors.forbidden', { values: { province: provinceCode } })
	const body = (await thrown
		.clone()
		.json()
		.catch(() => null)) as { message?: string } | null
	return apiError(thrown.status, body?.message ?? 'common:errors.status.400')
}

export async function indicatorsApiResponse(request: Request): Promise<Response> {
	const token = await requireApiToken(request)
	const rateHeaders = await limitApiToken(token.id)
	const params = new URL(request.url).searchParams
	const unknown = [...new Set(params.keys())].filter((k) => !(API_PARAMETERS as readonly string[]).includes(k))
	if (unknown.length) throw await apiError(400, 'province:api.errors.unknownParameter', { values: { name: unknown.join(', ').slice(0, 100) } })
	const lng = params.get('lng') || 'vi'
	if (lng !== 'vi' && lng !== 'en') throw await apiError(400, 'province:api.errors.badLanguage')
	try {
		const query = parseReportParams(params, { admin: false, provinceCodes: [token.provinceCode] })
		const report = await getIndicators(query)
		const breakdown = query.breakdown ? { by: query.breakdown, rows: await getBreakdown(query, query.breakdown) } : null
		const body = await toJson({ report, breakdown, lng, t: await getFixedT(lng) })
		await recordAudit({
			actorId: null,
			action: 'export.indicators',
			provinceCode: token.provinceCode,
			details: {
				format: 'api',
				tokenId: token.id,
				from: report.from,
				to: report.to,
				granularity: report.granularity,
				communes: query.communeCodes?.length ?? 'all',
				breakdown: query.breakdown,
			},
		})
		return Response.json(body, { headers: { 'Cache-Control': 'private, no-store', ...rateHeaders } })
	} catch (error) {
		throw await asApiError(queryErrorResponse(error), token.provinceCode)
	}
}
