import { DEMO_LOGINS, expect, signInWithForm, test } from './fixtures.ts'

test('the home page is in Vietnamese and switches to English and back', async ({ page }) => {
	await page.goto('/')
	await expect(page.locator('html')).toHaveAttribute('lang', 'vi')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Học dùng điện thoại, VNeID và dịch vụ công')
	await page.getByRole('link', { name: 'English' }).click()
	await expect(page.locator('html')).toHaveAttribute('lang', 'en')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Learn to use your phone, VNeID and public services')
	// The choice is remembered on the next page load.
	await page.goto('/')
	await expect(page.locator('html')).toHaveAttribute('lang', 'en')
	await page.getByRole('link', { name: 'Tiếng Việt' }).click()
	await expect(page.locator('html')).toHaveAttribute('lang', 'vi')
})

test('the healthcheck reports the database', async ({ request }) => {
	const response = await request.get('/resources/healthcheck')
	expect(response.status()).toBe(200)
	expect(await response.json()).toMatchObject({ status: 'ok', database: 'pglite', communes: 3321 })
})

test('an unknown page shows a localised 404 in plain words, its code below for whoever helps', async ({ page }) => {
	const response = await page.goto('/khong-co-trang-nay')
	expect(response?.status()).toBe(404)
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Không có trang này')
	await expect(page.getByText('Có thể địa chỉ bị gõ sai, hoặc trang đã được chuyển đi. Bấm «Về trang chủ» để học tiếp.')).toBeVisible()
	await expect(page.getByText('Mã lỗi: 404')).toBeVisible()
})

test('security headers are sent and a hydrated page runs under the CSP without violations', async ({ page }) => {
	const violations: string[] = []
	page.on('console', (m) => {
		if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text())
	})
	const response = await page.goto('/login')
	const csp = response?.headers()['content-security-policy'] ?? ''
	expect(csp).toContain("frame-ancestors 'none'")
	expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/)
	expect(csp).not.toContain("script-src 'self' 'unsafe-inline'")
	expect(response?.headers()['x-content-type-options']).toBe('nosniff')
	// HSTS only when APP_ORIGIN is https: this run is http://localhost, where browsers ignore it anyway.
	expect(response?.headers()['strict-transport-security']).toBeUndefined()

	// Signed in through the real form, with JavaScript (api-tokens.test.ts: without).
	await signInWithForm(page, DEMO_LOGINS.provinceOfficer.phone, DEMO_LOGINS.provinceOfficer.password)
	await expect(page).toHaveURL(/\/province$/)
	await page.goto('/province/staff')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cán bộ và phân công')
	// React hydrated (Remix sets this once the client router is running).
	await page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter))
	expect(violations).toEqual([])
})
