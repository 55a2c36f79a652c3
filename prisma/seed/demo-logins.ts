/**
 * The demo logins printed in README.md, apart from the seed code so that e2e specs and bench
 * scripts import them without opening the database (db.server.ts connects when imported).
 * Demo only: never created with SEED_DEMO=0.
 */
export const DEMO_LOGINS = {
	admin: { phone: '0912000000', password: 'hocvuso-admin' },
	provinceOfficer: { phone: '0912000001', password: 'hocvuso-tinh', provinceCode: '14' },
	staffToHieu: { phone: '0912000002', password: 'hocvuso-xa', communeCodes: ['03646'] },
	staffThuanChau: { phone: '0912000003', password: 'hocvuso-xa', communeCodes: ['03721'] },
	staffMuongLa: { phone: '0912000004', password: 'hocvuso-xa', communeCodes: ['03808', '03820'] },
	otherProvinceOfficer: { phone: '0912000005', password: 'hocvuso-tinh', provinceCode: '12' },
	resident: { phone: '0987000001', pin: '246810', communeCode: '03646' },
} as const

/** A generated resident who lives in Xã Thuận Châu (03721), as the import test needs. */
export const DEMO_THUAN_CHAU_RESIDENT = { index: 1, communeCode: '03721' } as const

/** The phone of the i-th generated demo resident (1…299; they sign in with the resident's PIN). */
export function demoResidentPhone(i: number) {
	return `0388${String(100_000 + i).padStart(6, '0')}`
}
