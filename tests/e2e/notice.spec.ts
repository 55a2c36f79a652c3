import { expect, test } from './fixtures.ts'

/**
 * ADR 028 on a 360×640 phone without JavaScript: a commune staff member appointed by the province
 * activates their account and, before the workspace, reads the staff notice and agrees; the page
 * they asked for follows. (Agreeing again after a notice change, and accounts with no consent, use
 * the same page: tests/integration/notice-gate.test.ts.)
 */
const PHONE_VIEW = { width: 360, height: 640 }

test('an appointed staff member reads the staff notice on first sign-in, then reaches the workspace', async ({ browser, login }, testInfo) => {
	const phone = `08${String(Date.now() + 53).slice(-8)}`
	const officerContext = await browser.newContext({ viewport: PHONE_VIEW })
	await login('provinceOfficer', officerContext)
	const officer = await officerContext.newPage()
	await officer.goto('/province/staff')
	await officer.getByLabel('Số điện thoại').fill(phone)
	await officer.getByLabel('Họ và tên').fill('Lò Văn Mới Giao')
	await officer.getByLabel('Xã, phường, đặc khu').selectOption({ label: 'Phường Tô Hiệu' })
	await officer.getByRole('button', { name: 'Thêm', exact: true }).click()
	const created = await officer.getByText('Đã tạo tài khoản. Mã kích hoạt', { exact: false }).innerText()
	const code = created.match(/[A-Z2-9]{5}-?[A-Z2-9]{5}/)![0]
	await officerContext.close()

	const theirs = await browser.newContext({ viewport: PHONE_VIEW, javaScriptEnabled: false, locale: 'vi-VN' })
	const page = await theirs.newPage()
	await page.goto('/setup')
	await page.getByLabel('Số điện thoại').fill(phone)
	await page.getByLabel('Mã kích hoạt').fill(code)
	await page.getByLabel('Mã PIN mới (6 số)').fill('593017')
	await page.getByLabel('Nhập lại mã PIN mới').fill('593017')
	await page.getByRole('button', { name: 'Đặt mã PIN và đăng nhập' }).click()

	// Signed in, but first the staff notice.
	await expect(page).toHaveURL(/\/me\/notice\?redirectTo=%2Fme$/)
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trước khi tiếp tục: đọc và đồng ý')
	const notice = page.getByRole('region', { name: 'Học Vụ Số giữ gì về cán bộ, và dùng dữ liệu người dân thế nào?' })
	await expect(notice).toContainText('không chụp lại, không chia sẻ')
	// Any other page sends back here, remembering where they were going.
	await page.goto('/staff')
	await expect(page).toHaveURL(/\/me\/notice\?redirectTo=%2Fstaff$/)
	// Without the box: a message, nothing recorded, still here.
	await page.getByRole('button', { name: 'Đồng ý và tiếp tục' }).click()
	await expect(page.getByRole('alert')).toHaveText('Để tiếp tục, hãy đọc thông báo và đánh dấu vào ô đồng ý.')
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEW.width)
	await page.screenshot({ path: testInfo.outputPath('staff-notice-360.png'), fullPage: true })
	await page.getByLabel('Tôi đã đọc thông báo này và sẽ dùng dữ liệu của người dân đúng như vậy.').check()
	await page.getByRole('button', { name: 'Đồng ý và tiếp tục' }).click()
	await expect(page).toHaveURL(/\/staff$/)
	// Agreed once: the workspace and /me open directly from now on.
	await page.goto('/me')
	await expect(page).toHaveURL(/\/me$/)
	await theirs.close()
})
