import { DEMO_LOGINS, expect, signInWithForm, test } from './fixtures.ts'

// Province officers manage API tokens on a page that works without JavaScript; another system then
// reads the indicators with the token alone, until it is revoked.
test.use({ javaScriptEnabled: false })

test('an officer creates a token (shown once), the API answers with it, and stops after revocation', async ({ page, request }) => {
	const name = `DHIS2 thử nghiệm ${Date.now() % 100_000}`
	await page.goto('/login')
	// Signed in through the real form, without JavaScript (home.test.ts: with).
	await signInWithForm(page, DEMO_LOGINS.provinceOfficer.phone, DEMO_LOGINS.provinceOfficer.password)
	// An officer lands in the province workspace, not on the learner's page.
	await expect(page).toHaveURL(/\/province$/)

	await page.goto('/province/api-tokens')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Khoá API cho hệ thống khác')
	// A token needs a name: a localised error, nothing created.
	await page.getByRole('button', { name: 'Tạo khoá' }).click()
	await expect(page.getByText('Hãy đặt tên cho khoá (ít nhất 2 ký tự).')).toBeVisible()

	await page.getByLabel('Tên khoá').fill(name)
	await page.getByRole('button', { name: 'Tạo khoá' }).click()
	await expect(page.getByRole('status')).toContainText(`Đã tạo khoá «${name}»`)
	const token = await page.getByLabel('Khoá API', { exact: true }).inputValue()
	expect(token).toMatch(/^hvs_[a-z2-7]{32}$/)
	await expect(page.getByText('Khoá chỉ hiện một lần, ngay bây giờ', { exact: false })).toBeVisible()
	// No copy button that would do nothing without JavaScript.
	await expect(page.getByRole('button', { name: 'Sao chép khoá' })).toHaveCount(0)
	await expect(page.getByRole('row', { name })).toContainText('chưa dùng')

	const call = (bearer?: string) =>
		request.get('/api/v1/indicators?year=2025&granularity=quarter', { headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} })
	const ok = await call(token)
	expect(ok.status()).toBe(200)
	const body = await ok.json()
	expect(body).toMatchObject({
		dataSet: 'HVS_DIGITAL_LITERACY',
		provinceCode: '14',
		granularity: 'quarter',
		periods: ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4'],
	})
	expect(body.rows).toHaveLength(75 * 4)
	expect((await call()).status()).toBe(401)
	expect((await request.get('/api/v1/indicators?province=12', { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(403)
	const openapi = await request.get('/api/v1/openapi.json')
	expect((await openapi.json()).openapi).toBe('3.1.0')

	// Reloading the page no longer shows the token; the list shows it was used.
	await page.goto('/province/api-tokens')
	await expect(page.getByText(token)).toHaveCount(0)
	const row = page.getByRole('row', { name })
	await expect(row).not.toContainText('chưa dùng')
	// Without JavaScript the key is selectable, with a note that it is shown only once.
	// Revoking asks first (a GET step that works without JavaScript); "no" changes nothing.
	await row.getByRole('link', { name: `Thu hồi khoá ${name}` }).click()
	await expect(page.getByText(`Thu hồi khoá «${name}»? Hệ thống dùng khoá này sẽ không đọc được số liệu nữa`)).toBeVisible()
	expect((await call(token)).status()).toBe(200)
	await page.getByRole('link', { name: 'Không, quay lại' }).click()
	await expect(page.getByRole('button', { name: 'Có, thu hồi khoá' })).toHaveCount(0)
	expect((await call(token)).status()).toBe(200)
	await page
		.getByRole('row', { name })
		.getByRole('link', { name: `Thu hồi khoá ${name}` })
		.click()
	await page.getByRole('button', { name: 'Có, thu hồi khoá' }).click()
	await expect(page.getByRole('status')).toContainText(`Đã thu hồi khoá «${name}»`)
	await expect(page.getByRole('row', { name })).toContainText('Đã thu hồi')
	const refused = await call(token)
	expect(refused.status()).toBe(401)
	expect((await refused.json()).error.code).toBe('unauthorized')
})
