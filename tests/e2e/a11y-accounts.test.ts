import AxeBuilder from '@axe-core/playwright'
import { expect, test } from '@playwright/test'

// Sign-in and registration are the first pages an elderly resident meets: no serious or critical
// accessibility problem, in either language, including after a failed submission.
for (const lng of ['vi', 'en'] as const) {
	for (const path of ['/', '/login', '/register', '/setup', '/privacy']) {
		test(`${path} (${lng}) has no serious accessibility violations`, async ({ page }) => {
			await page.goto(`${path}?lng=${lng}`)
			if (path === '/register') await page.locator('form button[type="submit"]').last().click()
			const results = await new AxeBuilder({ page }).analyze()
			const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
			expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
		})
	}
}
