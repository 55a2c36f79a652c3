import fs from 'node:fs'
import { type Browser, type Page } from '@playwright/test'
import { answerQuiz, courseBySlug, expect, registerAndEnrol, test } from './fixtures.ts'

/**
 * Issue #20, part 1, on a 360 px phone in Vietnamese: the certificate's picture, share and print
 * (with and without JavaScript), /verify with no code, PIN fields with the number keyboard, focus
 * on the first error, tappable hotlines, and the import preview's tabs. Screenshots go to
 * test-results/ to be looked at.
 */
const SHOTS = 'test-results/experience-2'
fs.mkdirSync(SHOTS, { recursive: true })

const phone = (browser: Browser, javaScriptEnabled: boolean) =>
	browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled, locale: 'vi-VN', isMobile: true, hasTouch: true })

const fitsThePhone = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)

test('the certificate page: save a picture, share and print, with and without JavaScript; the credential file is explained', async ({ page, browser }) => {
	test.setTimeout(180_000)
	const course = courseBySlug('smartphone')
	await registerAndEnrol(page, { fullName: 'Lò Thị Ảnh', birthYear: 1966, course })
	for (const lesson of course.lessons) {
		await page.goto(`/courses/${course.slug}/${lesson.slug}`)
		await answerQuiz(page, lesson, true)
		await expect(page.getByText('Chúc mừng! Bạn đã qua bài kiểm tra.')).toBeVisible()
	}
	await page.getByRole('link', { name: 'Xem giấy chứng nhận' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Giấy chứng nhận hoàn thành')
	const certificateUrl = page.url()
	const code = certificateUrl.split('/').at(-1)!
	await fitsThePhone(page)
	await page.screenshot({ path: `${SHOTS}/certificate-360.png`, fullPage: true })

	// "Lưu ảnh": a PNG of the certificate, named after its code.
	const download = page.waitForEvent('download')
	await page.getByRole('link', { name: 'Lưu ảnh' }).click()
	const file = await download
	expect(file.suggestedFilename()).toBe(`giay-chung-nhan-${code}.png`)
	const png = fs.readFileSync((await file.path())!)
	expect(png.subarray(1, 4).toString()).toBe('PNG')
	expect(png.length).toBeGreaterThan(20_000)
	fs.copyFileSync((await file.path())!, `${SHOTS}/certificate-image.png`)

	// The credential file is a secondary link, explained for employers; no jargon on the page.
	await expect(page.getByRole('link', { name: 'Tải tệp chứng chỉ số (dành cho nhà tuyển dụng)' })).toBeVisible()
	await expect(page.getByText('Nhà tuyển dụng hoặc cơ quan có thể dùng tệp này')).toBeVisible()
	await expect(page.locator('main')).not.toContainText('Open Badges')
	await expect(page.locator('main')).not.toContainText('KB')

	// With JavaScript: "Chia sẻ" opens the phone's share sheet with the verification link; "In" the print dialog.
	const js = await phone(browser, true)
	await js.addCookies(await page.context().cookies())
	await js.addInitScript(() => {
		const w = window as unknown as { shared: unknown[]; printed: number }
		w.shared = []
		w.printed = 0
		Object.defineProperty(navigator, 'share', { value: (data: unknown) => (w.shared.push(data), Promise.resolve()), configurable: true })
		Object.defineProperty(navigator, 'canShare', { value: () => true, configurable: true })
		window.print = () => {
			w.printed++
		}
	})
	const withJs = await js.newPage()
	await withJs.goto(certificateUrl)
	await withJs.getByText('Chia sẻ', { exact: true }).click()
	const shared = (await withJs.evaluate(() => (window as unknown as { shared: { url: string; text: string }[] }).shared)) as { url: string; text: string }[]
	expect(shared).toHaveLength(1)
	expect(shared[0]!.url).toMatch(new RegExp(`/verify/${code}$`))
	expect(shared[0]!.text).toContain(course.title.vi!)
	await expect(withJs.getByText('Gửi đường dẫn này để người khác kiểm tra giấy chứng nhận:')).toBeHidden()
	await withJs.getByText('In', { exact: true }).click()
	expect(await withJs.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1)
	await js.close()

	// Without JavaScript: each opens a panel that works on its own.
	const plain = await phone(browser, false)
	await plain.addCookies(await page.context().cookies())
	const noJs = await plain.newPage()
	await noJs.goto(certificateUrl)
	await noJs.getByText('Chia sẻ', { exact: true }).click()
	await expect(noJs.getByLabel('Gửi đường dẫn này để người khác kiểm tra giấy chứng nhận:')).toHaveValue(new RegExp(`/verify/${code}$`))
	await expect(noJs.getByRole('link', { name: 'Gửi bằng tin nhắn SMS' })).toHaveAttribute('href', new RegExp(`^sms:\\?body=.*verify%2F${code}$`))
	await expect(noJs.getByRole('link', { name: 'Gửi bằng thư điện tử (email)' })).toHaveAttribute('href', /^mailto:\?subject=/)
	await noJs.getByText('In', { exact: true }).click()
	await expect(noJs.getByText('Để in: mở menu của trình duyệt')).toBeVisible()
	await fitsThePhone(noJs)
	await noJs.screenshot({ path: `${SHOTS}/certificate-panels-nojs-360.png`, fullPage: true })
	// Printed: only the certificate, on one A4 page.
	await noJs.emulateMedia({ media: 'print' })
	await expect(noJs.locator('.certificate-actions')).toBeHidden()
	await expect(noJs.locator('.site-header')).toBeHidden()
	const pdf = await noJs.pdf({ format: 'A4' }).catch(() => null)
	if (pdf) expect((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBe(1)
	await plain.close()
})

test('/verify without a code is a form to type one', async ({ page }) => {
	const response = await page.goto('/verify')
	expect(response!.status()).toBe(200)
	await page.getByLabel('Mã xác minh').fill('abcd-2345')
	await page.getByRole('button', { name: 'Kiểm tra' }).click()
	await expect(page.getByText('Mã không đúng.', { exact: false })).toBeVisible()
})

test('PIN fields open the number keyboard; /login keeps letters one tap away for passwords', async ({ browser }) => {
	for (const javaScriptEnabled of [true, false]) {
		const context = await phone(browser, javaScriptEnabled)
		const page = await context.newPage()
		await page.goto('/login')
		const secret = page.getByLabel('Mã PIN hoặc mật khẩu')
		await expect(secret).toHaveAttribute('inputmode', 'numeric')
		await expect(secret).toHaveAttribute('pattern', '[0-9]*')
		await expect(secret).toHaveAttribute('autocomplete', 'current-password')
		await page.getByRole('link', { name: 'Mật khẩu có chữ cái? Mở bàn phím chữ' }).click()
		await expect(page.getByLabel('Mã PIN hoặc mật khẩu')).not.toHaveAttribute('inputmode', /./)
		// A staff password still signs in.
		await page.getByLabel('Số điện thoại').fill('0912000002')
		await page.getByLabel('Mã PIN hoặc mật khẩu').fill('hocvuso-xa')
		await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click()
		await expect(page).toHaveURL(/\/staff/)
		await context.close()
	}
	const context = await phone(browser, true)
	const page = await context.newPage()
	await page.goto('/register')
	const secret = page.getByLabel('Mã PIN hoặc mật khẩu')
	await expect(secret).toHaveAttribute('inputmode', 'numeric')
	await expect(secret).toHaveAttribute('autocomplete', 'new-password')
	await page.getByLabel('Mật khẩu', { exact: true }).check()
	await expect(secret).not.toHaveAttribute('inputmode', /./)
	await page.getByLabel('Mã PIN 6 số').check()
	await expect(secret).toHaveAttribute('inputmode', 'numeric')
	await page.goto('/setup')
	await expect(page.getByLabel('Mã PIN mới (6 số)')).toHaveAttribute('inputmode', 'numeric')
	await expect(page.getByLabel('Mã kích hoạt')).toHaveAttribute('autocomplete', 'one-time-code')
	await context.close()
})

test('after a failed submit, the first field with an error has the focus and a summary links to each (without JavaScript)', async ({ browser }) => {
	const context = await phone(browser, false)
	const page = await context.newPage()
	await page.goto('/register')
	await page.getByLabel('Họ và tên').fill('Lò Văn Sai')
	await page.getByRole('button', { name: 'Đăng ký' }).click()
	const summary = page.locator('.error-summary')
	await expect(summary).toContainText('chỗ cần sửa')
	const href = await summary.getByRole('link', { name: 'Số điện thoại' }).getAttribute('href')
	await expect(page.locator(href!)).toHaveAttribute('name', 'phone')
	// The phone is the first field on the page, and has the focus.
	expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('phone')
	await fitsThePhone(page)
	await page.screenshot({ path: `${SHOTS}/register-errors-360.png` })
	await context.close()
})

test('hotlines in lessons are links that dial', async ({ page }) => {
	const vneid = courseBySlug('vneid')
	await page.goto(`/courses/vneid/${vneid.lessons[3]!.slug}`)
	await expect(page.getByRole('link', { name: '1900 0368' })).toHaveAttribute('href', 'tel:19000368')
	const scams = courseBySlug('scam-safety')
	await page.goto(`/courses/scam-safety/${scams.lessons[4]!.slug}`)
	await expect(page.getByRole('link', { name: '113' }).first()).toHaveAttribute('href', 'tel:113')
	await expect(page.locator('a[href="sms:5656"]')).toHaveCount(1)
})

test('the import preview shows its lists as tabs, not bullets', async ({ page, login }) => {
	await login('staffToHieu')
	await page.goto('/staff/import')
	const csv = [
		'Họ và tên;Số điện thoại;Năm sinh;Giới tính;Dân tộc;Thôn/bản',
		`Lò Thị Tab;076${String(Date.now()).slice(-7)};1970;Nữ;Thái;Bản Mé`,
		'Sai;123;x;;;',
	].join('\r\n')
	await page.locator('input[name="file"]').setInputFiles({ name: 'tabs.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}\r\n`) })
	await page.locator('input[name="file"]').locator('xpath=ancestor::form').locator('button[type="submit"]').first().click()
	await expect(page).toHaveURL(/\/staff\/import\/[^/?]+$/)
	const tabs = page.locator('ul.tabs')
	expect(await tabs.evaluate((ul) => getComputedStyle(ul).listStyleType)).toBe('none')
	const tops = await tabs.locator('li').evaluateAll((items) => items.map((li) => Math.round(li.getBoundingClientRect().top)))
	expect(tops.length).toBe(3)
	await fitsThePhone(page)
	await page.screenshot({ path: `${SHOTS}/import-tabs-360.png` })
})
