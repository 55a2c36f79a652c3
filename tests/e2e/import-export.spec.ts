import fs from 'node:fs'
import ExcelJS from 'exceljs'
import { formatPhone } from '#app/modules/people/phone.ts'
import { DEMO_THUAN_CHAU_RESIDENT, demoResidentPhone } from '../../prisma/seed/demo-logins.ts'
import { expect, test } from './fixtures.ts'

test('staff import a CSV with good and bad rows on a phone, confirm, and export CSV and XLSX; staff of another commune see none of it', async ({
	page,
	browser,
	login,
}) => {
	// Xã Thuận Châu (03721).
	await login('staffThuanChau')
	await page.goto('/staff/import')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nhập danh sách người dân')
	await expect(page.getByLabel('Nhập vào xã, phường')).toHaveValue('03721')

	const stamp = String(Date.now()).slice(-7)
	const [first, second] = [`077${stamp}`, `078${stamp}`]
	// As Excel saves "CSV UTF-8" in a Vietnamese locale: BOM, semicolons, CRLF, quoted fields.
	const csv = [
		'Họ và tên;Số điện thoại;Năm sinh;Giới tính;Dân tộc;Thôn/bản',
		`Lò Thị Nhập Mới;${first};1961;Nữ;Thái;"Bản Nà Lốc; tổ 1"`,
		`Cầm Văn Nhập Mới;${second.slice(1)};1957;Nam;Thái;Bản Nà Lốc`, // Excel dropped the leading 0
		`Trùng Số;${first};1970;Nam;Thái;`,
		`Sai Số;0212345678;1970;Nam;Thái;`,
		`Không Dân Tộc;079${stamp};1970;Nam;Người sao Hoả;`,
		`Đã Có;${demoResidentPhone(DEMO_THUAN_CHAU_RESIDENT.index)};1970;Nam;Thái;`,
	].join('\r\n')
	await page
		.getByLabel('Tệp Excel (.xlsx) hoặc CSV')
		.setInputFiles({ name: 'danh-sach-ban.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}\r\n`) })
	await page.getByRole('button', { name: 'Tải lên và xem trước' }).click()

	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xem trước: danh-sach-ban.csv')
	await expect(page.getByText('6 dòng: 2 người mới, 1 người đã có tài khoản, 3 dòng có lỗi.')).toBeVisible()
	await expect(page.getByText('Trùng số điện thoại với dòng 2.')).toBeVisible()
	await expect(page.getByText('Số điện thoại chưa đúng', { exact: false })).toBeVisible()
	await expect(page.getByText('Không có dân tộc “Người sao Hoả” trong danh mục 54 dân tộc.')).toBeVisible()
	await page.getByRole('link', { name: 'Người mới (2)' }).click()
	await expect(page.getByRole('cell', { name: 'Cầm Văn Nhập Mới' })).toBeVisible()
	// The page fits a 360 px screen: the table scrolls inside its box, not the page.
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)

	// Staff confirm everyone listed was told and agreed (and to their ethnic group being kept): ADR 018.
	await page.getByLabel('mọi người trong danh sách đã được đọc hoặc giải thích thông báo', { exact: false }).check()
	await page.getByLabel('Những người có ghi dân tộc trong tệp đã đồng ý', { exact: false }).check()
	await page.getByRole('button', { name: 'Nhập 2 người mới' }).click()
	// Either the progress page (which reloads itself) or, for a small file, the result at once.
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đã nhập xong', { timeout: 20_000 })
	await expect(page.getByText('Đã nhập 2 người dân mới vào Xã Thuận Châu.')).toBeVisible()
	const jobUrl = page.url()

	// Confirming again (the browser's back button and resubmit) imports nobody more.
	const again = await page.request.post(jobUrl, { form: { intent: 'confirm', noticeGiven: 'on' }, headers: { Origin: new URL(jobUrl).origin } })
	expect(again.ok()).toBe(true)
	await page.reload()
	await expect(page.getByText('Đã nhập 2 người dân mới vào Xã Thuận Châu.')).toBeVisible()

	// Export: the CSV starts with a BOM and holds the imported residents.
	await page.goto('/staff/import#export')
	const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải tệp CSV' }).click()])
	expect(csvDownload.suggestedFilename()).toMatch(/^hoc-vu-so_nguoi-dan_03721_\d{4}-\d{2}-\d{2}\.csv$/)
	const csvBytes = fs.readFileSync((await csvDownload.path())!)
	expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
	const exported = csvBytes.toString('utf8')
	// Phones as Excel keeps them: text with their leading 0 and no formula (SECURITY.md, CSV injection).
	expect(exported).toContain(`Lò Thị Nhập Mới,${formatPhone(first)},1961,Nữ,Thái,Bản Nà Lốc; tổ 1`)
	expect(exported).toContain(`Cầm Văn Nhập Mới,${formatPhone(second)}`)
	expect(exported).not.toContain('Sai Số')

	const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải tệp Excel' }).click()])
	expect(xlsxDownload.suggestedFilename()).toMatch(/\.xlsx$/)
	const book = new ExcelJS.Workbook()
	await book.xlsx.readFile((await xlsxDownload.path())!)
	const names = book.worksheets[0]!.getColumn(1).values
	expect(names).toContain('Lò Thị Nhập Mới')
	expect(names).toContain('Cầm Văn Nhập Mới')

	// Staff of Phường Tô Hiệu (03646): the import, its confirmation and the export do not exist for them.
	const other = await browser.newContext({ viewport: { width: 360, height: 740 } })
	await login('staffToHieu', other)
	const otherPage = await other.newPage()
	expect((await otherPage.goto(jobUrl))!.status()).toBe(404)
	const confirm = await otherPage.request.post(jobUrl, { form: { intent: 'confirm', noticeGiven: 'on' }, headers: { Origin: new URL(jobUrl).origin } })
	expect(confirm.status()).toBe(404)
	expect((await otherPage.request.get('/staff/export?format=csv&commune=03721')).status()).toBe(404)
	const theirs = await otherPage.request.get('/staff/export?format=csv')
	expect(theirs.status()).toBe(200)
	expect(await theirs.text()).not.toContain('Nhập Mới')
	await otherPage.goto('/staff/import')
	await expect(otherPage.getByLabel('Nhập vào xã, phường').locator('option')).toHaveText(['Phường Tô Hiệu'])
	await expect(otherPage.getByText('danh-sach-ban.csv')).toHaveCount(0)
	await other.close()
})
