import { type Page } from '@playwright/test'
import { expect, test } from './fixtures.ts'

// Issue #17 items 6 and 7: the province pages a province officer reads and signs, on a laptop and on
// a phone. Demo data (prisma/seed): Sơn La's 75 communes, each with a population and a 2026 coverage target.

/** How far the commune table reaches beyond its box and the page beyond the screen (0: it fits). */
async function overflow(page: Page) {
	return page.evaluate(() => {
		const table = document.querySelector<HTMLTableElement>('table.commune-table')!
		const box = table.closest('.table-scroll')!
		return {
			table: table.scrollWidth - box.clientWidth,
			page: document.scrollingElement!.scrollWidth - window.innerWidth,
			cells: [...table.querySelectorAll('td, th')].filter((c) => c.getBoundingClientRect().right > box.getBoundingClientRect().right + 1).length,
		}
	})
}

async function checkDashboard(page: Page) {
	await page.goto('/province')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Chỉ số phổ cập kỹ năng số')
	expect(await overflow(page)).toEqual({ table: 0, page: 0, cells: 0 })
	// Every figure of a commune is on the screen, with the status in words beside its coverage.
	const row = page.locator('tr[data-commune="03646"]')
	await expect(row).toContainText('Phường Tô Hiệu')
	await expect(row.locator('td').last()).toContainText(/Chưa đạt: cần \d+(,\d)?%, chỉ tiêu năm \d+(,\d)?%/)
	// Target and expected level explained in words on the page.
	const explanation = page.getByTestId('target-explanation')
	await expect(explanation).toContainText('Chỉ tiêu năm là tỷ lệ người từ 15 tuổi có kỹ năng số cơ bản')
	await expect(explanation).toContainText(
		/Mức cần đạt là phần của chỉ tiêu năm tính đến hết kỳ, chia đều theo tháng: đến hết \d\d\/\d{4} là \d+\/12 chỉ tiêu năm/,
	)
	await expect(explanation).toContainText('Chưa đạt: dưới 80% mức cần đạt')
}

