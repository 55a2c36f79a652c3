import { reportingDb } from '#app/utils/db.server.ts'

/**
 * Revoked certificates per commune, shown beside "certificates issued" (issue #17 item 6). The issued
 * figure counts every certificate on the day it was issued and is not lowered by a later revocation
 * (a report signed for a past month stays true); this says how many of them have been revoked by the
 * end of the range: issued up to then and revoked before the first instant after it (Vietnam time).
 * Revocations by an erasure (ADR 020: no officer, at the holder's request) are not counted: the
 * certificate was rightly issued, and every figure must read the same before and after an erasure.
 * An officer's revocation at the holder's request (with its officer) is counted.
 */
export async function revokedCertificates({ provinceCode, communeCodes, lastMonth }: { provinceCode: string; communeCodes: string[]; lastMonth: string }) {
	const end = firstInstantAfter(lastMonth)
	const rows = communeCodes.length
		? await reportingDb.certificate.groupBy({
				by: ['communeCode'],
				where: {
					provinceCode,
					communeCode: { in: communeCodes },
					issuedAt: { lt: end },
					revokedAt: { lt: end },
					// Spelled out, not NOT { reason, officer }: SQL's NOT over a NULL reason is NULL, which
					// would leave out every revocation recorded without a reason.
					OR: [{ revocationReason: null }, { revocationReason: { not: 'HOLDER_REQUEST' } }, { revokedById: { not: null } }],
				},
				_count: { _all: true },
			})
		: []
	const byCommune = new Map<string, number>(rows.map((r) => [r.communeCode ?? '', r._count._all]))
	return { byCommune, total: rows.reduce((sum, r) => sum + r._count._all, 0) }
}

/** The first instant after the Vietnamese calendar month 'YYYY-MM' (its next month's midnight, UTC+7). */
function firstInstantAfter(month: string) {
	const [y, m] = month.split('-').map(Number) as [number, number]
	const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`
	return new Date(`${next}-01T00:00:00+07:00`)
}
