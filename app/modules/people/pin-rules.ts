/**
 * Which 6-digit PINs are refused, wherever a PIN is set (registration, setup code, change): pure, so
 * the form schemas use it in the browser and on the server alike.
 *
 * COMMON_PINS: every 6-digit entry of the 1,000 most used passwords in Mark Burnett's "10 million
 * passwords" set (xato.net, 2015), in their order of use, as published in SecLists:
 * https://github.com/danielmiessler/SecLists/blob/master/Passwords/Common-Credentials/xato-net-10-million-passwords-1000.txt
 * (46 PINs). It holds the ten most chosen 6-digit smartphone PINs measured by Markert, Bailey, Golla,
 * Dürmuth and Aviv, "This PIN Can Be Easily Guessed", IEEE S&P 2020 (arXiv:2003.04868): 123456,
 * 654321, 111111, 000000, 123123, 666666, 121212, 112233, 789456, 159753. Shapes that make up most of
 * the rest of such lists are refused by rule below (whatever their digits), and the birth year.
 */
// biome-ignore format: the list in its source's order, ten a line
export const COMMON_PINS: readonly string[] = [
	'123456', '111111', '123123', '696969', '666666', '123321', '654321', '121212', '000000', '112233',
	'555555', '131313', '777777', '159753', '222222', '123654', '987654', '999999', '333333', '232323',
	'888888', '159357', '789456', '101010', '444444', '212121', '102030', '252525', '315475', '007007',
	'111222', '147147', '147258', '010203', '147852', '420420', '242424', '123789', '098765', '141414',
	'202020', '852456', '159951', '134679', '151515', '456789',
]

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
	// Two digits repeated (ababab), three digits repeated (abcabc), three digits mirrored (abccba),
	// three doubled digits (aabbcc) or two tripled (aaabbb): 123123, 123321, 112233 and 111222 are all
	// in the list above, and their kin are as easy to guess.
	const [a, b, c, d, e, f] = pin
	return (
		pin === pin.slice(0, 2).repeat(3) ||
		pin === pin.slice(0, 3).repeat(2) ||
		(a === f && b === e && c === d) ||
		(a === b && c === d && e === f) ||
		(a === b && b === c && d === e && e === f)
	)
}
