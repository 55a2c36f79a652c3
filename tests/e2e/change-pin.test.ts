import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'

// A resident of this run only: the demo accounts other specs sign in with keep their PINs.
const phone = `03${String(Date.now()).slice(-8)}`

async function signIn(page: Page, pin: string) {
	await page.goto('/login')
	await page.getByLabel('Số điện thoại').fill(phone)
	await page.getByLabel('Mã PIN hoặc mật khẩu').fill(pin)
	await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click()
}

test('a resident changes their PIN on a 360 px phone without JavaScript; the phone still signed in elsewhere is signed out', async ({ browser }) => {
	// This phone: no JavaScript at all, the form must still work.
	const mine = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false, locale: 'vi-VN' })
	const page = await mine.newPage()
	await page.goto('/register')
	await page.getByLabel('Số điện thoại').fill(phone)
	await page.getByLabel('Họ và tên').fill('Quàng Văn Đôi')
	await page.getByLabel('Năm sinh').fill('1962')
	await page.getByLabel('Nam', { exact: true }).check()
	await page.getByLabel('Dân tộc', { exact: true }).selectOption({ label: 'Thái' })
	await page.getByLabel('Tôi đồng ý để ghi dân tộc của tôi', { exact: false }).check()
	await page.getByLabel('Tôi đã đọc thông báo trên và đồng ý', { exact: false }).check()
	await page.getByLabel('Xã, phường, đặc khu').selectOption({ label: 'Xã Mường La' })
	await page.getByLabel('Mã PIN 6 số').check()
	await page.getByLabel('Mã PIN hoặc mật khẩu').fill('480317')
	await page.getByRole('button', { name: 'Đăng ký' }).click()
	await expect(page).toHaveURL(/\/me\?welcome=1$/)

	// Another phone (the old one, a relative's) signed in with the same PIN.
	const other = await browser.newContext({ viewport: { width: 360, height: 740 } })
	const otherPage = await other.newPage()
	await signIn(otherPage, '480317')
	await expect(otherPage).toHaveURL(/\/me$/)

	await page.getByRole('link', { name: 'Đổi mã PIN hoặc mật khẩu' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đổi mã PIN hoặc mật khẩu')
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
	// The birth year inside the PIN is refused, with the reason; nothing changes.
	await page.getByLabel('Mã PIN đang dùng').fill('480317')
	await page.getByLabel('Mã PIN hoặc mật khẩu mới').fill('196248')
	await page.getByLabel('Nhập lại mã mới').fill('196248')
	await page.getByRole('button', { name: 'Đổi mã' }).click()
	await expect(page.getByText('Mã PIN này có năm sinh của bạn, người khác dễ đoán.', { exact: false })).toBeVisible()
	// A wrong current PIN is refused too.
	await page.getByLabel('Mã PIN đang dùng').fill('111000')
	await page.getByLabel('Mã PIN hoặc mật khẩu mới').fill('592604')
	await page.getByLabel('Nhập lại mã mới').fill('592604')
	await page.getByRole('button', { name: 'Đổi mã' }).click()
	await expect(page.getByText('Mã PIN hoặc mật khẩu đang dùng chưa đúng.')).toBeVisible()

	await page.getByLabel('Mã PIN đang dùng').fill('480317')
	await page.getByLabel('Mã PIN hoặc mật khẩu mới').fill('592604')
	await page.getByLabel('Nhập lại mã mới').fill('592604')
	await page.getByRole('button', { name: 'Đổi mã' }).click()
	await expect(page.getByText('Đã đổi xong. Các điện thoại khác đã được đăng xuất.', { exact: false })).toBeVisible()
	// This phone stays signed in…
	await page.goto('/me')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xin chào, Quàng Văn Đôi')
	// …the other one is not.
	await otherPage.goto('/me')
	await expect(otherPage).toHaveURL(/\/login/)
	await signIn(otherPage, '480317')
	await expect(otherPage.getByText('Số điện thoại hoặc mã PIN/mật khẩu chưa đúng.')).toBeVisible()
	await signIn(otherPage, '592604')
	await expect(otherPage).toHaveURL(/\/me$/)
	// The page in English, after a refused submission: no serious accessibility problem.
	await otherPage.goto('/me/security?lng=en')
	await otherPage.getByRole('button', { name: 'Change', exact: true }).click()
	await expect(otherPage.getByText('Please enter the PIN or password you use now.')).toBeVisible()
	const results = await new AxeBuilder({ page: otherPage }).analyze()
	const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
	expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
	await mine.close()
	await other.close()
})
