import { type BrowserContext, type Page } from '@playwright/test'
import { answerQuiz as answer, courseBySlug, expect, type ManifestLesson, registerAndEnrol as register, test } from './fixtures.ts'
import { UNSENT_HASH } from '#app/kernel/offline-constants.ts'

/**
 * Issue 7, "Done when": after one visit online to an enrolled course, every lesson opens with the
 * browser offline; two lessons completed and a quiz taken offline are sent when the connection
 * returns, recorded once with the time they happened; a reload in the middle of sending loses
 * nothing and duplicates nothing. (Every lesson of the demo courses ends with a quiz: completing a
 * lesson is passing its quiz.)
 */
const course = courseBySlug('smartphone')
const url = (l: ManifestLesson) => `/courses/${course.slug}/${l.slug}`
/** "4/4": every question of the lesson's quiz right. */
const every = (l: ManifestLesson) => `${l.quiz.vi!.length}/${l.quiz.vi!.length}`

const registerAndEnrol = (page: Page, fullName: string) => register(page, { fullName, birthYear: 1966, course })

test('a saved course works offline; learning done offline is sent once, with its own time', async ({ page, context }) => {
	test.setTimeout(60_000)
	await registerAndEnrol(page, 'Lò Thị Mạng')

	// One visit to the enrolled course saves it; the page says how much and what.
	await page.goto(`/courses/${course.slug}`)
	await expect(page.getByText(/Tải cả khoá học \(6 bài\) về điện thoại: khoảng \d+ KB\./)).toBeVisible()
	await expect(page.locator('[data-offline-save] [data-status]')).toContainText('Đã lưu 6/6 bài trên điện thoại', { timeout: 20_000 })
	await expect(page.locator('.lesson-list .saved-mark')).toHaveCount(6)
	await page.evaluate(() => navigator.serviceWorker.ready)

	await context.setOffline(true)
	let drawings = 0
	for (const lesson of course.lessons) {
		await page.goto(url(lesson))
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(lesson.title.vi!)
		// The lesson's drawings were saved with it: in the phone's cache, and shown offline where the
		// lesson is open (a lesson after one not yet passed keeps its body folded; lazy images load once scrolled to).
		for (const img of await page.locator('figure.mdx-figure img').all()) {
			const src = (await img.getAttribute('src'))!
			expect(await page.evaluate(async (url) => Boolean(await caches.match(url)), src)).toBe(true)
			if (await img.isVisible()) {
				await img.scrollIntoViewIfNeeded()
				await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0)
			}
			drawings++
		}
	}
	expect(drawings).toBeGreaterThanOrEqual(5)
	// A page that needs the network says so, in Vietnamese.
	await page.goto('/me')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('📵 Không có mạng')
	await expect(page.getByRole('link', { name: 'Dùng điện thoại thông minh' })).toBeVisible()

	// Offline: fail lesson 1, then pass it (the form starts again after each try, with a new client id).
	const times: { before: number; after: number }[] = []
	const first = course.lessons[0]!
	for (const [i, right] of [false, true].entries()) {
		await page.goto(url(first))
		const before = Date.now()
		await answer(page, first, right)
		await expect(page.getByText('Bài làm đã lưu trên điện thoại, sẽ gửi khi có mạng.', { exact: false })).toBeVisible()
		times.push({ before, after: Date.now() })
		await expect(page.locator('#offline-status')).toContainText(`Có ${i + 1} kết quả học đã lưu trên điện thoại, sẽ gửi khi có mạng.`)
	}
	// Lesson 2 opens for reading; its quiz waits until lesson 1 is graded (a quiz may fail), so no
	// work done offline can be refused later (docs/decisions/022-offline-order.md).
	await page.goto(url(course.lessons[1]!))
	await expect(page.locator('.lesson-body')).toBeVisible()
	await expect(page.getByText('Bài kiểm tra của bài này sẽ mở khi bài trước được chấm đạt', { exact: false })).toBeVisible()
	await expect(page.locator('.mdx-quiz form[method="post"]')).toBeHidden()
	await page.waitForTimeout(1_500)
	const reconnectedAt = Date.now()

	// The first send reaches the server, but its answer is lost and the page reloads meanwhile.
	let cut = false
	let delivered: { results: { ok: boolean }[] } | null = null
	await context.route('**/api/sync', async (route) => {
		if (route.request().method() !== 'POST' || cut) return route.continue()
		cut = true
		delivered = await (await route.fetch()).json()
		await route.abort('connectionreset')
	})
	await context.setOffline(false)
	await expect.poll(() => delivered, { timeout: 15_000 }).not.toBeNull()
	expect(delivered!.results.map((r) => r.ok)).toEqual([true, true])
	await page.reload()
	const bar = page.locator('#offline-status')
	await expect(bar).toContainText('Đã gửi 2 kết quả học đã lưu trên điện thoại', { timeout: 15_000 })
	await expect(bar).toContainText(`«${first.title.vi}»: đúng 0/${first.quiz.vi!.length} câu. Chưa đạt`)
	await expect(bar).toContainText(`«${first.title.vi}»: đúng ${every(first)} câu. Đạt`)
	expect(await page.evaluate(() => (window as unknown as { hvsOffline: { pending(): Promise<unknown[]> } }).hvsOffline.pending().then((p) => p.length))).toBe(0)
	// The results stay on screen on the next page until they are closed.
	await page.goto(`/courses/${course.slug}`)
	await expect(bar).toContainText(`«${first.title.vi}»: đúng ${every(first)} câu. Đạt`)
	await bar.getByRole('button').click()
	await page.reload()
	await expect(bar).toBeHidden()

	// The server has exactly those: one completion and two attempts, each once, at the time they happened.
	const recorded = (await (await page.request.get(`/api/sync?course=${course.slug}`)).json()) as {
		completions: { lessonId: string; completedAt: string; source: string }[]
		attempts: { clientId: string; lessonId: string; occurredAt: string; receivedAt: string; passed: boolean }[]
	}
	expect(recorded.completions.map((c) => [c.lessonId, c.source])).toEqual([[first.id, 'OFFLINE']])
	expect(recorded.attempts.map((a) => [a.lessonId, a.passed])).toEqual([
		[first.id, false],
		[first.id, true],
	])
	expect(new Set(recorded.attempts.map((a) => a.clientId)).size).toBe(2)
	for (const [i, a] of recorded.attempts.entries()) {
		const at = Date.parse(a.occurredAt)
		expect(at).toBeGreaterThanOrEqual(times[i]!.before)
		expect(at).toBeLessThanOrEqual(times[i]!.after)
		expect(Date.parse(a.receivedAt)).toBeGreaterThanOrEqual(reconnectedAt)
	}
	expect(recorded.completions[0]!.completedAt).toBe(recorded.attempts[1]!.occurredAt)

	await page.goto(`/courses/${course.slug}`)
	await expect(page.getByText('Đã học xong 1/6 bài')).toBeVisible()
})

