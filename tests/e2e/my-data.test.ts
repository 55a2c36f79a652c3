import AxeBuilder from '@axe-core/playwright'
import fs from 'node:fs'
import { courseBySlug, DEMO_LOGINS, expect, registerAndEnrol, test } from './fixtures.ts'

/**
 * Issue #18: a resident sees everything kept about them on a 360 px phone and downloads it as
 * JSON — theirs and nobody else's —; when commune staff find and open their record, the resident
 * sees it on the same page.
 */
test('a resident opens /me/data, downloads their data, and sees when staff looked at their record', async ({ page, browser, login }) => {
	// Names are letters only: a unique word made of letters.
	const tag = [...String(Date.now() % 1_000_000)].map((d) => 'aeiouybcdg'[Number(d)]).join('')
	const fullName = `Lò Thị Dữ Liệu ${tag[0]!.toUpperCase()}${tag.slice(1)}`
	await registerAndEnrol(page, { fullName, birthYear: 1970, course: courseBySlug('smartphone') })
	const phone = await page.evaluate(async () => (await (await fetch('/me/data/download')).json()).person.phone as string)

	await page.goto('/me')
	await page.getByRole('link', { name: 'Xem dữ liệu của tôi' }).click()
	await expect(page).toHaveURL(/\/me\/data$/)
	await expect(page.getByRole('heading', { level: 1, name: 'Dữ liệu của tôi' })).toBeVisible()
	await expect(page.getByText(fullName, { exact: true })).toBeVisible()
	await expect(page.getByText('Chưa có ai xem hay thay đổi hồ sơ của bạn.')).toBeVisible()
	// Fits the phone and passes axe.
	expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(361)
	const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
	expect(axe.violations.map((v) => v.id)).toEqual([])

	// The download: an attachment that parses, with my data and no one else's.
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải dữ liệu của tôi' }).click()])
	expect(download.suggestedFilename()).toMatch(/^hoc-vu-so_du-lieu-cua-toi_\d{4}-\d{2}-\d{2}\.json$/)
	const text = fs.readFileSync((await download.path())!, 'utf8')
	const data = JSON.parse(text)
	expect(data.person).toMatchObject({ fullName, phone, birthYear: 1970, commune: { code: '03721' } })
	expect(data.enrolments.map((e: { courseId: string }) => e.courseId)).toHaveLength(1)
	for (const login of Object.values(DEMO_LOGINS)) expect(text).not.toContain(login.phone)
	expect(text).not.toMatch(/0388\d{6}/) // the demo residents' numbers

	// Commune staff of Xã Thuận Châu search for the resident and open the record.
	const staffContext = await browser.newContext({ viewport: { width: 360, height: 740 } })
	await login('staffThuanChau', staffContext)
	const staffPage = await staffContext.newPage()
	await staffPage.goto('/staff/residents')
	await staffPage.getByLabel('Tìm theo tên hoặc số điện thoại').fill(fullName)
	await staffPage.getByRole('button', { name: 'Lọc' }).click()
	await staffPage.getByRole('link', { name: fullName }).click()
	await expect(staffPage.getByRole('heading', { level: 1, name: fullName })).toBeVisible()
	await staffContext.close()

	// The resident sees both: the search that found them (first in the list) and the view.
	await page.goto('/me/data')
	const log = page.locator('.access-log')
	await expect(log).toContainText('Mở xem hồ sơ')
	await expect(log).toContainText('Thấy trong danh sách · bạn ở vị trí thứ 1 trong danh sách')
	await expect(log).toContainText(`tìm “${fullName}”`)
	await expect(log).toContainText('Cán bộ xã ')
	await expect(log).toContainText('(Xã Thuận Châu)')
	const after = await page.evaluate(async () => (await (await fetch('/me/data/download')).json()).accessLog as { action: string; by: { kind: string } }[])
	expect(after.map((a) => a.action)).toEqual(expect.arrayContaining(['resident.view', 'resident.search']))
	expect(after.every((a) => a.by.kind === 'COMMUNE_STAFF')).toBe(true)
})
