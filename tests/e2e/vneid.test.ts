import { DEMO_LOGINS, expect, test } from './fixtures.ts'
import { startOidcProvider } from '../fixtures/oidc-provider.ts'
import { OIDC_PORT } from '../../playwright.config.ts'

let provider: Awaited<ReturnType<typeof startOidcProvider>>

test.beforeAll(async ({ baseURL }) => {
	provider = startOidcProvider({
		port: OIDC_PORT,
		redirectUri: `${baseURL}/auth/vneid/callback`,
		people: {
			'014080001234': { name: 'Quàng Văn Định', birthdate: '1966-03-02', gender: 'male', phone_number: '+84 356 111 222', phone_number_verified: true },
			// The demo resident's phone (the account has a PIN): never linked by the number alone.
			'014080005678': { name: 'Demo Resident', phone_number: DEMO_LOGINS.resident.phone, phone_number_verified: true },
			// The demo administrator's phone (a recycled number, say): verified or not, never linked.
			'014080008888': { name: 'Người Lạ', phone_number: DEMO_LOGINS.admin.phone, phone_number_verified: true },
			'014080009999': { name: 'Người Lạ', phone_number: DEMO_LOGINS.admin.phone, phone_number_verified: false },
		},
	})
})
test.afterAll(async () => provider?.close())

async function signInAtProvider(page: import('@playwright/test').Page, login: string) {
	// The provider's sample screens import a web font; this machine has no outside network.
	await page.context().route(
		(url) => !['localhost', '127.0.0.1'].includes(url.hostname),
		(route) => route.abort(),
	)
	await page.goto('/login')
	await page.getByRole('button', { name: 'Đăng nhập bằng VNeID' }).click()
	// The provider's own sign-in and consent screens; a provider session skips the sign-in.
	for (let step = 0; step < 3; step++) {
		await page.waitForURL((url) => url.port !== String(new URL(page.url()).port) || /interaction|\/me/.test(url.pathname) || url.searchParams.has('vneid'))
		if (!page.url().includes('/interaction/')) return
		const loginBox = page.locator('input[name="login"]')
		if (await loginBox.count()) {
			await loginBox.fill(login)
			await page.locator('input[name="password"]').fill('any')
		}
		await page.locator('button[type="submit"]').first().click()
		await page.waitForLoadState('domcontentloaded')
	}
}

test('first VNeID sign-in: the notice and the commune first, the account only once they are agreed to', async ({ page }) => {
	await signInAtProvider(page, '014080001234')
	await expect(page).toHaveURL(/\/me\/complete$/)
	// Not signed in, no account yet (ADR 028): the notice is on the form that makes it.
	await expect(page.getByRole('region', { name: 'Học Vụ Số giữ thông tin gì của bạn?' })).toBeVisible()
	const meanwhile = await page.context().newPage()
	await meanwhile.goto('/me')
	await expect(meanwhile).toHaveURL(/\/login/)
	await meanwhile.close()
	await expect(page.getByLabel('Họ và tên')).toHaveValue('Quàng Văn Định')
	await expect(page.getByLabel('Năm sinh')).toHaveValue('1966')
	await page.getByLabel('Dân tộc', { exact: true }).selectOption({ label: 'Thái' })
	await page.getByLabel('Tôi đồng ý để ghi dân tộc của tôi', { exact: false }).check()
	await page.getByLabel('Tôi đã đọc thông báo trên và đồng ý', { exact: false }).check()
	await page.getByLabel('Xã, phường, đặc khu').selectOption({ label: 'Xã Thuận Châu' })
	await page.getByRole('button', { name: 'Lưu' }).click()
	await expect(page).toHaveURL(/\/me$/)
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xin chào, Quàng Văn Định')
	await expect(page.getByText('Xã, phường: Xã Thuận Châu')).toBeVisible()

	// Signing in again with VNeID finds the same account and goes straight in.
	await page.getByRole('button', { name: 'Đăng xuất', exact: true }).click()
	// Signing out first sends what the phone still holds (app/browser/offline.ts), then leaves /me.
	await expect(page).not.toHaveURL(/\/me$/)
	await signInAtProvider(page, '014080001234')
	await expect(page).toHaveURL(/\/me$/)
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xin chào, Quàng Văn Định')
})

test('VNeID with the phone number of an account that has a PIN does not sign in; the owner links it from their account', async ({ page }) => {
	await signInAtProvider(page, '014080005678')
	await expect(page.getByText('Số điện thoại này đã có tài khoản')).toBeVisible()
	await expect(page).not.toHaveURL(/\/me$/)

	// The owner signs in with their PIN, enters it again under «Liên kết VNeID» and goes through VNeID.
	await page.goto('/login')
	await page.getByLabel('Số điện thoại').fill('0987000001')
	await page.getByLabel('Mã PIN hoặc mật khẩu').fill('246810')
	await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click()
	await expect(page).toHaveURL(/\/me$/)
	await page.getByRole('link', { name: 'Liên kết tài khoản với VNeID' }).click()
	await page.getByLabel('Mã PIN hoặc mật khẩu').fill('000000')
	await page.getByRole('button', { name: 'Tiếp tục với VNeID' }).click()
	await expect(page.getByText('Mã PIN hoặc mật khẩu không đúng.')).toBeVisible()
	await page.getByLabel('Mã PIN hoặc mật khẩu').fill('246810')
	await page.getByRole('button', { name: 'Tiếp tục với VNeID' }).click()
	for (let step = 0; step < 3 && page.url().includes('/interaction/'); step++) {
		await page.locator('button[type="submit"]').first().click()
		await page.waitForLoadState('domcontentloaded')
	}
	await expect(page).toHaveURL(/\/me\/vneid\?linked=1$/)
	await expect(page.getByText('Đã liên kết VNeID với tài khoản của bạn.')).toBeVisible()

	// From now on VNeID opens this account.
	await page.goto('/me')
	await page.getByRole('button', { name: 'Đăng xuất', exact: true }).click()
	await expect(page).not.toHaveURL(/\/me$/)
	await signInAtProvider(page, '014080005678')
	await expect(page).toHaveURL(/\/me$/)
	await expect(page.getByText('Xã, phường: Phường Tô Hiệu')).toBeVisible()
})

test('the administrator’s phone number never opens the administrator’s account', async ({ page }) => {
	await page.context().clearCookies()
	await signInAtProvider(page, '014080008888')
	await expect(page.getByText('Số điện thoại này đã có tài khoản')).toBeVisible()
	await page.goto('/me')
	await expect(page).toHaveURL(/\/login/)
	await page.context().clearCookies()
	await signInAtProvider(page, '014080009999')
	await expect(page.getByText('VNeID chưa xác nhận số điện thoại này')).toBeVisible()
	await page.goto('/me')
	await expect(page).toHaveURL(/\/login/)
})
