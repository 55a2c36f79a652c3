import AxeBuilder from '@axe-core/playwright'
import { expect, test } from '@playwright/test'

const pages = [
	'/courses',
	'/courses/smartphone',
	'/courses/smartphone/turn-on',
	'/courses/scam-safety/fake-police',
	'/courses/cashless/qr-same-phone',
	'/courses/cashless/vietqr',
]

test('catalogue, course and lesson pages in Vietnamese and English, with previous/next', async ({ page }) => {
	// The front door names every course of the catalogue, the new ones too.
	await page.goto('/')
	await expect(page.locator('.home-topics li')).toHaveCount(8)
	await expect(page.locator('.home-topics')).toContainText('Sức khỏe trên điện thoại')
	await page.goto('/courses')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Các khoá học')
	// Eight courses: the four of basic digital skills first, under their heading, then the others.
	const core = page.getByRole('region', { name: 'Kỹ năng số cơ bản' })
	const more = page.getByRole('region', { name: 'Học thêm' })
	for (const title of ['Dùng điện thoại thông minh', 'Ứng dụng định danh điện tử VNeID', 'Dịch vụ công trực tuyến', 'Phòng tránh lừa đảo qua điện thoại']) {
		await expect(core.getByRole('link', { name: title })).toBeVisible()
	}
	for (const title of [
		'Trả tiền không dùng tiền mặt',
		'Zalo và mạng xã hội an toàn',
		'Sức khỏe trên điện thoại',
		'Tìm và kiểm tra thông tin, làm quen với AI',
	]) {
		await expect(more.getByRole('link', { name: title })).toBeVisible()
	}
	await expect(page.locator('.course-card')).toHaveCount(8)
	await page.getByRole('link', { name: 'Dùng điện thoại thông minh' }).click()
	await page.getByRole('link', { name: 'Bật, tắt và mở khoá điện thoại' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bật, tắt và mở khoá điện thoại')
	await page
		.getByRole('link', { name: /Chạm, vuốt/ })
		.last()
		.click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Chạm, vuốt và các nút điều hướng')
	await page
		.getByRole('link', { name: /Bật, tắt/ })
		.last()
		.click()
	await expect(page).toHaveURL(/turn-on$/)

	await page.goto('/courses/smartphone/turn-on?lng=en')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Turning the phone on, off and unlocking it')
	await page.goto('/courses?lng=en')
	await expect(page.getByRole('link', { name: 'Staying safe from phone scams' })).toBeVisible()
	await expect(page.getByRole('region', { name: 'Learn more' }).getByRole('link', { name: 'Health on your phone' })).toBeVisible()
})

test('learner pages load no React and ship no quiz answers', async ({ page }) => {
	const scripts: string[] = []
	page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname))
	const response = await page.goto('/courses/smartphone/turn-on')
	const html = await response!.text()
	expect(html).not.toContain('"correct"')
	expect(html).not.toContain('explanation')
	expect(html).not.toContain('__remixContext')
	// Read-aloud, and the offline outbox (docs/decisions/007-offline.md): a few KB of plain script.
	expect(scripts.sort()).toEqual(['/lesson.js', '/offline.js'])
})

test('a visitor can try a quiz: wrong answers are shown with the reason, nothing is saved', async ({ page }) => {
	await page.goto('/courses/smartphone/turn-on')
	for (const q of ['q1', 'q2', 'q3', 'q4']) await page.locator(`input[name="answer.${q}"][value="a"]`).check()
	await page.getByRole('button', { name: 'Nộp bài' }).click()
	await expect(page.getByText('Bạn trả lời đúng 1/4 câu.')).toBeVisible()
	await expect(page.getByText('Nút nguồn thường ở cạnh phải.', { exact: false })).toBeVisible()
	await expect(page.getByText('Kết quả này chưa được lưu', { exact: false })).toBeVisible()
})

