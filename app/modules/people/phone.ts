/**
 * Vietnamese mobile numbers: 10 digits starting 03, 05, 07, 08 or 09, written any common way
 * ("0912 345 678", "+84 912 345 678", "84912345678", "0912.345.678"). Stored in the national
 * form 0XXXXXXXXX.
 */
export function normalisePhone(input: string): string | null {
	const compact = input.trim().replace(/[\s.\-()]/g, '')
	let national: string
	if (/^\+84\d{9}$/.test(compact)) national = `0${compact.slice(3)}`
	else if (/^84\d{9}$/.test(compact)) national = `0${compact.slice(2)}`
	else if (/^0\d{9}$/.test(compact)) national = compact
	else return null
	return /^0[35789]\d{8}$/.test(national) ? national : null
}

/** 0912 345 678 → 0912 *** 678: enough for staff to recognise, not enough to copy. */
export function maskPhone(phone: string): string {
	return `${phone.slice(0, 4)} *** ${phone.slice(-3)}`
}

export function formatPhone(phone: string): string {
	return `${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`
}
