import { reportingDb } from '#app/utils/db.server.ts'

/**
 * Revoked certificates per commune, shown beside "certificates issued" (issue #17 item 6). The issued
 * figure counts every certificate on the day it was issued and is not lowered by a later revocation
 * (a report signed for a past month stays true); this says how many of them have been revoked by the
 * end of the range: issued up to then and revoked before the first instant after it (Vietnam time).
 */
export async function revokedCertificates({ provinceCode, communeCodes, lastMonth }: { provinceCode: string; communeCodes: string[]; lastMonth: string }) {
	const end = firstInstantAfter(lastMonth)
	const rows = communeCodes.length
		? await reportingDb.certificate.groupBy({
				by: ['communeCode'],
				where: { provinceCode, communeCode: { in: communeCodes }, issuedAt: { lt: end }, revokedAt: { lt: end } },
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