test('with JavaScript a quiz is answered in place: no page reload, the feedback gets the focus, and it can be retried', async ({ page }) => {
	await page.goto('/courses/smartphone/turn-on')
	await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true))
	for (const q of ['q1', 'q2', 'q3', 'q4']) await page.locator(`input[name="answer.${q}"][value="a"]`).check()
	const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/quiz')
	await page.getByRole('button', { name: 'Nộp bài' }).click()
	expect((await answered).status()).toBe(200)
	await expect(page.getByText('Bạn trả lời đúng 1/4 câu.')).toBeVisible()
	await expect(page.locator('.mdx-quiz [role="status"]')).toBeFocused()
	expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true)
	// A retry starts empty and the failed attempt does not give the right option away.
	await expect(page.locator('.mdx-quiz input[type="radio"]:checked')).toHaveCount(0)
	await expect(page.getByText('đáp án đúng', { exact: false })).toHaveCount(0)
	await expect(page.getByText('Lần trước bạn trả lời đúng câu này.')).toHaveCount(1)
	// The replaced section's form works the same way.
	await page.locator('input[name="answer.q1"][value="b"]').check()
	await page.locator('input[name="answer.q2"][value="a"]').check()
	await page.locator('input[name="answer.q3"][value="c"]').check()
	await page.locator('input[name="answer.q4"][value="b"]').check()
	await page.getByRole('button', { name: 'Nộp bài lại' }).click()
	await expect(page.getByText('Bạn trả lời đúng 4/4 câu.')).toBeVisible()
	expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true)
	// After a pass: no red "try again" above the way on, only a quiet link to a fresh form.
	await expect(page.locator('.mdx-quiz form[method="post"]')).toHaveCount(0)
	await page.getByRole('button', { name: 'Làm lại bài kiểm tra' }).click()
	await expect(page.getByRole('button', { name: 'Nộp bài', exact: true })).toBeVisible()
	await expect(page.locator('.mdx-quiz input[type="radio"]:checked')).toHaveCount(0)
})

test('options come in a new order on each attempt; the answers are graded by what was chosen', async ({ page }) => {
	const orders = new Set<string>()
	for (let i = 0; i < 6; i++) {
		await page.goto('/courses/smartphone/turn-on?lng=vi')
		orders.add(await page.locator('.mdx-quiz input[type="radio"]').evaluateAll((inputs) => inputs.map((el) => (el as HTMLInputElement).value).join('')))
	}
	expect(orders.size).toBeGreaterThan(1)
})

test('a glossary word stays inside its sentence, opens its meaning on tap, and read-aloud reads the whole sentence', async ({ page }) => {
	await page.goto('/courses/scam-safety/fake-police')
	const term = page.locator('.lesson-body p .mdx-term').first()
	await expect(term).toBeVisible()
	const def = term.locator('.mdx-term-def')
	await expect(def).toBeHidden()
	await term.locator('label').click()
	await expect(def).toBeVisible()
	// Every paragraph's text is in one block: no sentence is left outside the blocks read aloud.
	const orphans = await page
		.locator('.lesson-body')
		.evaluate((body) => Array.from(body.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim()).length)
	expect(orphans).toBe(0)
})

test('read-aloud reads every sentence block by block, highlights it, pauses and goes on, reads slower, and says when there is no Vietnamese voice', async ({
	page,
}) => {
	// A stand-in for the phone's speech engine: records what it is asked to say and "speaks" each in 300 ms.
	await page.addInitScript(() => {
		const said: { text: string; rate: number }[] = []
		;(window as unknown as { said: typeof said }).said = said
		const synth = {
			speaking: false,
			getVoices: () => [{ lang: 'en-US', name: 'English' }],
			addEventListener() {},
			cancel() {
				clearTimeout((synth as unknown as { timer?: ReturnType<typeof setTimeout> }).timer)
			},
			speak(u: SpeechSynthesisUtterance) {
				said.push({ text: u.text, rate: u.rate })
				;(synth as unknown as { timer?: ReturnType<typeof setTimeout> }).timer = setTimeout(() => u.onend?.(new Event('end') as SpeechSynthesisEvent), 300)
			},
		}
		Object.defineProperty(window, 'speechSynthesis', { value: synth })
	})
	await page.goto('/courses/scam-safety/fake-police')
	const listen = page.locator('button.listen')
	await expect(page.locator('[data-no-voice]')).toBeVisible()
	await expect(page.locator('[data-no-voice]')).toContainText('chưa có giọng đọc tiếng Việt')
	await listen.click()
	await expect(page.locator('.lesson-body .reading')).toHaveCount(1)
	await expect(listen).toContainText('Tạm dừng')
	await listen.click()
	await expect(listen).toContainText('Đọc tiếp')
	const pausedAt = await page.evaluate(() => (window as unknown as { said: unknown[] }).said.length)
	await page.locator('button.listen-slower').click()
	await listen.click()
	await expect(listen).toContainText('Nghe đọc bài', { timeout: 20_000 })
	const said = await page.evaluate(() => (window as unknown as { said: { text: string; rate: number }[] }).said)
	const text = said.map((s) => s.text).join(' ')
	expect(text).toContain('Kẻ gian chuyển hết tiền trong tài khoản')
	expect(text).not.toContain('chỉ dùng một lần, để xác nhận đăng nhập')
	expect(said.at(-1)!.rate).toBeLessThan(0.8)
	// Going on after the pause starts again from the block that was being read, not from the top.
	expect(said[pausedAt]!.text).toBe(said[pausedAt - 1]!.text)
	await expect(page.locator('.lesson-body .reading')).toHaveCount(0)
})

