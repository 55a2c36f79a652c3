import fc from 'fast-check'
import { createInstance } from 'i18next'
import { describe, expect, test } from 'vitest'
import i18nConfig from '#app/utils/i18n.ts'
import { formatDate, formatDateTime, formatNumber, formatPercent, formatPeriod, isoDay, parseCount, parseDecimal } from './format.ts'

describe('numbers people read', () => {
	test('Vietnamese groups thousands with a dot and writes decimals after a comma; English the other way round', () => {
		expect(formatNumber(18500, 'vi')).toBe('18.500')
		expect(formatNumber(1500, 'vi')).toBe('1.500')
		expect(formatNumber(1_234_567, 'vi')).toBe('1.234.567')
		expect(formatNumber(999, 'vi')).toBe('999')
		expect(formatNumber(12.5, 'vi')).toBe('12,5')
		expect(formatNumber(18500, 'en')).toBe('18,500')
		expect(formatNumber(12.5, 'en')).toBe('12.5')
	})

	test('a share below 0.1 % reads "< 0,1%", never "0%"; zero is 0 %; one decimal otherwise', () => {
		expect(formatPercent(0.003, 'vi')).toBe('< 0,1%')
		expect(formatPercent(0.099, 'vi')).toBe('< 0,1%')
		expect(formatPercent(0.1, 'vi')).toBe('0,1%')
		expect(formatPercent(0.5, 'vi')).toBe('0,5%')
		expect(formatPercent(0, 'vi')).toBe('0%')
		expect(formatPercent(36.666, 'vi')).toBe('36,7%')
		expect(formatPercent(100, 'vi')).toBe('100%')
		expect(formatPercent(0.003, 'en')).toBe('< 0.1%')
		expect(formatPercent(12.34, 'en')).toBe('12.3%')
	})
})

describe('dates people read', () => {
	test('Vietnamese dates are day/month/year in Vietnam time, English spells the month', () => {
		expect(formatDate('2026-12-15', 'vi')).toBe('15/12/2026')
		expect(formatDate('2026-03-05', 'vi')).toBe('05/03/2026')
		// 20:00 UTC on 14 December is already 15 December in Vietnam.
		expect(formatDate(new Date('2026-12-14T20:00:00Z'), 'vi')).toBe('15/12/2026')
		expect(formatDate('2026-12-14T20:00:00.000Z', 'vi')).toBe('15/12/2026')
		expect(formatDate('2026-12-15', 'en')).toBe('15 Dec 2026')
		expect(formatDateTime(new Date('2026-12-14T20:05:00Z'), 'vi')).toBe('15/12/2026 03:05')
	})

	test('the long form is the place-and-date line of an administrative document', () => {
		// Decree 30/2020/NĐ-CP: days below 10 and months 1 and 2 take a leading zero.
		expect(formatDate('2026-03-05', 'vi', 'long')).toBe('ngày 05 tháng 3 năm 2026')
		expect(formatDate('2026-02-01', 'vi', 'long')).toBe('ngày 01 tháng 02 năm 2026')
		expect(formatDate('2026-12-15', 'vi', 'long')).toBe('ngày 15 tháng 12 năm 2026')
	})

	test('reporting periods', () => {
		expect(formatPeriod('2026-05', 'vi')).toBe('05/2026')
		expect(formatPeriod('2026-Q2', 'vi')).toBe('quý II/2026')
		expect(formatPeriod('2026', 'vi')).toBe('2026')
		expect(formatPeriod('2026-05', 'en')).toBe('May 2026')
		expect(formatPeriod('2026-Q4', 'en')).toBe('Q4 2026')
	})
})

