import AxeBuilder from '@axe-core/playwright'
import { expect, test } from '@playwright/test'

const pages = ['/courses', '/courses/smartphone', '/courses/smartphone/turn-on', '/courses/scam-safety/fake-police']

test('catalogue, course and lesson pages in Vietnamese and English, with previous/next', async ({ page }) => {
	await page.goto('/courses')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Các khoá học')
	for (const title of ['Dùng điện thoại thông minh', 'Ứng dụng định danh điện tử VNeID', 'Dịch vụ công trực tuyến', 'Phòng tránh lừa đảo qua điện thoại']) {
		await expect(page.getByRole('link', { name: title })).toBeVisible()
	}
	await page.getByRole('link', { name: 'Dùng điện thoại thông minh' }).click()
	await page.getByRole('link', { name: 'Bật, tắt và mở khoá điện thoại' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bật, tắt và mở khoá điện thoại')
	await page
		.getByRole('link', { name: /Chạm, vuốt/ })
		.last()
		.click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Chạm, vuốt và các nút điều hướng')
	await page
		.getByRole('link', { name: /Bật, tắt/ })
		.last()
		.click()
	await expect(page).toHaveURL(/turn-on$/)

	await page.goto('/courses/smartphone/turn-on?lng=en')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Turning the phone on, off and unlocking it')
	await page.goto('/courses?lng=en')
	await expect(page.getByRole('link', { name: 'Staying safe from phone scams' })).toBeVisible()
})

test('learner pages load no React and ship no quiz answers', async ({ page }) => {
	const scripts: string[] = []
	page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname))
	const response = await page.goto('/courses/smartphone/turn-on')
	const html = await response!.text()
	expect(html).not.toContain('"correct"')
	expect(html).not.toContain('explanation')
	expect(html).not.toContain('__remixContext')
	// Read-aloud, and the offline outbox (docs/decisions/007-offline.md): a few KB of plain script.
	expect(scripts.sort()).toEqual(['/lesson.js', '/offline.js'])
})

test('a visitor can try a quiz: wrong answers are shown with the reason, nothing is saved', async ({ page }) => {
	await page.goto('/courses/smartphone/turn-on')
	await page.locator('input[name="answer.q1"][value="a"]').check()
	await page.locator('input[name="answer.q2"][value="a"]').check()
	await page.locator('input[name="answer.q3"][value="a"]').check()
	await page.getByRole('button', { name: 'Nộp bài' }).click()
	await expect(page.getByText('Bạn trả lời đúng 1/3 câu.')).toBeVisible()
	await expect(page.getByText('Nút nguồn thường ở cạnh phải.', { exact: false })).toBeVisible()
	await expect(page.getByText('Kết quả này chưa được lưu', { exact: false })).toBeVisible()
})

test('with JavaScript a quiz is answered in place: no page reload, the feedback gets the focus, and it can be retried', async ({ page }) => {
	await page.goto('/courses/smartphone/turn-on')
	await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true))
	for (const q of ['q1', 'q2', 'q3']) await page.locator(`input[name="answer.${q}"][value="a"]`).check()
	const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/quiz')
	await page.getByRole('button', { name: 'Nộp bài' }).click()
	expect((await answered).status()).toBe(200)
	await expect(page.getByText('Bạn trả lời đúng 1/3 câu.')).toBeVisible()
	await expect(page.locator('.mdx-quiz [role="status"]')).toBeFocused()
	expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true)
	// The replaced section's form works the same way.
	await page.locator('input[name="answer.q1"][value="b"]').check()
	await page.locator('input[name="answer.q3"][value="c"]').check()
	await page.getByRole('button', { name: 'Làm lại' }).click()
	await expect(page.getByText('Bạn trả lời đúng 3/3 câu.')).toBeVisible()
	expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true)
})

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false })
	test('the quiz form posts the page and shows the same feedback', async ({ page }) => {
		await page.goto('/courses/smartphone/turn-on')
		for (const q of ['q1', 'q2', 'q3']) await page.locator(`input[name="answer.${q}"][value="a"]`).check()
		await page.getByRole('button', { name: 'Nộp bài' }).click()
		await expect(page.getByText('Bạn trả lời đúng 1/3 câu.')).toBeVisible()
		await expect(page.getByText('Nút nguồn thường ở cạnh phải.', { exact: false })).toBeVisible()
		await expect(page).toHaveURL(/\/courses\/smartphone\/turn-on#quiz$/)
	})
})

for (const lng of ['vi', 'en']) {
	for (const path of pages) {
		test(`${path} (${lng}) has no serious accessibility violations`, async ({ page }) => {
			await page.goto(`${path}?lng=${lng}`)
			const results = await new AxeBuilder({ page }).analyze()
			const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
			expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
		})
	}
}