test('drawings: each language its own picture, sized before it loads, its words in the alt text; read-aloud reads the caption once, never the alt', async ({
	page,
}) => {
	await page.addInitScript(() => {
		const said: string[] = []
		;(window as unknown as { said: typeof said }).said = said
		const synth = {
			speaking: false,
			getVoices: () => [],
			addEventListener() {},
			cancel() {},
			speak(u: SpeechSynthesisUtterance) {
				said.push(u.text)
				setTimeout(() => u.onend?.(new Event('end') as SpeechSynthesisEvent), 5)
			},
		}
		Object.defineProperty(window, 'speechSynthesis', { value: synth })
	})
	for (const [lng, words, caption] of [
		['vi', 'Tên có đúng không?', 'Bước 3–4: xem kỹ tên người nhận và số tiền, rồi mới chạm Tiếp tục.'],
		['en', 'Is this the right name?', "Steps 3–4: check the receiver's name and the amount, and only then tap Continue."],
	] as const) {
		await page.goto(`/courses/cashless/vietqr?lng=${lng}`)
		const img = page.getByRole('img', { name: new RegExp(words.replace('?', '\\?')) })
		await expect(img).toHaveAttribute('width', '320')
		await expect(img).toHaveAttribute('height', '300')
		await expect(img).toHaveAttribute('loading', 'lazy')
		await img.scrollIntoViewIfNeeded()
		await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(320)
		// The picture served is the one drawn in the page's language.
		const svg = await (await page.request.get((await img.getAttribute('src'))!)).text()
		expect(svg).toContain(`xml:lang="${lng}"`)
		expect(svg).toContain(words)
		await expect(page.locator('figure.mdx-figure figcaption', { hasText: caption.slice(0, 20) })).toHaveText(caption)
	}
	await page.goto('/courses/cashless/vietqr?lng=vi')
	await page.locator('button.listen').click()
	await expect(page.locator('button.listen')).toContainText('Nghe đọc bài', { timeout: 20_000 })
	const said = await page.evaluate(() => (window as unknown as { said: string[] }).said)
	expect(said.filter((t) => t.includes('xem kỹ tên người nhận và số tiền, rồi mới chạm Tiếp tục'))).toHaveLength(1)
	expect(said.join(' ')).not.toContain('Tên có đúng không?')
})

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false })
	test('the quiz form posts the page and shows the same feedback', async ({ page }) => {
		await page.goto('/courses/smartphone/turn-on')
		for (const q of ['q1', 'q2', 'q3', 'q4']) await page.locator(`input[name="answer.${q}"][value="a"]`).check()
		await page.getByRole('button', { name: 'Nộp bài' }).click()
		await expect(page.getByText('Bạn trả lời đúng 1/4 câu.')).toBeVisible()
		await expect(page.getByText('Nút nguồn thường ở cạnh phải.', { exact: false })).toBeVisible()
		await expect(page).toHaveURL(/\/courses\/smartphone\/turn-on#quiz$/)
	})
})

for (const lng of ['vi', 'en']) {
	for (const path of pages) {
		test(`${path} (${lng}) has no serious accessibility violations`, async ({ page }) => {
			await page.goto(`${path}?lng=${lng}`)
			const results = await new AxeBuilder({ page }).analyze()
			const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
			expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
		})
	}
}
