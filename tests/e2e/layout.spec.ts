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

/**
 * At 360 px, a "·" between two facts (a name · a village · a phone) never ends a line: it stays with
 * the fact it introduces (a no-break space after it), so a wrapped line does not end in a stray dot.
 * Every drawn "·" in the page's main part is compared with the next character drawn after it.
 */
async function danglingSeparators(page: Page) {
	return page.evaluate(() => {
		const root = document.querySelector('main') ?? document.body
		const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
		const texts: Text[] = []
		for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node as Text)
		const rectOf = (node: Text, i: number) => {
			const range = document.createRange()
			range.setStart(node, i)
			range.setEnd(node, i + 1)
			const rect = range.getClientRects()[0]
			return rect?.width ? rect : undefined
		}
		const dangling: string[] = []
		let drawn = 0
		texts.forEach((node, t) => {
			for (let i = node.data.indexOf('·'); i >= 0; i = node.data.indexOf('·', i + 1)) {
				const dot = rectOf(node, i)
				if (!dot) continue
				drawn++
				let next: DOMRect | undefined
				for (let u = t, j = i + 1; u < texts.length && !next; u++, j = 0) {
					for (; j < texts[u]!.data.length && !next; j++) if (!/\s/.test(texts[u]!.data[j]!)) next = rectOf(texts[u]!, j)
				}
				if (next && next.top >= dot.bottom - 1) dangling.push(`«${node.data.slice(Math.max(0, i - 25), i + 1).trim()}» at the end of a line`)
			}
		})
		return { drawn, dangling }
	})
}

const LISTS = [
	{ who: 'visitor', url: '/courses' },
	{ who: 'visitor', url: '/courses/smartphone' },
	{ who: 'resident', url: '/me/data' },
	{ who: 'staffToHieu', url: '/staff' },
	{ who: 'staffToHieu', url: '/staff/residents' },
	{ who: 'provinceOfficer', url: '/province' },
] as const

for (const { who, url } of LISTS) {
	test(`${url} as ${who}: no line ends in a separating "·" at 360 px`, async ({ page, login }) => {
		if (who !== 'visitor') await login(who)
		const response = await page.goto(url)
		expect(response?.status()).toBe(200)
		const { drawn, dangling } = await danglingSeparators(page)
		expect(drawn, 'the page has separated facts to check').toBeGreaterThan(0)
		expect(dangling).toEqual([])
	})
}