test('a quiz answered in place whose reply is lost, or that gets a 503, is kept on the phone and sent once, not lost', async ({ page, context }) => {
	test.setTimeout(60_000)
	await registerAndEnrol(page, 'Cầm Văn Sóng')
	const bar = page.locator('#offline-status')
	// The answer reaches the server and is recorded, but the signal drops before the reply comes
	// back: the phone keeps the quiz with the same client id, and sending it again adds nothing.
	const first = course.lessons[0]!
	await context.route('**/api/quiz', async (route) => {
		await route.fetch()
		await route.abort('internetdisconnected')
	})
	await page.goto(url(first))
	await answer(page, first, true)
	await expect(bar).toContainText('Đã gửi 1 kết quả học đã lưu trên điện thoại', { timeout: 15_000 })
	await expect(bar).toContainText(`«${first.title.vi}»: đúng ${every(first)} câu. Đạt`)
	expect(page.url()).toMatch(new RegExp(`${url(first)}$`))
	await context.unrouteAll()
	// The server is there but its database is restarting: a retryable 503.
	const second = course.lessons[1]!
	await context.route('**/api/quiz', (route) =>
		route.fulfill({
			status: 503,
			headers: { 'Retry-After': '5' },
			json: { ok: false, error: 'common:errors.status.503', message: 'Hệ thống đang bận. Vui lòng thử lại sau ít phút.' },
		}),
	)
	await page.goto(url(second))
	await answer(page, second, true)
	await expect(bar).toContainText(`«${second.title.vi}»: đúng ${every(second)} câu. Đạt`, { timeout: 15_000 })
	await context.unrouteAll()
	const recorded = (await (await page.request.get(`/api/sync?course=${course.slug}`)).json()) as { completions: { lessonId: string }[]; attempts: unknown[] }
	expect(recorded.completions.map((c) => c.lessonId)).toEqual([first.id, second.id])
	expect(recorded.attempts).toHaveLength(2)
})

