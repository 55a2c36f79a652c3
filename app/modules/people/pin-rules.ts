/**
 * Which 6-digit PINs are refused, wherever a PIN is set (registration, setup code, change): pure, so
 * the form schemas use it in the browser and on the server alike.
 *
 * The ten most chosen 6-digit PINs measured by Markert, Bailey, Golla, Dürmuth and Aviv, "This PIN
 * Can Be Easily Guessed: Analyzing the Security of Smartphone Unlock PINs", IEEE S&P 2020
 * (arXiv:2003.04868), in their order. Most of the rest of such lists are repeats and runs, refused
 * below by shape rather than listed.
 */
export const COMMON_PINS: readonly string[] = ['123456', '654321', '111111', '000000', '123123', '666666', '121212', '112233', '789456', '159753']

export type PinWeakness = 'auth:errors.pinTooSimple' | 'auth:errors.pinHasBirthYear'

/** Why this PIN is refused (a translation key), or null when it may be used. */
export function pinWeakness(pin: string, birthYear?: number | null): PinWeakness | null {
	if (isTooSimple(pin)) return 'auth:errors.pinTooSimple'
	// A birth year is on the ID card, the household book and often on social media: 1975xx, x1975x, xx1975.
	if (birthYear && pin.includes(String(birthYear))) return 'auth:errors.pinHasBirthYear'
	return null
}

function isTooSimple(pin: string) {
	if (COMMON_PINS.includes(pin)) return true
	const digits = [...pin].map(Number)
	const steps = new Set(digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10))
	// All the same (step 0), or counting up or down by one, also across 9→0 (789012, 210987).
	if (steps.size === 1 && [0, 1, 9].includes([...steps][0]!)) return true
	// Two digits repeated (ababab) or three digits repeated (abcabc).
	return pin === pin.slice(0, 2).repeat(3) || pin === pin.slice(0, 3).repeat(2)
}
