import type { Page } from '@playwright/test'
import { expect, test } from './fixtures.ts'

/**
 * Two staff corrections on a 360 px phone (issue #20 item 13, ADR 031), each without JavaScript:
 * correcting a saved class, and undoing an import.
 */
test.use({ javaScriptEnabled: false, viewport: { width: 360, height: 640 } })

let runs = 0
/** A word of letters only (names hold no digits) that keeps this run's people apart from others'. */
function runWord() {
	const digits = String(Date.now() + runs++).slice(-7)
	const word = [...digits].map((d) => 'abcdeghikl'[Number(d)]).join('')
	return word[0]!.toUpperCase() + word.slice(1)
}

/** Staff import new residents (name, a fresh phone, Thái) into a commune by CSV and wait until it is done. */
async function importResidents(page: Page, commune: string, file: string, names: string[]) {
	await page.goto('/staff/import')
	await page.getByLabel('Nhập vào xã, phường').selectOption(commune)
	const stamp = String(Date.now()).slice(-7)
	const rows = names.map((name, i) => `${name};07${6 + i}${stamp};1960;${i % 2 ? 'Nữ' : 'Nam'};Thái;Bản Nà Lốc`)
	const csv = ['Họ và tên;Số điện thoại;Năm sinh;Giới tính;Dân tộc;Thôn/bản', ...rows].join('\r\n')
	await page.getByLabel('Tệp Excel (.xlsx) hoặc CSV').setInputFiles({ name: file, mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}\r\n`) })
	await page.getByRole('button', { name: 'Tải lên và xem trước' }).click()
	await expect(page.getByText(`${names.length} dòng: ${names.length} người mới, 0 người đã có tài khoản, 0 dòng có lỗi.`)).toBeVisible()
	await page.getByLabel('mọi người trong danh sách đã được đọc hoặc giải thích thông báo', { exact: false }).check()
	await page.getByLabel('Những người có ghi dân tộc trong tệp đã đồng ý', { exact: false }).check()
	await page.getByRole('button', { name: `Nhập ${names.length} người mới` }).click()
	// Without JavaScript the progress page does not reload itself: reload until it is done.
	await expect(async () => {
		await page.reload()
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đã nhập xong', { timeout: 1_000 })
	}).toPass({ timeout: 30_000 })
}

test('staff correct a saved class without JavaScript: place, notes, one attendee added and one removed', async ({ page, login }) => {
	// Xã Mường La's staff member, with three residents of its own, new, who have learnt nothing yet.
	await login('staffMuongLa')
	const word = runWord()
	const [kept, removed, added] = ['Lò Văn Ở Lại', 'Cầm Thị Bỏ Ra', 'Quàng Văn Thêm Vào'].map((n) => `${n} ${word}`) as [string, string, string]
	await importResidents(page, '03808', 'lop-hoc.csv', [kept, removed, added])

	await page.goto('/staff/classes/new?course=smartphone&commune=03808')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ghi lại một buổi học')
	await page.locator('input[name="lessonId"]').first().check()
	await page.getByLabel('Địa điểm').fill('Nhà văn hoá bản Cũ')
	await page.getByLabel(kept).check()
	await page.getByLabel(removed).check()
	await page.getByRole('button', { name: 'Lưu buổi học và ghi nhận hoàn thành' }).click()
	await expect(page).toHaveURL(/\/staff\/classes\/[^/?]+\?saved=1$/)
	await expect(page.getByText('Đã lưu buổi học: 2 người, 1 bài', { exact: false })).toBeVisible()
	const classUrl = page.url().replace(/\?.*$/, '')
	const people = page.locator('main ul a[href^="/staff/residents/"]')
	await expect(people).toHaveCount(2)
	await expect(people.filter({ hasText: kept })).toHaveCount(1)
	await expect(people.filter({ hasText: removed })).toHaveCount(1)
	const ids = Object.fromEntries(
		await Promise.all([kept, removed].map(async (n) => [n, await page.getByRole('link', { name: n }).getAttribute('href')] as const)),
	)

	// The correction form: the people who came are ticked.
	await page.getByRole('link', { name: 'Sửa thông tin buổi học' }).click()
	await expect(page).toHaveURL(/\?edit=1#correct$/)
	await expect(page.getByLabel(kept)).toBeChecked()
	await expect(page.getByLabel(removed)).toBeChecked()
	await expect(page.getByLabel(added)).not.toBeChecked()
	await page.getByLabel('Địa điểm').fill('Nhà văn hoá bản Mới')
	await page.getByLabel('Ghi chú (không bắt buộc)').fill('Học lại buổi chiều vì mất điện')
	await page.getByLabel(removed).uncheck()
	await page.getByLabel(added).check()
	await page.getByRole('button', { name: 'Lưu thay đổi' }).click()

	await expect(page.getByRole('status')).toHaveText('Đã lưu thay đổi: thêm 1 người, bỏ 1 người. Số liệu đã được tính lại.')
	await expect(page.getByText('Nhà văn hoá bản Mới', { exact: false })).toBeVisible()
	await expect(page.getByText('Nhà văn hoá bản Cũ', { exact: false })).toHaveCount(0)
	await expect(page.getByText('Học lại buổi chiều vì mất điện')).toBeVisible()
	await expect(people).toHaveCount(2)
	await expect(people.filter({ hasText: kept })).toHaveCount(1)
	await expect(people.filter({ hasText: added })).toHaveCount(1)
	await expect(people.filter({ hasText: removed })).toHaveCount(0)
	ids[added] = await page.getByRole('link', { name: added }).getAttribute('href')
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
	await page.screenshot({ path: 'test-results/staff-class-corrected-360.png', fullPage: true })

	// Opened again later, the class is as corrected.
	await page.goto(classUrl)
	await expect(page.getByText('Nhà văn hoá bản Mới', { exact: false })).toBeVisible()
	await expect(page.getByRole('link', { name: removed })).toHaveCount(0)
	// Each person's page: the lesson counts for those who came, no longer for the one taken off.
	for (const [name, done] of [
		[kept, 1],
		[added, 1],
		[removed, 0],
	] as const) {
		await page.goto(ids[name]!)
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(name)
		await expect(page.getByText(new RegExp(`^Dùng điện thoại thông minh: Đã học ${done}/\\d+ bài$`))).toBeVisible()
	}
})

test('staff undo an import without JavaScript: the confirm step lists who is kept, the undone people are gone from search', async ({ page, login }) => {
	await login('staffThuanChau')
	const word = runWord()
	const gone = `Lò Văn Hoàn Tác ${word}`
	const stays = `Cầm Thị Giữ Lại ${word}`
	await importResidents(page, '03721', 'nham-xa.csv', [gone, stays])
	const jobUrl = page.url().replace(/[?#].*$/, '')

	// One of the two has their record corrected at the commune office since: they are kept.
	await page.goto(`/staff/residents?q=${encodeURIComponent(stays)}`)
	await page.getByRole('link', { name: stays }).click()
	await page.goto(`${page.url().replace(/[?#].*$/, '')}/profile`)
	await page.getByLabel('Thôn, bản, tổ dân phố (không bắt buộc)').fill('Bản Nà Sản')
	await page.getByLabel('Người dân đã yêu cầu sửa những thông tin này.').check()
	await page.getByRole('button', { name: 'Lưu thông tin đã sửa' }).click()
	await expect(page).toHaveURL(/\?corrected=1$/)

	// The confirm step: how many would be removed, who is kept and why; nothing happens yet.
	await page.goto(jobUrl)
	await page.getByRole('link', { name: 'Hoàn tác lần nhập…' }).click()
	await expect(page).toHaveURL(/\?undo=confirm#undo$/)
	await expect(page.getByText('Hoàn tác lần nhập «nham-xa.csv»? 1 người chưa làm gì sẽ bị xoá', { exact: false })).toBeVisible()
	await expect(page.getByText('1 người sẽ được giữ lại vì đã bắt đầu dùng', { exact: false })).toBeVisible()
	const keptTable = page.getByRole('table', { name: 'Được giữ lại (1)' })
	// One row: the kept person, with the reason (on a phone each row is a stack of labelled cells).
	const keptRows = keptTable.getByRole('row', { name: /Hồ sơ đã được sửa sau khi nhập$/ })
	await expect(keptRows).toHaveCount(1)
	await expect(keptRows.getByRole('link', { name: stays })).toBeVisible()
	await expect(keptTable.getByText(gone)).toHaveCount(0)
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
	await page.screenshot({ path: 'test-results/staff-import-undo-confirm-360.png', fullPage: true })

	await page.getByRole('button', { name: 'Có, hoàn tác' }).click()
	await expect(page.getByText('đã xoá 1 người chưa làm gì', { exact: false })).toBeVisible()
	await expect(page.getByRole('table', { name: 'Được giữ lại (1)' }).getByRole('link', { name: stays })).toBeVisible()

	// The list of imports says so, and the undo link is gone.
	await page.goto('/staff/import')
	await expect(page.getByText(/nham-xa\.csv ·\sđã hoàn tác/)).toBeVisible()
	await page.goto(jobUrl)
	await expect(page.getByRole('link', { name: 'Hoàn tác lần nhập…' })).toHaveCount(0)

	// Staff search finds the kept person and no longer the removed one.
	await page.goto(`/staff/residents?q=${encodeURIComponent(gone)}`)
	await expect(page.getByRole('link', { name: gone })).toHaveCount(0)
	await page.goto(`/staff/residents?q=${encodeURIComponent(stays)}`)
	await expect(page.getByRole('link', { name: stays })).toBeVisible()
})
