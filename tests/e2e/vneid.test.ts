import { DEMO_LOGINS, expect, test } from './fixtures.ts'
import { startOidcProvider } from '../fixtures/oidc-provider.ts'
import { OIDC_PORT } from '../../playwright.config.ts'

let provider: Awaited<ReturnType<typeof startOidcProvider>>

test.beforeAll(async ({ baseURL }) => {
	provider = startOidcProvider({
		port: OIDC_PORT,
		redirectUri: `${baseURL}/auth/vneid/callback`,
		people: {
			'014080001234': { name: 'Quàng Văn Định', birthdate: '1966-03-02', gender: 'male', phone_number: '+84 356 111 222' },
			// The demo resident's phone: VNeID's verified number links the existing account.
			'014080005678': { name: 'Demo Resident', phone_number: DEMO_LOGINS.resident.phone },
		},
	})
})
test.afterAll(async () => provider?.close())

async function signInAtProvider(page: import('@playwright/test').Page, login: string) {
	// The provider's sample screens import a web font; this machine has no outside network.
	await page.context().route((url) => !['localhost', '127.0.0.1'].includes(url.hostname), (route) => route.abort())
	await page.goto('/login')
	await page.getByRole('button', { name: 'Đăng nhập bằng VNeID' }).click()
	// The provider's own sign-in and consent screens; a provider session skips the sign-in.
	for (let step = 0; step < 3; step++) {
		await page.waitForURL((url) => url.port !== String(new URL(page.url()).port) || /interaction|\/me/.test(url.pathname))
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

test('first VNeID sign-in creates the account, which then chooses its commune', async ({ page }) => {
	await signInAtProvider(page, '014080001234')
	await expect(page).toHaveURL(/\/me\/complete$/)
	await expect(page.getByLabel('Họ và tên')).toHaveValue('Quàng Văn Định')
	await expect(page.getByLabel('Năm sinh')).toHaveValue('1966')
	await page.getByLabel('Dân tộc').selectOption({ label: 'Thái' })
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

test('VNeID with the phone number of an existing account links to it', async ({ page }) => {
	await signInAtProvider(page, '014080005678')
	await expect(page).toHaveURL(/\/me$/)
	await expect(page.getByText('Xã, phường: Phường Tô Hiệu')).toBeVisible()
})
