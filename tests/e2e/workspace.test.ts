import { type Page } from '@playwright/test'
import { expect, test } from './fixtures.ts'

test.use({ viewport: { width: 360, height: 740 } })

async function registerResident(page: Page, name: string, enrolIn?: string) {
	await page.goto('/staff/residents/new')
	await page.getByLabel('Số điện thoại').fill(`07${String(Date.now()).slice(-8)}`)
	await page.getByLabel('Họ và tên').fill(name)
	await page.getByLabel('Năm sinh').fill('1962')
	await page.getByLabel('Nam', { exact: true }).check()
	await page.getByLabel('Dân tộc', { exact: true }).selectOption({ label: 'Thái' })
	await page.getByLabel('Người dân đồng ý để ghi dân tộc của họ.').check()
	await page.getByLabel('Tôi đã đọc (hoặc giải thích) thông báo này cho người dân', { exact: false }).check()
	await page.getByLabel('Xã, phường, đặc khu').selectOption({ label: 'Phường Tô Hiệu' })
	if (enrolIn) await page.getByLabel(enrolIn).check()
	await page.getByRole('button', { name: 'Đăng ký và tạo phiếu' }).click()
	await expect(page.getByText('Đã đăng ký.', { exact: false })).toBeVisible()
}

test('commune staff on a phone register and enrol residents, run a class for three, and export; another commune sees none of it', async ({
	page,
	browser,
	login,
}) => {
	// Names are letters only: the run's stamp spelt with letters.
	const stamp = [...String(Date.now()).slice(-5)].map((d, i) => (i ? 'abcdeghikl' : 'ABCDEGHIKL')[Number(d)]).join('')
	const names = [`Lò Văn Lớp ${stamp}`, `Cầm Thị Lớp ${stamp}`, `Quàng Văn Lớp ${stamp}`]
	await login('staffToHieu')
	// Register and enrol in one step.
	await registerResident(page, names[0]!, 'Dùng điện thoại thông minh')
	await expect(page.getByText('Đã ghi danh vào 1 khoá học.', { exact: false })).toBeVisible()
	await registerResident(page, names[1]!)
	await registerResident(page, names[2]!)

	// A group class for the three of them: the first two lessons of "Using your smartphone".
	await page.goto('/staff')
	await page.getByRole('link', { name: 'Lớp học tập trung' }).click()
	await page.getByRole('link', { name: 'Ghi lại một buổi học' }).click()
	await page.getByLabel('Khoá học').selectOption({ label: 'Dùng điện thoại thông minh' })
	await page.getByLabel('Lọc theo thôn, bản').fill('')
	await page.getByRole('button', { name: 'Chọn bài' }).click()
	await page.getByLabel('Địa điểm').fill('Nhà văn hoá tổ 3')
	const lessons = page.locator('input[name="lessonId"]')
	await lessons.nth(0).check()
	await lessons.nth(1).check()
	for (const name of names) await page.getByLabel(name).check()
	await page.getByRole('button', { name: 'Lưu buổi học và ghi nhận hoàn thành' }).click()
	await expect(page.getByText('Đã lưu buổi học: 3 người, 2 bài', { exact: false })).toBeVisible()
	const classUrl = page.url().replace(/\?.*$/, '')

	// Sending the same form again (back, submit) records nothing new.
	await page.goBack()
	await page.getByRole('button', { name: 'Lưu buổi học và ghi nhận hoàn thành' }).click()
	await expect(page).toHaveURL(new RegExp(`${classUrl.split('/').at(-1)}`))

	// The resident list finds them by name, with their progress.
	await page.goto('/staff/residents?q=' + encodeURIComponent(`Lớp ${stamp}`))
	await expect(page.getByText('Tìm thấy 3 người')).toBeVisible()
	await expect(page.getByText('Dùng điện thoại thông minh: 2/6 bài').first()).toBeVisible()
	await page.getByRole('link', { name: names[1]! }).click()
	await expect(page.getByText('Dùng điện thoại thông minh: Đã học 2/6 bài')).toBeVisible()
	await expect(page.getByText('Học tại lớp: Nhà văn hoá tổ 3')).toBeVisible()
	// Enrol them in another course from their page.
	await page.getByLabel('Ứng dụng định danh điện tử VNeID').check()
	await page.getByRole('button', { name: 'Ghi danh', exact: true }).click()
	await expect(page.getByText('Đã ghi danh vào 1 khoá học.')).toBeVisible()

	// Export: the CSV starts with a BOM and lists them.
	const csv = await page.request.get('/staff/export?format=csv&commune=03646')
	expect(csv.status()).toBe(200)
	const body = await csv.body()
	expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
	for (const name of names) expect(body.toString('utf8')).toContain(name)

	// Staff of another commune see none of it.
	const other = await browser.newContext({ viewport: { width: 360, height: 740 } })
	await login('staffThuanChau', other)
	const otherPage = await other.newPage()
	expect((await otherPage.goto(classUrl))!.status()).toBe(404)
	expect((await otherPage.goto('/staff/residents?commune=03646'))!.status()).toBe(404)
	await otherPage.goto('/staff/residents?q=' + encodeURIComponent(`Lớp ${stamp}`))
	await expect(otherPage.getByText('Không có ai khớp với bộ lọc.')).toBeVisible()
	expect((await otherPage.request.get('/staff/export?format=csv&commune=03646')).status()).toBe(404)
	await other.close()
})

test("the province dashboard shows the same figures as the commune's workspace, and drills down", async ({ page, browser, login }) => {
	await login('staffToHieu')
	await page.goto('/staff')
	const registered = (await page.locator('tr[data-metric="registered"] td').nth(2).innerText()).trim()
	const officer = await browser.newContext()
	await login('provinceOfficer', officer)
	const province = await officer.newPage()
	await province.goto('/province')
	await expect(province.getByRole('heading', { name: 'Chỉ số phổ cập kỹ năng số' })).toBeVisible()
	await expect(province.getByRole('img', { name: /Biểu đồ cột/ })).toBeVisible()
	const row = province.locator('tr[data-commune="03646"]')
	await expect(row.locator('td').first()).toHaveText(registered)
	await row.getByRole('link', { name: 'Phường Tô Hiệu' }).click()
	await expect(province.getByRole('heading', { level: 1, name: 'Phường Tô Hiệu' })).toBeVisible()
	// Exports download with the official commune codes.
	const dhis2 = await province.request.get('/province/export?format=dhis2&commune=03646')
	expect(dhis2.status()).toBe(200)
	const json = await dhis2.json()
	expect(json.dataValues.every((v: { orgUnit: string }) => v.orgUnit === '03646')).toBe(true)
	const bad = await province.request.get('/province/export?format=dhis2&from=2026-13')
	expect(bad.status()).toBe(400)
	await officer.close()
})
