import { type Page } from '@playwright/test'
import { expect, test } from './fixtures.ts'

/**
 * At 360 px, every group of fields drawn in a box keeps its words and fields inside its line, not on
 * it (a fieldset with a border and no padding put the registration form's ethnic-group note, a
 * class's lesson boxes and a failed quiz's explanations on the box's edge). Checked on the forms
 * residents and commune staff fill in most, as each of them sees them.
 */
async function crowdedGroups(page: Page) {
	return page.evaluate(() => {
		const crowded: string[] = []
		for (const group of document.querySelectorAll('fieldset')) {
			const style = getComputedStyle(group)
			const left = Number.parseFloat(style.borderLeftWidth)
			const right = Number.parseFloat(style.borderRightWidth)
			if (!left && !right) continue
			const box = group.getBoundingClientRect()
			if (!box.width) continue
			for (const child of group.children) {
				if (child.tagName === 'LEGEND') continue
				const inner = child.getBoundingClientRect()
				if (!inner.width) continue
				if (inner.left - box.left - left < 4 || box.right - right - inner.right < 4)
					crowded.push(`${group.querySelector('legend')?.textContent?.trim() ?? 'a group'}: «${(child.textContent ?? child.tagName).trim().slice(0, 40)}»`)
			}
		}
		return crowded
	})
}

const PAGES = [
	{ who: 'visitor', url: '/register' },
	{ who: 'resident', url: '/me/profile' },
	{ who: 'resident', url: '/courses/smartphone/turn-on' },
	{ who: 'staffToHieu', url: '/staff/residents/new' },
	{ who: 'staffToHieu', url: '/staff/classes/new?commune=03646&course=smartphone' },
	{ who: 'staffToHieu', url: '/staff/residents' },
	{ who: 'provinceOfficer', url: '/province' },
] as const

for (const { who, url } of PAGES) {
	test(`${url} as ${who}: every boxed group of fields keeps its contents off its edge at 360 px`, async ({ page, login }) => {
		if (who !== 'visitor') await login(who)
		const response = await page.goto(url)
		expect(response?.status()).toBe(200)
		expect(await page.locator('fieldset').count(), 'the page has groups of fields to check').toBeGreaterThan(0)
		expect(await crowdedGroups(page)).toEqual([])
	})
}