describe('numbers people type', () => {
	test('a count is accepted as 18500, 18.500 or 18 500 (also a no-break space pasted from a spreadsheet)', () => {
		for (const text of ['18500', '18.500', '18 500', '18\u00A0500', '18\u202F500', ' 18.500 ']) expect(parseCount(text)).toEqual({ ok: true, value: 18500 })
		expect(parseCount('1.234.567')).toEqual({ ok: true, value: 1234567 })
	})

	test('a count that could be read two ways, or is not whole, is refused with its reason, never guessed', () => {
		expect(parseCount('18,5')).toEqual({ ok: false, problem: 'notWhole' })
		expect(parseCount('1.23')).toEqual({ ok: false, problem: 'ambiguous' })
		expect(parseCount('18,500')).toEqual({ ok: false, problem: 'ambiguous' })
		expect(parseCount('12.5')).toEqual({ ok: false, problem: 'ambiguous' })
		expect(parseCount('18.50.0')).toEqual({ ok: false, problem: 'ambiguous' })
		expect(parseCount('1 85 00')).toEqual({ ok: false, problem: 'notANumber' })
		expect(parseCount('-5')).toEqual({ ok: false, problem: 'notANumber' })
		expect(parseCount('abc')).toEqual({ ok: false, problem: 'notANumber' })
		expect(parseCount('')).toEqual({ ok: false, problem: 'empty' })
		expect(parseCount('   ')).toEqual({ ok: false, problem: 'empty' })
		expect(parseCount('99999999999999999999')).toEqual({ ok: false, problem: 'notANumber' })
	})

	test('a decimal (a target in %) takes a Vietnamese comma or a dot, and refuses 1.500', () => {
		expect(parseDecimal('40')).toEqual({ ok: true, value: 40 })
		expect(parseDecimal('40,5')).toEqual({ ok: true, value: 40.5 })
		expect(parseDecimal('40.5')).toEqual({ ok: true, value: 40.5 })
		expect(parseDecimal('0,25')).toEqual({ ok: true, value: 0.25 })
		expect(parseDecimal('1.500,5')).toEqual({ ok: true, value: 1500.5 })
		expect(parseDecimal('1.500')).toEqual({ ok: false, problem: 'ambiguous' })
		expect(parseDecimal('1,500.5')).toEqual({ ok: false, problem: 'ambiguous' })
		expect(parseDecimal('40%')).toEqual({ ok: false, problem: 'notANumber' })
	})

	test('what is written is read back as the same number (Vietnamese and English counts)', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 2_000_000_000 }), (n) => {
				expect(parseCount(formatNumber(n, 'vi').replace(/\./g, '.'))).toEqual({ ok: true, value: n })
				expect(parseCount(formatNumber(n, 'vi').replace(/\./g, ' '))).toEqual({ ok: true, value: n })
			}),
		)
	})

	test('days typed the Vietnamese way', () => {
		expect(isoDay('15/12/2026')).toBe('2026-12-15')
		expect(isoDay('5/3/2026')).toBe('2026-03-05')
		expect(isoDay('2026-03-05')).toBe('2026-03-05')
		expect(isoDay('03/2026')).toBeNull()
	})
})

describe('numbers inside translated sentences', () => {
	test('every number put into a sentence is written the language’s way, except years; ISO days become dates', async () => {
		const i18n = createInstance()
		await i18n.init({
			...i18nConfig,
			lng: 'vi',
			resources: {
				vi: { common: { n: '{{count}} người', y: 'năm {{year}}', b: 'sinh năm {{birthYear}}', i: 'đã nhập {{imported}}', d: 'ngày {{date}}', s: '{{name}}' } },
				en: { common: { n: '{{count}} people' } },
			},
		})
		expect(i18n.t('b', { birthYear: 1961 })).toBe('sinh năm 1961')
		expect(i18n.t('i', { imported: 1500 })).toBe('đã nhập 1.500')
		expect(i18n.t('n', { count: 18500 })).toBe('18.500 người')
		expect(i18n.t('y', { year: 2026 })).toBe('năm 2026')
		expect(i18n.t('d', { date: '2026-07-14' })).toBe('ngày 14/07/2026')
		expect(i18n.t('s', { name: 'Lò Thị Mai' })).toBe('Lò Thị Mai')
		expect(i18n.t('n', { count: 18500, lng: 'en' })).toBe('18,500 people')
	})
})
