import { describe, expect, test } from 'vitest'
import en from '#app/locales/en/common.json' with { type: 'json' }
import vi from '#app/locales/vi/common.json' with { type: 'json' }
import { errorPageKeys, isGeneralMessage } from './error-page.ts'

describe('error page words', () => {
	test('every status with a heading has a help line, in both languages, and the help never repeats the heading', () => {
		for (const words of [vi.errors, en.errors]) {
			const statuses = Object.keys(words.heading).filter((k) => /^\d+$/.test(k))
			expect(Object.keys(words.help).sort()).toEqual(statuses.sort())
			for (const status of statuses) {
				const heading = (words.heading as Record<string, string>)[status]!.toLowerCase()
				const help = (words.help as Record<string, string>)[status]!
				expect(help.toLowerCase(), status).not.toContain(heading)
				expect(help.length, status).toBeGreaterThan(heading.length)
			}
		}
	})

	test("a status without words of its own takes the general ones (500's)", () => {
		const has = (key: string) => ['errors.heading.404', 'errors.help.404', 'errors.heading.500', 'errors.help.500'].includes(key)
		expect(errorPageKeys(404, has)).toEqual({ heading: 'errors.heading.404', help: 'errors.help.404' })
		expect(errorPageKeys(418, has)).toEqual({ heading: 'errors.heading.500', help: 'errors.help.500' })
	})

	test("only a status's general message is replaced by the help line; a refusal's own reason is kept", () => {
		expect(isGeneralMessage('', 404)).toBe(true)
		expect(isGeneralMessage('common:errors.status.403', 403)).toBe(true)
		expect(isGeneralMessage('common:errors.unexpected', 500)).toBe(true)
		expect(isGeneralMessage('common:errors.status.404', 403)).toBe(false)
		expect(isGeneralMessage('staff:export.errors.personalData', 403)).toBe(false)
	})
})
