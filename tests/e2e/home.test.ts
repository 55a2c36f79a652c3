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

// Each error page says what happened in plain words (heading and tab title alike), then what may have
// happened and what to do, never the heading again; the code stays small below for whoever helps.
const HELP_404 = 'Có thể địa chỉ bị gõ sai, hoặc trang đã được chuyển đi. Bấm «Về trang chủ» để học tiếp.'
for (const [what, url] of [
	['an address no route knows', '/khong-co-trang-nay'],
	['a course that does not exist (its loader refuses)', '/courses/khong-co'],
	['a lesson that does not exist in a real course', '/courses/smartphone/khong-co'],
] as const) {
	test(`${what}: a localised 404 in plain words, titled as it is headed, its code below`, async ({ page }) => {
		const response = await page.goto(url)
		expect(response?.status()).toBe(404)
		await expect(page).toHaveTitle('Không có trang này — Học Vụ Số')
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Không có trang này')
		await expect(page.getByText(HELP_404)).toBeVisible()
		await expect(page.getByText('Không tìm thấy trang này')).toHaveCount(0)
		await expect(page.getByText('Mã lỗi: 404')).toBeVisible()
	})
}

test('a 404 for someone reading in English is in English and marked as English, title included', async ({ page, context, baseURL }) => {
	await context.addCookies([{ name: 'lng', value: encodeURIComponent(Buffer.from(JSON.stringify('en')).toString('base64')), url: baseURL! }])
	await page.goto('/khong-co-trang-nay')
	await expect(page.locator('html')).toHaveAttribute('lang', 'en')
	await expect(page).toHaveTitle('There is no such page — Học Vụ Số')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('There is no such page')
	await expect(page.getByText('Error code: 404')).toBeVisible()
})

// Residents and commune staff meet the same refusal (forbidden()): its help must fit both, not send
// commune staff to ask commune staff.
for (const [who, url] of [
	['resident', '/staff'],
	['staffToHieu', '/province'],
] as const) {
	test(`${who} opening ${url} is told the page is for other duties and whom to ask, not the heading again`, async ({ page, login }) => {
		await login(who)
		const response = await page.goto(url)
		expect(response?.status()).toBe(403)
		await expect(page).toHaveTitle('Bạn không được xem trang này — Học Vụ Số')
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bạn không được xem trang này')
		await expect(
			page.getByText(
				'Tài khoản của bạn không mở được trang này: trang dành cho người có nhiệm vụ khác. Nếu bạn cần xem, hãy hỏi người phụ trách (với người dân: cán bộ xã).',
			),
		).toBeVisible()
		await expect(page.getByText('Bạn không có quyền xem trang này')).toHaveCount(0)
		await expect(page.getByText('Mã lỗi: 403')).toBeVisible()
	})
}

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
