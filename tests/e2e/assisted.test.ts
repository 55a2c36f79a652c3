import { expect, test } from './fixtures.ts'

test('staff register a resident on a phone; the resident activates with the setup code; a reset ends their session', async ({ page, browser, login }) => {
	await login('staffToHieu')
	await page.goto('/staff/residents/new')
	const phone = `07${String(Date.now()).slice(-8)}`
	await page.getByLabel('Số điện thoại').fill(phone)
	await page.getByLabel('Họ và tên').fill('Quàng Thị Ơn')
	await page.getByLabel('Năm sinh').fill('1955')
	await page.getByLabel('Nữ').check()
	await page.getByLabel('Dân tộc', { exact: true }).selectOption({ label: 'Thái' })
	await page.getByLabel('Người dân đồng ý để ghi dân tộc của họ.').check()
	await page.getByLabel('Tôi đã đọc (hoặc giải thích) thông báo này cho người dân', { exact: false }).check()
	// Staff of Phường Tô Hiệu can only choose their own commune.
	await expect(page.getByLabel('Xã, phường, đặc khu').locator('option')).toHaveCount(2)
	await page.getByLabel('Xã, phường, đặc khu').selectOption({ label: 'Phường Tô Hiệu' })
	await page.getByRole('button', { name: 'Đăng ký và tạo phiếu' }).click()
	await expect(page.getByRole('heading', { name: 'Phiếu kích hoạt của Quàng Thị Ơn' })).toBeVisible()
	const code = (await page.locator('.slip-code strong').innerText()).trim()
	expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/)
	const link = (await page.locator('.setup-slip .hint').first().innerText()).trim()
	expect(link).toContain(`/setup?code=${code.replace('-', '')}`)

	// On the resident's own phone: the QR link opens the set-PIN page with the code filled in.
	const residentContext = await browser.newContext({ viewport: { width: 360, height: 740 } })
	const resident = await residentContext.newPage()
	await resident.goto(new URL(link).pathname + new URL(link).search)
	await expect(resident.getByLabel('Mã kích hoạt')).toHaveValue(code)
	await resident.getByLabel('Số điện thoại').fill(phone)
	await resident.getByLabel('Mã PIN mới (6 số)').fill('593017')
	await resident.getByLabel('Nhập lại mã PIN mới').fill('593017')
	await resident.getByRole('button', { name: 'Đặt mã PIN và đăng nhập' }).click()
	await expect(resident).toHaveURL(/\/me$/)
	await expect(resident.getByRole('heading', { level: 1 })).toHaveText('Xin chào, Quàng Thị Ơn')

	// The code works once.
	const replay = await residentContext.newPage()
	await replay.goto(`/setup?code=${code}`)
	await replay.getByLabel('Số điện thoại').fill(phone)
	await replay.getByLabel('Mã PIN mới (6 số)').fill('702418')
	await replay.getByLabel('Nhập lại mã PIN mới').fill('702418')
	await replay.getByRole('button', { name: 'Đặt mã PIN và đăng nhập' }).click()
	await expect(replay.getByText('Mã kích hoạt không đúng, đã dùng hoặc đã hết hạn.', { exact: false })).toBeVisible()

	// Staff reset the PIN: the resident's session ends.
	await page.goto('/staff')
	await page.getByRole('link', { name: 'Quàng Thị Ơn' }).click()
	await expect(page.getByText('Cán bộ đăng ký giúp')).toBeVisible()
	await page.getByRole('link', { name: 'Đặt lại mã PIN' }).click()
	await page.getByRole('button', { name: 'Đặt lại mã PIN' }).click()
	await expect(page.getByRole('heading', { name: 'Phiếu kích hoạt của Quàng Thị Ơn' })).toBeVisible()
	await resident.goto('/me')
	await expect(resident).toHaveURL(/\/login/)
	await residentContext.close()
})

test('staff of another commune cannot see the resident', async ({ page, request, login }) => {
	await login('staffThuanChau')
	await page.goto('/staff')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Trang cán bộ xã — Xã Thuận Châu/)
	// The demo resident of Phường Tô Hiệu is not listed for Thuận Châu's staff.
	await expect(page.getByText('Phường Tô Hiệu')).toHaveCount(0)
	void request
})
