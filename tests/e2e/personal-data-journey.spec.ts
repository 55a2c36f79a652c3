import fs from 'node:fs'
import { type Page } from '@playwright/test'
import { answerQuiz, courseBySlug, DEMO_LOGINS, expect, test } from './fixtures.ts'

/**
 * Issue #18 from one resident's side, in order, on a 360×640 phone: register with the notice and
 * consent (ethnic group "Không muốn trả lời"), learn a course to its certificate, open /me/data,
 * correct the profile, download the JSON (theirs, nobody else's), commune staff open the record
 * (it shows in /me/data, as does a visitor checking the certificate), erase with the PIN; then every
 * commune and province figure is the same, the person is in no staff search, export or API answer,
 * and the certificate verifies as revoked at the holder's request, with no name.
 */
const PHONE_VIEW = { width: 360, height: 640 }
const course = courseBySlug('vneid')
// Names are letters only: a unique word made of letters.
const tag = [...String(Date.now() % 1_000_000)].map((d) => 'aeiouybcdg'[Number(d)]).join('')
const firstName = `Lò Thị Hành ${tag[0]!.toUpperCase()}${tag.slice(1)}`
const correctedName = `${firstName} Sửa`
const phone = `09${String(Date.now() + 31).slice(-8)}`
const pin = '730519'

async function fitsThePhone(page: Page) {
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEW.width)
}

