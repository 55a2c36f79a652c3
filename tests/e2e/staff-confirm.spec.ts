import { expect, test } from './fixtures.ts'

// Busy commune staff on a 360 px phone (issue #20 items 3, 4 and 13).
test.use({ viewport: { width: 360, height: 740 } })

test('the staff dashboard fits a 360 px phone: figures as cards, a header in two rows', async ({ page, login }) => {
	await login('staffToHieu')
	await page.goto('/staff')
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Phường Tô Hiệu')
	// No sideways scroll, neither of the page nor of the figures table.
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
	const table = page.locator('table.commune-figures')
	expect(await table.evaluate((t) => t.scrollWidth <= (t.parentElement as HTMLElement).clientWidth)).toBe(true)
	// Each figure is a card that names its columns.
	const registered = page.locator('tr[data-metric="registered"]')
	await expect(registered.locator('td').first()).toHaveAttribute('data-label', /^Tháng này/)
	const box = await registered.boundingBox()
	expect(box!.width).toBeLessThanOrEqual(340)
	await page.screenshot({ path: 'test-results/staff-dashboard-360.png' })
	await table.screenshot({ path: 'test-results/staff-figures-360.png' })
	await expectTwoRowHeader(page)
})

/** The header at 360 px: the brand and every link in at most two rows, links at least 44 px tall, nothing sideways. */
async function expectTwoRowHeader(page: import('@playwright/test').Page) {
	const items = page.locator('.site-header .brand, .site-header nav a')
	const tops = new Set(await items.evaluateAll((as) => as.map((a) => Math.round(a.getBoundingClientRect().top))))
	expect(tops.size).toBeLessThanOrEqual(2)
	for (const h of await page.locator('.site-header nav a').evaluateAll((as) => as.map((a) => a.getBoundingClientRect().height)))
		expect(h).toBeGreaterThanOrEqual(44)
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
	// Still one navigation landmark with its links, for screen readers.
	await expect(page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'English' })).toBeVisible()
}

for (const who of ['admin', 'provinceOfficer', 'resident'] as const) {
	test(`the header of ${who} fits two rows on a 360 px phone`, async ({ page, login }) => {
		await login(who)
		await page.goto('/courses')
		await expectTwoRowHeader(page)
	})
}

test('a new API key has a copy button that puts exactly the key on the clipboard', async ({ page, context, login }) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write'])
	await login('provinceOfficer')
	await page.goto('/province/api-tokens')
	const name = `Sao chép ${Date.now() % 100_000}`
	await page.getByLabel('Tên khoá').fill(name)
	await page.getByRole('button', { name: 'Tạo khoá' }).click()
	const token = await page.getByLabel('Khoá API', { exact: true }).inputValue()
	expect(token).toMatch(/^hvs_[a-z2-7]{32}$/)
	await page.getByRole('button', { name: 'Sao chép khoá' }).click()
	await expect(page.getByText('Đã sao chép khoá.', { exact: false })).toBeVisible()
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token)
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
	await page.screenshot({ path: 'test-results/api-token-copy-360.png' })
	// The key is revoked only after the confirm step.
	await page
		.getByRole('row', { name })
		.getByRole('link', { name: `Thu hồi khoá ${name}` })
		.click()
	await expect(page.getByRole('row', { name })).toContainText('Đang dùng.')
	await page.getByRole('button', { name: 'Có, thu hồi khoá' }).click()
	await expect(page.getByRole('row', { name })).toContainText('Đã thu hồi')
})