test.describe('on a laptop (1280 px)', () => {
	test.use({ viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false })

	test('the commune table fits with every column, the status explained', async ({ page, login }) => {
		await login('provinceOfficer')
		await checkDashboard(page)
	})

	test('the ranking is ordered by distance from the expected level, and counts each status', async ({ page, login }) => {
		await login('provinceOfficer')
		await page.goto('/province')
		const items = page.locator('ol.ranking > li')
		await expect(items).toHaveCount(75)
		const gaps = await items.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-gap')))
		const withTarget = gaps.filter((g) => g !== null).map(Number)
		expect(withTarget.length).toBeGreaterThan(0)
		expect(withTarget).toEqual([...withTarget].sort((a, b) => b - a))
		// Communes without a target or population come after every commune that has one.
		expect(gaps.slice(0, withTarget.length).every((g) => g !== null)).toBe(true)
		// Every commune is behind in the demo data (a 2026 target of 100 %): the list still tells them apart.
		await expect(items.first()).toContainText(/< 0,1% ·\scần \d+(,\d)?% ·\sthiếu \d+(,\d)? điểm % ·\sChưa đạt/)
		await expect(page.getByTestId('ranking-lead')).toContainText(/Đến hết \d\d\/\d{4}: \d+ xã đạt, \d+ xã gần đạt, \d+ xã chưa đạt/)
		// Numbers the Vietnamese way: 27 people of 900 000 is "< 0,1%", not "0%"; thousands with a dot.
		await expect(page.getByTestId('total-coverage')).toHaveText('< 0,1%')
		await expect(page.locator('tr[data-commune="03646"] td').nth(6)).toHaveText(/^\d{1,3}(\.\d{3})+$/)
	})

	test('a population typed 18.500 is saved as 18500 and confirmed by name; 18,5 is refused with a reason', async ({ page, login }) => {
		await login('provinceOfficer')
		await page.goto('/province/population')
		const form = page.locator('form#population')
		await form.getByLabel('Xã, phường').selectOption('03724')
		const commune = (await form.getByLabel('Xã, phường').locator('option:checked').innerText()).replace(/ \(\d+\)$/, '')
		await form.getByLabel('Dân số từ 15 tuổi').fill('18,5')
		await form.getByLabel('Nguồn số liệu').fill('Chi cục Thống kê, niên giám 2025')
		await form.getByLabel('Số liệu tính đến ngày').fill('2026-01-01')
		await form.getByRole('button', { name: 'Lưu' }).click()
		await expect(page.getByText('Số người phải là số nguyên, không có phần lẻ sau dấu phẩy. Ví dụ: 18.500.')).toBeVisible()
		await expect(page.locator('tr[data-commune="03724"] td').nth(1)).not.toHaveText('18.500')

		await form.getByLabel('Xã, phường').selectOption('03724')
		await form.getByLabel('Dân số từ 15 tuổi').fill('18.500')
		await form.getByLabel('Nguồn số liệu').fill('Chi cục Thống kê, niên giám 2025')
		await form.getByLabel('Số liệu tính đến ngày').fill('2026-01-01')
		await form.getByRole('button', { name: 'Lưu' }).click()
		await expect(page.locator('p.notice[role="status"]')).toHaveText(`Đã lưu dân số từ 15 tuổi của ${commune}: 18.500 người (số liệu đến ngày 01/01/2026).`)
		await expect(page.locator('tr[data-commune="03724"] td').nth(1)).toHaveText('18.500')
	})

	test('the printable report is an administrative document on A4, in Vietnamese even from the English pages', async ({ page, login }) => {
		await login('provinceOfficer')
		await page.goto('/province/report?lng=en&body=Sở Khoa học và Công nghệ&number=15/BC-SKHCN&signerTitle=Giám đốc&signerName=Nguyễn Văn An')
		await expect(page.getByRole('link', { name: 'Back to the province' })).toBeVisible()
		const doc = page.getByTestId('official-doc')
		await expect(doc.locator('.doc-national')).toHaveText('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')
		await expect(doc.locator('.doc-motto')).toHaveText('Độc lập - Tự do - Hạnh phúc')
		await expect(doc.locator('.doc-parent')).toHaveText('UBND TỈNH SƠN LA')
		await expect(doc.locator('.doc-body')).toHaveText('SỞ KHOA HỌC VÀ CÔNG NGHỆ')
		await expect(doc.locator('.doc-number')).toHaveText('Số: 15/BC-SKHCN')
		await expect(doc.locator('.doc-place-date')).toHaveText(/^Sơn La, ngày \d\d tháng (0[12]|[3-9]|1[0-2]) năm \d{4}$/)
		await expect(doc.getByRole('heading', { level: 1 })).toContainText('BÁO CÁO')
		await expect(doc.getByTestId('report-results')).toContainText(/Tỉnh Sơn La có \d+ người dân đăng ký học/)
		await expect(doc.locator('.doc-recipients')).toContainText('Nơi nhận:')
		await expect(doc.locator('.doc-signer-title')).toHaveText('GIÁM ĐỐC')
		await expect(doc.locator('.doc-signer-name')).toHaveText('Nguyễn Văn An')
		const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1')
		// A4 portrait: 595 × 842 points.
		expect(pdf).toMatch(/\/MediaBox \[0 0 59[45]\.\d+ 84[12]\.\d+\]/)
	})
})

test.describe('on a phone (360 px)', () => {
	test('each commune is a card with every figure named: nothing is cut or scrolled sideways', async ({ page, login }) => {
		await login('provinceOfficer')
		await checkDashboard(page)
		const cell = page.locator('tr[data-commune="03646"] td').first()
		expect(await cell.evaluate((td) => getComputedStyle(td, '::before').content)).toBe('"Người đăng ký"')
	})

	test('English keeps English numbers', async ({ page, login }) => {
		await login('provinceOfficer')
		await page.goto('/province?lng=en')
		await expect(page.getByTestId('total-coverage')).toHaveText('< 0.1%')
		await expect(page.locator('tr[data-commune="03646"] td').nth(6)).toHaveText(/^\d{1,3}(,\d{3})+$/)
	})
})