test('a lesson form posted the ordinary way on a signal that drops is kept on the phone and sent, not lost to an error page', async ({ page, context }) => {
	test.setTimeout(60_000)
	await registerAndEnrol(page, 'Cầm Văn Sóng')
	await page.goto(`/courses/${course.slug}`)
	await page.evaluate(() => navigator.serviceWorker.ready)
	await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true)
	// The phone believes it is online, but the post never reaches the server.
	const lesson = course.lessons[0]!
	await context.route(`**${url(lesson)}`, (route) => (route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue()))
	await page.goto(url(lesson))
	for (const q of lesson.quiz.vi!) await page.locator(`input[name="answer.${q.id}"][value="${q.options.find((o) => o.correct)!.id}"]`).check()
	// Posted as the page's plain form (as the "I finished" form is, and as a phone whose page script
	// did not run posts a quiz): the service worker catches it.
	await page.evaluate(() => HTMLFormElement.prototype.submit.call(document.querySelector('.mdx-quiz form')))
	await expect(page).toHaveURL(new RegExp(`${url(lesson)}${UNSENT_HASH}$`))
	await context.unrouteAll()
	// Moved to the outbox, sent at once through /api/sync, graded, and the learner told.
	const bar = page.locator('#offline-status')
	await expect(bar).toContainText('Đã gửi 1 kết quả học đã lưu trên điện thoại', { timeout: 15_000 })
	await expect(bar).toContainText(`«${lesson.title.vi}»: đúng ${every(lesson)} câu. Đạt`)
	const recorded = (await (await page.request.get(`/api/sync?course=${course.slug}`)).json()) as { completions: { lessonId: string }[]; attempts: unknown[] }
	expect(recorded.completions.map((c) => c.lessonId)).toEqual([lesson.id])
	expect(recorded.attempts).toHaveLength(1)
})

/**
 * An answer kept on the phone (the answer in place does not arrive) whose sending the server refuses
 * with `status`, as for a person signed out (401) or whose consent is for an older notice (403,
 * tests/integration/notice-before-recording.test.ts). Returns the bar once it says `says`; being
 * online, it must not tell them to wait for a signal.
 */
async function keptAndRefused(page: Page, context: BrowserContext, fullName: string, status: 401 | 403, says: string) {
	await registerAndEnrol(page, fullName)
	const lesson = course.lessons[0]!
	const message = status === 401 ? 'offline:errors.signedOut' : 'offline:errors.noticeNeeded'
	await context.route('**/api/quiz', (route) => route.abort('internetdisconnected'))
	await context.route('**/api/sync', (route) => (route.request().method() === 'POST' ? route.fulfill({ status, json: { message } }) : route.continue()))
	await page.goto(url(lesson))
	await answer(page, lesson, true)
	const bar = page.locator('#offline-status')
	await expect(bar).toContainText(says, { timeout: 15_000 })
	await expect(bar).toContainText('Có 1 kết quả học đã lưu trên điện thoại, chưa được gửi.')
	await expect(bar).not.toContainText('sẽ gửi khi có mạng')
	return { bar, lesson }
}

test('results kept on the phone of a person who has not agreed to the current notice offer the notice, stay on the phone, and are sent once the server takes them', async ({
	page,
	context,
}) => {
	test.setTimeout(60_000)
	const { bar, lesson } = await keptAndRefused(
		page,
		context,
		'Lò Văn Thông Báo',
		403,
		'Hãy đọc và đồng ý với thông báo về dữ liệu cá nhân để gửi các kết quả này.',
	)
	const link = bar.getByRole('link', { name: 'Đọc thông báo' })
	await expect(link).toHaveAttribute('href', `/me/notice?redirectTo=${encodeURIComponent(url(lesson))}`)
	// Nothing was lost: once the server takes them, the kept answer is sent, once.
	await context.unrouteAll()
	await page.goto(url(lesson))
	await expect(bar).toContainText('Đã gửi 1 kết quả học đã lưu trên điện thoại', { timeout: 15_000 })
	const recorded = (await (await page.request.get(`/api/sync?course=${course.slug}`)).json()) as { attempts: unknown[] }
	expect(recorded.attempts).toHaveLength(1)
})

test('results kept on the phone when the server answers "signed out" offer sign-in, without telling them to wait for a signal', async ({ page, context }) => {
	test.setTimeout(60_000)
	const { bar, lesson } = await keptAndRefused(page, context, 'Lò Thị Đăng Nhập', 401, 'Hãy đăng nhập để gửi các kết quả này.')
	await expect(bar.getByRole('link', { name: 'Đăng nhập' })).toHaveAttribute('href', `/login?redirectTo=${encodeURIComponent(url(lesson))}`)
})
