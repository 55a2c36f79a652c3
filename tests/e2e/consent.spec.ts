import AxeBuilder from '@axe-core/playwright'
import { expect, test } from './fixtures.ts'

// Unique per run so the test can be repeated against the same server.
const phone = `03${String(Date.now()).slice(-8)}`

test.use({ viewport: { width: 360, height: 740 } })

test('a resident reads the notice, registers without stating an ethnic group, then corrects their details (360 px)', async ({ page }, testInfo) => {
	await page.goto('/register')
	// The short notice: what is kept, why, who sees it, for how long, the rights; the full one a tap away.
	const notice = page.getByRole('region', { name: 'Học Vụ Số giữ thông tin gì của bạn?' })
	await expect(notice).toBeVisible()
	await expect(notice.getByText('Bạn có quyền: xem, sửa, tải về', { exact: false })).toBeVisible()
	await expect(notice.getByRole('link', { name: 'Đọc đầy đủ thông báo' })).toHaveAttribute('href', '/privacy')

	await page.getByLabel('Số điện thoại').fill(phone)
	await page.getByLabel('Họ và tên').fill('Lò Thị Riêng')
	await page.getByLabel('Năm sinh').fill('1964')
	await page.getByLabel('Nữ').check()
	// "Không muốn trả lời" is the first choice; the ethnicity consent stays unticked.
	await expect(page.getByLabel('Dân tộc', { exact: true })).toHaveValue('not-stated')
	await page.getByLabel('Dân tộc', { exact: true }).selectOption({ label: 'Không muốn trả lời' })
	await page.getByLabel('Xã, phường, đặc khu').selectOption({ label: 'Xã Mường La' })
	await page.getByLabel('Mã PIN 6 số').check()
	await page.getByLabel('Mã PIN hoặc mật khẩu').fill('480317')
	// Without agreeing to the notice nothing is created, and the box says why.
	await page.getByRole('button', { name: 'Đăng ký' }).click()
	await expect(page.getByText('Để đăng ký, bạn cần đọc thông báo và đánh dấu ô đồng ý.')).toBeVisible()
	await expect(page.getByLabel('Họ và tên')).toHaveValue('Lò Thị Riêng')
	await page.getByLabel('Mã PIN hoặc mật khẩu').fill('480317')
	await page.getByLabel('Tôi đã đọc thông báo trên và đồng ý', { exact: false }).check()
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
	await page.screenshot({ path: testInfo.outputPath('register-notice.png'), fullPage: true })
	await page.getByRole('button', { name: 'Đăng ký' }).click()
	await expect(page).toHaveURL(/\/me\?welcome=1$/)

	// Correcting: a new name, a village, and now the ethnic group with its own consent.
	await page.getByRole('link', { name: 'Sửa thông tin của tôi' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sửa thông tin của tôi')
	await expect(page.getByText('Học và lưu kết quả học: đồng ý ngày', { exact: false })).toBeVisible()
	await expect(page.getByLabel('Họ và tên')).toHaveValue('Lò Thị Riêng')
	await page.getByLabel('Họ và tên').fill('Lò Thị Riêng Mới')
	await page.getByLabel('Thôn, bản, tổ dân phố (không bắt buộc)').fill('Bản Nà Lốc')
	await page.getByLabel('Dân tộc', { exact: true }).selectOption({ label: 'Thái' })
	// A group without its consent is refused on the box, and nothing is saved.
	await page.getByRole('button', { name: 'Lưu' }).click()
	await expect(page.getByText('Để ghi dân tộc cần đánh dấu ô đồng ý.', { exact: false })).toBeVisible()
	// The correction page with an error on it: no serious accessibility problem.
	const axe = await new AxeBuilder({ page }).analyze()
	expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([])
	await page.getByLabel('Tôi đồng ý để ghi dân tộc của tôi', { exact: false }).check()
	await page.getByRole('button', { name: 'Lưu' }).click()
	await expect(page.getByText('Đã lưu thông tin của bạn.')).toBeVisible()
	await expect(page.getByLabel('Họ và tên')).toHaveValue('Lò Thị Riêng Mới')
	await expect(page.getByText('Ghi dân tộc: đồng ý ngày', { exact: false })).toBeVisible()
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
	await page.screenshot({ path: testInfo.outputPath('profile-corrected.png'), fullPage: true })
	await page.goto('/me')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xin chào, Lò Thị Riêng Mới')
})

test('the full notice is public and fits a phone', async ({ page }, testInfo) => {
	await page.goto('/privacy')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thông báo về dữ liệu cá nhân')
	for (const heading of ['1. Thông tin chúng tôi giữ', '2. Dân tộc: chỉ khi bạn đồng ý riêng', '4. Ai được xem', '5. Giữ bao lâu', '6. Quyền của bạn'])
		await expect(page.getByRole('heading', { name: heading })).toBeVisible()
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
	await page.screenshot({ path: testInfo.outputPath('privacy.png'), fullPage: true })
})

test('commune staff correct a resident at their request (360 px)', async ({ page, login }) => {
	await login('staffToHieu')
	await page.goto('/staff/residents/new')
	const resident = `07${String(Date.now() + 7).slice(-8)}`
	await page.getByLabel('Số điện thoại').fill(resident)
	await page.getByLabel('Họ và tên').fill('Quàng Văn Nhầm')
	await page.getByLabel('Năm sinh').fill('1958')
	await page.getByLabel('Nam', { exact: true }).check()
	await page.getByLabel('Xã, phường, đặc khu').selectOption({ label: 'Phường Tô Hiệu' })
	await page.getByLabel('Tôi đã đọc (hoặc giải thích) thông báo này cho người dân', { exact: false }).check()
	await page.getByRole('button', { name: 'Đăng ký và tạo phiếu' }).click()
	await expect(page.getByText('Đã đăng ký.', { exact: false })).toBeVisible()
	await page.getByRole('link', { name: 'Danh sách người dân' }).click()
	await page.getByRole('link', { name: 'Sửa thông tin (khi người dân yêu cầu)' }).click()
	await page.getByLabel('Họ và tên').fill('Quàng Văn Đúng')
	await page.getByLabel('Người dân đã yêu cầu sửa', { exact: false }).check()
	await page.getByRole('button', { name: 'Lưu thông tin đã sửa' }).click()
	await expect(page.getByText('Đã sửa thông tin người dân.')).toBeVisible()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Quàng Văn Đúng')
	// The resident's history names the correction (before and after are in the audit log).
	await expect(page.getByRole('listitem').filter({ hasText: /: Sửa thông tin$/ })).toHaveCount(1)
})
