import { DEMO_LOGINS, expect, signInWithForm, test } from './fixtures.ts'

// Unique per run so the test can be repeated against the same server.
const phone = `09${String(Date.now()).slice(-8)}`

test('a resident registers on a 360 px phone, signs out and signs in again', async ({ page }) => {
	await page.goto('/register')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đăng ký học')
	// Errors first: an empty form says what is missing, in Vietnamese, and saves nothing.
	await page.getByRole('button', { name: 'Đăng ký' }).click()
	await expect(page.getByText('Vui lòng nhập họ và tên.')).toBeVisible()

	await page.getByLabel('Số điện thoại').fill(`+84 ${phone.slice(1, 4)} ${phone.slice(4)}`)
	await page.getByLabel('Họ và tên').fill('Lò Thị Xuân')
	await page.getByLabel('Năm sinh').fill('1962')
	await page.getByLabel('Nữ').check()
	await page.getByLabel('Dân tộc', { exact: true }).selectOption({ label: 'Thái' })
	await page.getByLabel('Tôi đồng ý để ghi dân tộc của tôi', { exact: false }).check()
	await page.getByLabel('Tôi đã đọc thông báo trên và đồng ý', { exact: false }).check()
	await page.getByLabel('Tỉnh, thành phố').selectOption('14')
	await page.getByLabel('Xã, phường, đặc khu').selectOption({ label: 'Xã Mường La' })
	await page.getByLabel('Thôn, bản, tổ dân phố (không bắt buộc)').fill('Bản Hụm')
	await page.getByLabel('Mã PIN 6 số').check()
	await page.getByLabel('Mã PIN hoặc mật khẩu').fill('123456')
	await page.getByRole('button', { name: 'Đăng ký' }).click()
	// A too-simple PIN is refused with a reason; the other answers are kept.
	await expect(page.getByText('Mã PIN này quá dễ đoán.', { exact: false })).toBeVisible()
	await expect(page.getByLabel('Họ và tên')).toHaveValue('Lò Thị Xuân')
	await page.getByLabel('Mã PIN hoặc mật khẩu').fill('480317')
	await page.getByRole('button', { name: 'Đăng ký' }).click()

	await expect(page).toHaveURL(/\/me\?welcome=1$/)
	// Welcome, and how to sign in next time.
	await expect(page.getByText('Bạn đã đăng ký xong.', { exact: false })).toBeVisible()
	await expect(page.getByText('đăng nhập bằng số điện thoại', { exact: false })).toBeVisible()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xin chào, Lò Thị Xuân')
	await expect(page.getByText('Xã, phường: Xã Mường La')).toBeVisible()
	const cookies = await page.context().cookies()
	const session = cookies.find((c) => c.name === 'hvs_session')
	expect(session?.httpOnly).toBe(true)
	expect(session?.sameSite).toBe('Lax')

	await page.getByRole('button', { name: 'Đăng xuất', exact: true }).click()
	// Signing out first sends what the phone still holds (app/browser/offline.ts), then leaves /me.
	await expect(page).not.toHaveURL(/\/me(\?|$)/)
	await page.goto('/me')
	await expect(page).toHaveURL(/\/login/)

	await signInWithForm(page, phone, '000000')
	await expect(page.getByText('Số điện thoại hoặc mã PIN/mật khẩu chưa đúng.')).toBeVisible()
	await signInWithForm(page, phone, '480317')
	await expect(page).toHaveURL(/\/me$/)
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xin chào, Lò Thị Xuân')
})

test('the same phone number cannot register twice', async ({ page }) => {
	await page.goto('/register')
	await page.getByLabel('Số điện thoại').fill(DEMO_LOGINS.resident.phone)
	await page.getByLabel('Họ và tên').fill('Người Thứ Hai')
	await page.getByLabel('Năm sinh').fill('1990')
	await page.getByLabel('Nam', { exact: true }).check()
	await page.getByLabel('Dân tộc', { exact: true }).selectOption({ label: 'Kinh' })
	await page.getByLabel('Tôi đồng ý để ghi dân tộc của tôi', { exact: false }).check()
	await page.getByLabel('Tôi đã đọc thông báo trên và đồng ý', { exact: false }).check()
	await page.getByLabel('Xã, phường, đặc khu').selectOption({ label: 'Phường Tô Hiệu' })
	await page.getByLabel('Mã PIN hoặc mật khẩu').fill('480317')
	await page.getByRole('button', { name: 'Đăng ký' }).click()
	await expect(page.getByText('Số điện thoại này đã được đăng ký.', { exact: false })).toBeVisible()
})

test('a cross-site form post is refused', async ({ request }) => {
	const response = await request.post('/login', {
		headers: { Origin: 'https://evil.example' },
		form: { phone: DEMO_LOGINS.resident.phone, secret: DEMO_LOGINS.resident.pin },
	})
	expect(response.status()).toBe(403)
	expect(await response.text()).toContain('Yêu cầu bị từ chối')
})
