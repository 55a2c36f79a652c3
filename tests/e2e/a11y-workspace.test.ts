import AxeBuilder from '@axe-core/playwright'
import { type Page } from '@playwright/test'
import { expect, test } from './fixtures.ts'

// Commune staff and province officers also work on a phone: every page of their workspace passes
// axe's WCAG 2.1 A/AA rules and fits a 360 px screen (wide tables scroll inside `.table-scroll`).
test.use({ viewport: { width: 360, height: 740 } })

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

/** Problems on the page as it is now, as readable lines: axe violations and horizontal overflow. */
async function problems(page: Page, where: string) {
	const found: string[] = []
	const results = await new AxeBuilder({ page }).withTags(WCAG).analyze()
	for (const v of results.violations) {
		found.push(`${where} ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
	}
	// A phone browser widens its layout viewport to fit the page, so compare with 360, not innerWidth.
	const overflow = await page.evaluate((max) => {
		const width = document.scrollingElement!.scrollWidth
		if (width <= max + 1) return null
		const wide = [...document.body.querySelectorAll('*')]
			.filter((el) => el.getBoundingClientRect().right > max + 1 && !el.parentElement!.closest('.table-scroll'))
			.slice(0, 5)
			.map((el) => `${el.tagName.toLowerCase()}${typeof el.className === 'string' && el.className ? '.' + el.className.split(' ').join('.') : ''}`)
		return `${width}px (${wide.join(', ')})`
	}, 360)
	if (overflow) found.push(`${where} overflows 360 px: ${overflow}`)
	return found
}

async function visit(page: Page, path: string) {
	const response = await page.goto(path)
	expect(response?.status(), path).toBe(200)
	return problems(page, path)
}

test('commune staff pages: WCAG 2.1 A/AA and no horizontal overflow at 360 px', async ({ page, login }) => {
	await login('staffToHieu')
	const found: string[] = []
	for (const path of ['/staff', '/staff/residents']) found.push(...(await visit(page, path)))
	const href = await page.locator('a[href^="/staff/residents/"]:not([href$="/new"])').first().getAttribute('href')
	expect(href).toMatch(/^\/staff\/residents\/[^/?]+$/)
	for (const path of [
		href!,
		`${href}/erase`,
		`${href!}/profile`,
		// The setup code's confirm step and the slip page (here: no slip kept by this browser).
		`${href}?confirm=code`,
		`${href}/slip`,
		'/staff/residents/new',
		'/staff/classes',
		'/staff/classes/new?course=smartphone',
		'/staff/import',
	]) {
		found.push(...(await visit(page, path)))
	}
	// The registration form after a submission with nothing filled in: errors next to the fields.
	await page.goto('/staff/residents/new')
	await page.getByRole('button', { name: 'Đăng ký và tạo phiếu' }).click()
	await expect(page.locator('.field-error').first()).toBeVisible()
	found.push(...(await problems(page, '/staff/residents/new (errors)')))
	expect(found).toEqual([])
})

test('province pages: WCAG 2.1 A/AA and no horizontal overflow at 360 px', async ({ page, login }) => {
	await login('provinceOfficer')
	const found: string[] = []
	for (const path of [
		'/province',
		'/province?commune=03646&breakdown=sex',
		'/province/report',
		'/province/population',
		'/province/certificates',
		'/province/audit',
		'/province/audit?action=access',
		'/province/staff',
	]) {
		found.push(...(await visit(page, path)))
	}
	const member = await page.locator('main a[href^="/province/staff/"]').first().getAttribute('href')
	for (const path of [member!, '/province/api-tokens']) found.push(...(await visit(page, path)))
	// A new token is shown once, with an example call.
	await page.getByLabel('Tên khoá').fill(`Kiểm tra trợ năng ${Date.now() % 100_000}`)
	await page.getByRole('button', { name: 'Tạo khoá' }).click()
	await expect(page.getByLabel('Khoá API', { exact: true })).toBeVisible()
	found.push(...(await problems(page, '/province/api-tokens (token shown)')))
	expect(found).toEqual([])
})