test('a resident’s data from registration to erasure (360×640)', async ({ browser, login }, testInfo) => {
	test.setTimeout(240_000)
	const mine = await browser.newContext({ viewport: PHONE_VIEW, locale: 'vi-VN' })
	const me = await mine.newPage()
	const shot = (page: Page, name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true })

	// 1. Register: the notice, "Không muốn trả lời", and the box that says I agree.
	await me.goto('/register')
	await expect(me.getByRole('region', { name: 'Học Vụ Số giữ thông tin gì của bạn?' })).toBeVisible()
	await me.getByLabel('Số điện thoại').fill(phone)
	await me.getByLabel('Họ và tên').fill(firstName)
	await me.getByLabel('Năm sinh').fill('1969')
	await me.getByLabel('Nữ', { exact: true }).check()
	await me.getByLabel('Dân tộc', { exact: true }).selectOption({ label: 'Không muốn trả lời' })
	await me.getByLabel('Xã, phường, đặc khu').selectOption('03646')
	await me.getByLabel('Mã PIN 6 số').check()
	await me.getByLabel('Mã PIN hoặc mật khẩu').fill(pin)
	await me.getByLabel('Tôi đã đọc thông báo trên và đồng ý', { exact: false }).check()
	await fitsThePhone(me)
	await me.getByRole('button', { name: 'Đăng ký' }).click()
	await expect(me).toHaveURL(/\/me\?welcome=1$/)

	// A course learned to its certificate (so that erasure has a certificate to revoke).
	await me.goto(`/courses/${course.slug}`)
	await me.getByRole('button', { name: 'Ghi danh học khoá này' }).click()
	for (const lesson of course.lessons) {
		await me.goto(`/courses/${course.slug}/${lesson.slug}`)
		await answerQuiz(me, lesson, true)
		await expect(me.getByText('Chúc mừng! Bạn đã qua bài kiểm tra.')).toBeVisible()
	}
	await me.getByRole('link', { name: 'Xem giấy chứng nhận' }).click()
	const verifyUrl = (await me.locator('.certificate a[href*="/verify/"]').getAttribute('href'))!
	const code = verifyUrl.split('/verify/')[1]!

	// 2. /me/data: everything about me, on the phone; my consent is there, no ethnic group.
	await me.goto('/me')
	await me.getByRole('link', { name: 'Xem dữ liệu của tôi' }).click()
	await expect(me.getByRole('heading', { level: 1, name: 'Dữ liệu của tôi' })).toBeVisible()
	await expect(me.getByText(firstName, { exact: true })).toBeVisible()
	await fitsThePhone(me)

	// 3. Correct the profile.
	await me.goto('/me/profile')
	await me.getByLabel('Họ và tên').fill(correctedName)
	await me.getByLabel('Thôn, bản, tổ dân phố (không bắt buộc)').fill('Bản Hành Trình')
	await me.getByRole('button', { name: 'Lưu' }).click()
	await expect(me.getByText('Đã lưu thông tin của bạn.')).toBeVisible()

	// 4. Download: it parses, holds my data and nobody else's.
	await me.goto('/me/data')
	const [download] = await Promise.all([me.waitForEvent('download'), me.getByRole('link', { name: 'Tải dữ liệu của tôi' }).click()])
	const text = fs.readFileSync((await download.path())!, 'utf8')
	const mineJson = JSON.parse(text)
	expect(mineJson.person).toMatchObject({ fullName: correctedName, phone, birthYear: 1969, village: 'Bản Hành Trình', commune: { code: '03646' } })
	expect(mineJson.person.ethnicGroup ?? null).not.toBe('03')
	expect(mineJson.certificates.map((c: { code: string }) => c.code)).toEqual([code])
	// Another resident of the same commune (the demo resident): neither their phone nor their name.
	const other = await browser.newContext({ viewport: PHONE_VIEW })
	await login('resident', other)
	const otherJson = await (await other.request.get('/me/data/download')).json()
	expect(otherJson.person.phone).toBe(DEMO_LOGINS.resident.phone)
	expect(text).not.toContain(DEMO_LOGINS.resident.phone)
	expect(text).not.toContain(otherJson.person.fullName)
	expect(text).not.toMatch(/0388\d{6}/) // the generated residents' numbers
	for (const staffLogin of Object.values(DEMO_LOGINS)) expect(text).not.toContain(staffLogin.phone)
	await other.close()

	// 5. Commune staff find and open the record; a visitor checks the certificate. /me/data shows both.
	const staffContext = await browser.newContext({ viewport: PHONE_VIEW })
	await login('staffToHieu', staffContext)
	const staff = await staffContext.newPage()
	await staff.goto(`/staff/residents?commune=03646&q=${encodeURIComponent(correctedName)}`)
	await staff.getByRole('link', { name: correctedName }).click()
	await expect(staff.getByRole('heading', { level: 1, name: correctedName })).toBeVisible()
	const visitor = await browser.newContext({ viewport: PHONE_VIEW })
	const visitorPage = await visitor.newPage()
	await visitorPage.goto(`/verify/${code}`)
	await expect(visitorPage.getByText('✔ HỢP LỆ')).toBeVisible()
	await me.goto('/me/data')
	const log = me.locator('.access-log')
	await expect(log).toContainText('Mở xem hồ sơ')
	await expect(log).toContainText('(Phường Tô Hiệu)')
	await expect(log).toContainText('Một người kiểm tra giấy chứng nhận (không ghi là ai)')
	await expect(log).toContainText('Kiểm tra giấy chứng nhận của bạn')
	await shot(me, 'my-data-360')

	// The figures the commune, the province and the API give, before the erasure.
	const officerContext = await browser.newContext({ viewport: PHONE_VIEW })
	await login('provinceOfficer', officerContext)
	const officer = await officerContext.newPage()
	await officer.goto('/province/api-tokens')
	await officer.getByLabel('Tên khoá').fill(`Hành trình ${tag}`)
	await officer.getByRole('button', { name: 'Tạo khoá' }).click()
	const token = await officer.getByLabel('Khoá API', { exact: true }).inputValue()
	const year = new Date().getFullYear()
	const api = async () => {
		const answer = await officer.request.get(`/api/v1/indicators?year=${year}&granularity=month`, { headers: { Authorization: `Bearer ${token}` } })
		expect(answer.status()).toBe(200)
		return answer.text()
	}
	const figures = async () => {
		await staff.goto('/staff?commune=03646')
		const commune = await staff.locator('table.commune-figures').innerText()
		await officer.goto('/province')
		const cards = await officer.locator('dl.stat-cards').innerText()
		const table = await officer.locator('table.commune-table').innerText()
		return { commune, cards, table, api: await api() }
	}
	const before = await figures()

	// 6. Erase with the PIN.
	await me.goto('/me')
	await me.getByRole('link', { name: 'Xoá tài khoản và dữ liệu của tôi' }).click()
	await me.getByLabel('Nhập mã PIN (hoặc mật khẩu) của bạn để xác nhận').fill(pin)
	await me.getByLabel('Tôi hiểu rằng dữ liệu của tôi sẽ bị xoá và không lấy lại được').check()
	await fitsThePhone(me)
	await me.getByRole('button', { name: 'Xoá dữ liệu của tôi' }).click()
	await expect(me.getByRole('status')).toHaveText('Dữ liệu của bạn đã được xoá. Cảm ơn bạn đã tham gia học.')

	// 7. Every figure the same; nobody finds the person in a search, the export or the API.
	const after = await figures()
	expect(after).toEqual(before)
	expect(after.api).not.toContain(correctedName)
	expect(after.api).not.toContain(phone)
	for (const q of [correctedName, firstName, phone, phone.slice(-6)]) {
		await staff.goto(`/staff/residents?commune=03646&q=${encodeURIComponent(q)}`)
		await expect(staff.getByRole('link', { name: correctedName })).toHaveCount(0)
		expect(await staff.locator('main').innerText()).not.toContain(firstName)
	}
	const csv = await (await staff.request.get('/staff/export?format=csv&commune=03646')).text()
	expect(csv).toContain('Họ và tên')
	expect(csv).not.toContain(firstName)
	expect(csv.replace(/\D/g, '')).not.toContain(phone.slice(1))

	// 8. The certificate: revoked at the holder's request, with no name.
	await visitorPage.goto(`/verify/${code}`)
	await expect(visitorPage.getByText('✘ ĐÃ THU HỒI')).toBeVisible()
	await expect(visitorPage.getByText('Lý do thu hồi: Theo đề nghị của người được cấp')).toBeVisible()
	await expect(visitorPage.getByText('Người được cấp:', { exact: false })).toHaveCount(0)
	expect(await visitorPage.locator('main').innerText()).not.toContain('Lò T')
	await fitsThePhone(visitorPage)
	await shot(visitorPage, 'verify-revoked-360')

	for (const context of [mine, staffContext, visitor, officerContext]) await context.close()
})
