import { courseBySlug, DEMO_LOGINS, expect, registerAndEnrol, signInWithForm, test } from './fixtures.ts'

/** Issue #20: where a resident or a busy commune officer got stuck, at 360 px. */
test.use({ viewport: { width: 360, height: 740 } })

test('a resident who forgot their PIN finds the way back from the sign-in page, and the lock-out says staff can reset it', async ({ page }) => {
	await page.goto('/login')
	await page.getByRole('link', { name: 'Quên mã PIN?' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Quên mã PIN?')
	await expect(page.getByText('Cán bộ sẽ đưa bạn một phiếu có mã kích hoạt.', { exact: false })).toBeVisible()
	await expect(page.getByText('Việc học và chứng nhận của bạn vẫn được giữ nguyên.')).toBeVisible()
	await page.getByRole('link', { name: 'Mở trang Kích hoạt' }).click()
	await expect(page).toHaveURL(/\/setup$/)
	// Without JavaScript too: plain links.
	const noJs = await page
		.context()
		.browser()!
		.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } })
	const plain = await noJs.newPage()
	await plain.goto(new URL('/login', page.url()).toString())
	await plain.getByRole('link', { name: 'Quên mã PIN?' }).click()
	await expect(plain.getByRole('heading', { level: 1 })).toHaveText('Quên mã PIN?')
	await noJs.close()
})

test('the home page greets a signed-in resident with "Học tiếp" to their next lesson', async ({ page }) => {
	const course = courseBySlug('vneid')
	await registerAndEnrol(page, { fullName: 'Quàng Văn Tiếp', birthYear: 1975, course })
	await page.goto('/')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Chào Quàng Văn Tiếp!')
	await page.getByRole('link', { name: `Học tiếp: ${course.lessons[0]!.title.vi}` }).click()
	await expect(page).toHaveURL(new RegExp(`/courses/${course.slug}/${course.lessons[0]!.slug}$`))
})

test('commune staff and province officers land in their workspace after signing in', async ({ page }) => {
	await page.goto('/login')
	await signInWithForm(page, DEMO_LOGINS.staffToHieu.phone, DEMO_LOGINS.staffToHieu.password)
	await expect(page).toHaveURL(/\/staff$/)
	await page.goto('/')
	await expect(page.getByRole('link', { name: 'Vào trang cán bộ xã' })).toBeVisible()
})

test('staff see who needs help once per person, with a count, and call them with one tap', async ({ page, login }) => {
	await login('staffToHieu')
	await page.goto('/staff')
	const heading = page.getByRole('heading', { name: /^Người cần giúp đỡ \(\d+\)$/ })
	await expect(heading).toBeVisible()
	const count = Number((await heading.textContent())!.match(/\((\d+)\)/)![1])
	// Below the figures, but one tap from the top of the page: the link at the top says how many.
	await page
		.getByRole('navigation', { name: 'Việc cần làm' })
		.getByRole('link', { name: `Người cần giúp đỡ (${count})` })
		.click()
	await expect(page).toHaveURL(/#needs-help$/)
	await expect(heading).toBeInViewport()
	// Everyone is there; past the first ten they fold under "Xem thêm".
	const people = page.locator('.help-list > li')
	await expect(people).toHaveCount(count)
	// The demo data has more than ten people who need help in this commune: the fold is always exercised.
	expect(count).toBeGreaterThan(10)
	await expect(page.locator('.help-list').first().locator('> li')).toHaveCount(10)
	await page.getByText(`Xem thêm ${count - 10} người`).click()
	await expect(people.nth(10)).toBeVisible()
	await expect(people.first().locator('a[href^="tel:0"]')).toBeVisible()
	// Dates in the Vietnamese style, not ISO.
	await expect(people.first().locator('.help-reasons')).toContainText(/\d{2}\/\d{2}\/\d{4}/)
})
