import { type Page } from '@playwright/test'
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
	for (const lesson of course.lessons) {
		await page.goto(url(lesson))
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(lesson.title.vi!)
	}
	// A page that needs the network says so, in Vietnamese.
	await page.goto('/me')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('📵 Không có mạng')
	await expect(page.getByRole('link', { name: 'Dùng điện thoại thông minh' })).toBeVisible()

	// Offline: pass lessons 1 and 2 (each opens once the one before is done on the phone), fail lesson 3.
	const times: { before: number; after: number }[] = []
	for (const [i, right] of [true, true, false].entries()) {
		const lesson = course.lessons[i]!
		await page.goto(url(lesson))
		const before = Date.now()
		await answer(page, lesson, right)
		await expect(page.getByText('Bài làm đã lưu trên điện thoại, sẽ gửi khi có mạng.', { exact: false })).toBeVisible()
		times.push({ before, after: Date.now() })
		await expect(page.locator('#offline-status')).toContainText(`Có ${i + 1} kết quả học đã lưu trên điện thoại, sẽ gửi khi có mạng.`)
	}
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
	expect(delivered!.results.map((r) => r.ok)).toEqual([true, true, true])
	await page.reload()
	const bar = page.locator('#offline-status')
	await expect(bar).toContainText('Đã gửi 3 kết quả học khi không có mạng', { timeout: 15_000 })
	await expect(bar).toContainText(`«${course.lessons[0]!.title.vi}»: đúng 3/3 câu. Đạt`)
	await expect(bar).toContainText(`«${course.lessons[2]!.title.vi}»: đúng 0/3 câu. Chưa đạt`)
	expect(await page.evaluate(() => (window as unknown as { hvsOffline: { pending(): Promise<unknown[]> } }).hvsOffline.pending().then((p) => p.length))).toBe(0)

	// The server has exactly those: two completions and three attempts, each once, at the time they happened.
	const recorded = (await (await page.request.get(`/api/sync?course=${course.slug}`)).json()) as {
		completions: { lessonId: string; completedAt: string; source: string }[]
		attempts: { clientId: string; lessonId: string; occurredAt: string; receivedAt: string; passed: boolean }[]
	}
	expect(recorded.completions.map((c) => [c.lessonId, c.source])).toEqual([
		[course.lessons[0]!.id, 'OFFLINE'],
		[course.lessons[1]!.id, 'OFFLINE'],
	])
	expect(recorded.attempts.map((a) => [a.lessonId, a.passed])).toEqual([
		[course.lessons[0]!.id, true],
		[course.lessons[1]!.id, true],
		[course.lessons[2]!.id, false],
	])
	expect(new Set(recorded.attempts.map((a) => a.clientId)).size).toBe(3)
	for (const [i, a] of recorded.attempts.entries()) {
		const at = Date.parse(a.occurredAt)
		expect(at).toBeGreaterThanOrEqual(times[i]!.before)
		expect(at).toBeLessThanOrEqual(times[i]!.after)
		expect(Date.parse(a.receivedAt)).toBeGreaterThanOrEqual(reconnectedAt)
	}
	for (const [i, c] of recorded.completions.entries()) expect(c.completedAt).toBe(recorded.attempts[i]!.occurredAt)

	await page.goto(`/courses/${course.slug}`)
	await expect(page.getByText('Đã học xong 2/6 bài')).toBeVisible()
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
	await expect(bar).toContainText('Đã gửi 1 kết quả học khi không có mạng', { timeout: 15_000 })
	await expect(bar).toContainText(`«${first.title.vi}»: đúng 3/3 câu. Đạt`)
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
	await expect(bar).toContainText(`«${second.title.vi}»: đúng 3/3 câu. Đạt`, { timeout: 15_000 })
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
	await expect(bar).toContainText('Đã gửi 1 kết quả học khi không có mạng', { timeout: 15_000 })
	await expect(bar).toContainText(`«${lesson.title.vi}»: đúng 3/3 câu. Đạt`)
	const recorded = (await (await page.request.get(`/api/sync?course=${course.slug}`)).json()) as { completions: { lessonId: string }[]; attempts: unknown[] }
	expect(recorded.completions.map((c) => c.lessonId)).toEqual([lesson.id])
	expect(recorded.attempts).toHaveLength(1)
})
