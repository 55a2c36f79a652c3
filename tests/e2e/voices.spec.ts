import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Page } from '@playwright/test'
import { courseBySlug, DEMO_LOGINS, expect, registerAndEnrol, test } from './fixtures.ts'

/**
 * Issue #23, "Done when": a narrator records a lesson with the phone's microphone (Chromium's fake
 * microphone playing a WAV that espeak-ng speaks), listens back and sends it; a province officer
 * listens and publishes it; a learner hears it on the lesson page, then again with the phone offline
 * after saving the course. The permission to narrate is granted on /province/staff/narrators.
 */
const course = courseBySlug('smartphone')
const lesson = course.lessons[0]!
const lessonUrl = `/courses/${course.slug}/${lesson.slug}`

/** About eight seconds of Vietnamese speech, made by Debian's espeak-ng at test time. */
function speechWav() {
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-voice-e2e-')), 'speech.wav')
	execFileSync('espeak-ng', [
		'-v',
		'vi',
		'-s',
		'140',
		'-w',
		file,
		'Xin chào bà con. Hôm nay chúng ta học cách bật điện thoại. Bấm giữ nút nguồn khoảng ba giây.',
	])
	return file
}

/** Waits until the page's audio player has really played some of its sound. */
async function playsSound(page: Page, selector: string) {
	await page.locator(selector).evaluate((audio: HTMLAudioElement) => audio.play())
	await expect.poll(() => page.locator(selector).evaluate((audio: HTMLAudioElement) => audio.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.5)
}

test('a narrator records a lesson in Thái Đen, an officer publishes it, a learner hears it online and offline', async ({ page, browser, login, baseURL }) => {
	test.setTimeout(300_000)

	// The province officer lets the demo resident of Phường Tô Hiệu narrate for their commune.
	const officer = await browser.newContext({ baseURL, viewport: { width: 360, height: 740 } })
	await login('provinceOfficer', officer)
	const op = await officer.newPage()
	await op.goto('/province/staff')
	// The staff page hydrates and this one does not: open it as a page of its own.
	await expect(op.getByRole('link', { name: 'Người đọc bài bằng tiếng dân tộc' })).toHaveAttribute('href', '/province/staff/narrators')
	await op.goto('/province/staff/narrators')
	await op.getByLabel('Số điện thoại').fill(DEMO_LOGINS.resident.phone)
	await op.getByLabel('Xã, phường, đặc khu').selectOption({ label: 'Phường Tô Hiệu' })
	await op.getByRole('button', { name: 'Cho phép' }).click()
	await expect(op).toHaveURL(/granted=1/)
	await expect(op.getByRole('cell', { name: 'Phường Tô Hiệu' }).first()).toBeVisible()
	await op.screenshot({ path: 'test-results/voices-narrators-360.png', fullPage: false })

	// The narrator's phone: a browser whose microphone plays the spoken WAV.
	const micBrowser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--use-fake-device-for-media-stream',
			'--use-fake-ui-for-media-stream',
			`--use-file-for-fake-audio-capture=${speechWav()}`,
		],
	})
	try {
		const narrator = await micBrowser.newContext({ baseURL, viewport: { width: 360, height: 740 }, permissions: ['microphone'] })
		await login('resident', narrator)
		const np = await narrator.newPage()
		await np.goto('/me')
		await np.getByRole('link', { name: /Thu giọng đọc bài học/ }).click()
		await np.locator('summary').filter({ hasText: course.title.vi! }).click()
		await np.getByRole('link', { name: lesson.title.vi! }).first().click()
		await expect(np.getByRole('heading', { level: 1 })).toHaveText(lesson.title.vi!)
		await np.getByLabel('Tiếng dân tộc').selectOption('blt')
		await np.getByLabel('Phương ngữ, nơi nói', { exact: false }).fill('Thái Đen, Phường Tô Hiệu')
		await np.getByRole('button', { name: 'Bắt đầu ghi' }).click()
		await expect(np.getByText('Đang ghi…', { exact: false })).toBeVisible()
		await np.waitForTimeout(6_000)
		await np.getByRole('button', { name: 'Dừng' }).click()
		await expect(np.getByText('Đã ghi xong.', { exact: false })).toBeVisible()
		// Listen back before sending.
		await playsSound(np, 'audio[data-preview]')
		await np.screenshot({ path: 'test-results/voices-narrate-360.png', fullPage: false })
		await np.getByRole('button', { name: 'Gửi bản ghi' }).click()
		await expect(np).toHaveURL(/\?sent=1$/)
		await expect(np.getByText('Chờ duyệt')).toBeVisible()
		await narrator.close()
	} finally {
		await micBrowser.close()
	}

	// The officer listens and publishes.
	await op.goto('/narrate/review')
	const item = op.locator('li[data-recording]').filter({ hasText: 'Thái Đen, Phường Tô Hiệu' })
	await expect(item).toContainText('Chờ duyệt')
	await playsSound(op, 'li[data-recording] audio')
	await item.getByRole('button', { name: 'Duyệt và phát hành' }).click()
	await expect(op).toHaveURL(/done=approve/)
	await expect(item).toContainText('Đã phát hành')
	await op.screenshot({ path: 'test-results/voices-review-360.png', fullPage: true })
	await op.goto('/province/voices')
	await expect(op.getByRole('row').filter({ hasText: lesson.title.vi! })).toContainText('1 đã phát hành')
	await op.screenshot({ path: 'test-results/voices-province-360.png', fullPage: true })
	await officer.close()

	// A learner: the lesson offers «Nghe bằng tiếng Thái Đen» with a plain player.
	await registerAndEnrol(page, { fullName: 'Lò Thị Nghe', birthYear: 1970, course })
	await page.goto(lessonUrl)
	await expect(page.getByText('Nghe bằng tiếng Thái Đen')).toBeVisible()
	await page.screenshot({ path: 'test-results/voices-lesson-360.png', fullPage: false })
	await playsSound(page, '.lesson-voices audio')

	// The course page shows the recordings in the size before saving; "save" takes them too.
	await page.goto(`/courses/${course.slug}`)
	await expect(page.getByText(/Gồm 1 bản ghi giọng đọc tiếng dân tộc \(\d+ KB\)/)).toBeVisible()
	const saved = page.locator('[data-offline-save] [data-status]')
	await expect(saved).toContainText(`Đã lưu ${course.lessons.length}/${course.lessons.length} bài`, { timeout: 30_000 })
	await page.locator('[data-offline-save] [data-save]').click()
	// The recording is now on the phone, beside the lesson pages.
	await expect
		.poll(
			() =>
				page.evaluate(
					async () =>
						(await Promise.all((await caches.keys()).map(async (name) => (await (await caches.open(name)).keys()).map((r) => r.url))))
							.flat()
							.filter((u) => u.includes('/voices/')).length,
				),
			{ timeout: 30_000 },
		)
		.toBe(1)
	await page.evaluate(() => navigator.serviceWorker.ready)

	await page.context().setOffline(true)
	await page.goto(lessonUrl)
	await expect(page.getByText('Nghe bằng tiếng Thái Đen')).toBeVisible()
	await playsSound(page, '.lesson-voices audio')
	await page.context().setOffline(false)
})
