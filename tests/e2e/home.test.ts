import { expect, test } from '@playwright/test'

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

test('an unknown page shows a localised 404', async ({ page }) => {
	const response = await page.goto('/khong-co-trang-nay')
	expect(response?.status()).toBe(404)
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lỗi 404')
	await expect(page.getByText('Không tìm thấy trang này.')).toBeVisible()
})
