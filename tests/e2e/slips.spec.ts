import fs from 'node:fs'
import { expect, test } from './fixtures.ts'

// A commune officer on a phone, without JavaScript: every step is a link or a form.
test.use({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false })

test('a slip names the resident in full with their phone, survives a reload, and a new code is confirmed first with the right label', async ({
	page,
	login,
}) => {
	await login('staffToHieu')
	await page.goto('/staff/residents/new')
	const phone = `07${String(Date.now()).slice(-8)}`
	await page.getByLabel('Số điện thoại').fill(phone)
	await page.getByLabel('Họ và tên').fill('Quàng Thị Phiếu')
	await page.getByLabel('Năm sinh').fill('1956')
	await page.getByLabel('Nữ').check()
	await page.getByLabel('Xã, phường, đặc khu').selectOption({ label: 'Phường Tô Hiệu' })
	await page.getByLabel('Tôi đã đọc (hoặc giải thích) thông báo này cho người dân', { exact: false }).check()
	await page.getByRole('button', { name: 'Đăng ký và tạo phiếu' }).click()

	await expect(page).toHaveURL(/\/staff\/residents\/[^/]+\/slip\?registered=0$/)
	await expect(page.getByRole('heading', { name: 'Phiếu kích hoạt của Quàng Thị Phiếu' })).toBeVisible()
	await expect(page.locator('.slip-phone strong')).toHaveText(`${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`)
	const code = (await page.locator('.slip-code strong').innerText()).trim()
	expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/)
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)

	// Reloading keeps the same slip (no new code, no message meant for residents).
	await page.reload()
	await expect(page.locator('.slip-code strong')).toHaveText(code)
	await expect(page.getByText('Hãy in hoặc chụp phiếu này', { exact: false })).toBeVisible()
	await page.screenshot({ path: 'test-results/slips-360.png', fullPage: true })

	// The resident's page: never had a PIN, so "Tạo mã kích hoạt", and the working slip is linked.
	await page.getByRole('link', { name: '← Quàng Thị Phiếu' }).click()
	await expect(page.getByRole('heading', { name: 'Tạo mã kích hoạt' })).toBeVisible()
	await expect(page.getByRole('link', { name: 'Đặt lại mã PIN' })).toHaveCount(0)
	await page.getByRole('link', { name: 'Xem và in lại phiếu đang dùng được' }).click()
	await expect(page.locator('.slip-code strong')).toHaveText(code)
	await page.goBack()

	// Asked first; "no" changes nothing.
	await page.getByRole('link', { name: 'Tạo mã kích hoạt' }).click()
	await expect(page.getByText('Tạo mã kích hoạt mới cho Quàng Thị Phiếu?')).toBeVisible()
	await expect(page.getByText('Phiếu đã in trước đó sẽ không dùng được nữa.')).toBeVisible()
	await page.getByRole('link', { name: 'Không, quay lại' }).click()
	await page.getByRole('link', { name: 'Xem và in lại phiếu đang dùng được' }).click()
	await expect(page.locator('.slip-code strong')).toHaveText(code)
	const slipUrl = page.url()

	// The resident sets their PIN with the code: the slip is gone, and the action is now a reset.
	const setup = await page
		.context()
		.browser()!
		.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false })
	const resident = await setup.newPage()
	await resident.goto(`/setup?code=${code.replace('-', '')}`)
	await resident.getByLabel('Số điện thoại').fill(phone)
	await resident.getByLabel('Mã PIN mới (6 số)').fill('593017')
	await resident.getByLabel('Nhập lại mã PIN mới').fill('593017')
	await resident.getByRole('button', { name: 'Đặt mã PIN và đăng nhập' }).click()
	await expect(resident).toHaveURL(/\/me$/)
	await setup.close()

	await page.goto(slipUrl)
	await expect(page.locator('.setup-slip')).toHaveCount(0)
	await expect(page.getByText('Người dân không có mã kích hoạt nào còn dùng được.')).toBeVisible()
	await page.goto(slipUrl.replace(/\/slip$/, ''))
	await expect(page.getByRole('heading', { name: 'Đặt lại mã PIN' })).toBeVisible()
	await page.getByRole('link', { name: 'Đặt lại mã PIN' }).click()
	await expect(page.getByText('Đặt lại mã PIN của Quàng Thị Phiếu? Mã PIN cũ và mọi phiên đăng nhập của họ sẽ hết hiệu lực ngay.')).toBeVisible()
	await page.getByRole('button', { name: 'Đặt lại mã PIN' }).click()
	await expect(page).toHaveURL(slipUrl)
	const fresh = (await page.locator('.slip-code strong').innerText()).trim()
	expect(fresh).not.toBe(code)
	await page.reload()
	await expect(page.locator('.slip-code strong')).toHaveText(fresh)
})

test('after an import, the slips of those with no PIN print 8 to an A4 page', async ({ page, login }) => {
	await login('staffThuanChau')
	await page.goto('/staff/import')
	const stamp = String(Date.now()).slice(-6)
	const rows = Array.from({ length: 9 }, (_, i) => `Lò Thị Lô ${'ABCDEFGHK'[i]};07${i}${stamp}0;1960;Nữ;Thái;Bản Nà Lốc`)
	const csv = ['Họ và tên;Số điện thoại;Năm sinh;Giới tính;Dân tộc;Thôn/bản', ...rows].join('\r\n')
	await page.getByLabel('Tệp Excel (.xlsx) hoặc CSV').setInputFiles({ name: 'lo-phieu.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}\r\n`) })
	await page.getByRole('button', { name: 'Tải lên và xem trước' }).click()
	await page.getByLabel('mọi người trong danh sách đã được đọc hoặc giải thích thông báo', { exact: false }).check()
	await page.getByRole('button', { name: 'Nhập 9 người mới' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đã nhập xong', { timeout: 20_000 })

	await page.getByRole('link', { name: 'In phiếu kích hoạt cho 9 người chưa đặt mã PIN' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('In phiếu kích hoạt cho người vừa nhập')
	await page.getByRole('button', { name: 'Tạo 9 phiếu kích hoạt' }).click()
	await expect(page.getByText('Đã tạo 9 phiếu.', { exact: false })).toBeVisible()
	await expect(page.locator('.slip-sheet .setup-slip')).toHaveCount(9)
	await expect(page.getByRole('heading', { name: 'Phiếu kích hoạt của Lò Thị Lô A' })).toBeVisible()
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)

	// On A4: 8 slips on the first page, the 9th on the second; nothing else printed.
	await page.emulateMedia({ media: 'print' })
	await page.setViewportSize({ width: 794, height: 1123 })
	await page.screenshot({ path: 'test-results/slips-a4.png', fullPage: true })
	const tops = await page.locator('.slip-sheet .setup-slip').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)))
	expect(new Set(tops.slice(0, 8)).size).toBe(4)
	const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1')
	fs.writeFileSync('test-results/slips-a4.pdf', pdf, 'latin1')
	expect(pdf).toMatch(/\/MediaBox \[0 0 59[45]\.\d+ 84[12]\.\d+\]/)
	expect(pdf.match(/\/Type\s*\/Page\b/g)?.length).toBe(2)
})
