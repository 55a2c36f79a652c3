import fs from 'node:fs'
import { expect, type Page, test } from '@playwright/test'
import { createLocalJWKSet, jwtVerify } from 'jose'

interface ManifestLesson { id: string; slug: string; title: Record<string, string>; quiz: Record<string, { id: string; options: { id: string; text: string; correct?: boolean }[] }[]> }
const manifest = JSON.parse(fs.readFileSync('.cache/content/manifest.json', 'utf8')) as { courses: { slug: string; title: Record<string, string>; lessons: ManifestLesson[] }[] }
const course = manifest.courses.find((c) => c.slug === 'scam-safety')!

async function answer(page: Page, lesson: ManifestLesson, right: boolean) {
	for (const q of lesson.quiz.vi!) {
		const option = q.options.find((o) => Boolean(o.correct) === right)!
		await page.locator(`input[name="answer.${q.id}"][value="${option.id}"]`).check()
	}
	await page.locator('.mdx-quiz button[type="submit"]').click()
}

test('a new resident enrols, learns every lesson (failing then passing a quiz), gets a certificate that verifies', async ({ page, context }) => {
	const phone = `03${String(Date.now()).slice(-8)}`
	await page.goto('/register')
	await page.getByLabel('Số điện thoại').fill(phone)
	await page.getByLabel('Họ và tên').fill('Cầm Thị Hoa')
	await page.getByLabel('Năm sinh').fill('1958')
	await page.getByLabel('Nữ').check()
	await page.getByLabel('Dân tộc').selectOption({ label: 'Thái' })
	await page.getByLabel('Xã, phường, đặc khu').selectOption({ label: 'Xã Thuận Châu' })
	await page.getByLabel('Mã PIN hoặc mật khẩu').fill('480317')
	await page.getByRole('button', { name: 'Đăng ký' }).click()
	await expect(page).toHaveURL(/\/me$/)

	await page.goto(`/courses/${course.slug}`)
	await page.getByRole('button', { name: 'Ghi danh học khoá này' }).click()
	await expect(page).toHaveURL(new RegExp(`/courses/${course.slug}/${course.lessons[0]!.slug}$`))

	for (const [i, lesson] of course.lessons.entries()) {
		await page.goto(`/courses/${course.slug}/${lesson.slug}`)
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(lesson.title.vi!)
		if (i === 0) {
			await answer(page, lesson, false)
			await expect(page.getByText('Chưa đạt.', { exact: false })).toBeVisible()
			await expect(page.locator('.quiz-explain.wrong').first()).toBeVisible()
		}
		await answer(page, lesson, true)
		await expect(page.getByText('Chúc mừng! Bạn đã qua bài kiểm tra.')).toBeVisible()
	}
	await page.getByRole('link', { name: 'Xem giấy chứng nhận' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Giấy chứng nhận hoàn thành')
	await expect(page.locator('.certificate-name')).toHaveText('Cầm Thị Hoa')
	await expect(page.locator('.certificate-course')).toContainText(course.title.vi!)
	await expect(page.locator('.certificate-qr svg')).toBeVisible()

	// The QR code's link: the public verification page, with the name masked.
	const verifyUrl = await page.locator('.certificate a[href*="/verify/"]').getAttribute('href')
	const visitor = await context.browser()!.newPage()
	await visitor.goto(verifyUrl!)
	await expect(visitor.getByText('✔ HỢP LỆ')).toBeVisible()
	await expect(visitor.getByText('Người được cấp: Cầm T. H***')).toBeVisible()
	await expect(visitor.getByText(`Khoá học: ${course.title.vi}`)).toBeVisible()
	await visitor.close()

	// My learning shows the finished course.
	await page.goto('/me')
	await expect(page.getByText('Đã hoàn thành')).toBeVisible()

	// The credential downloads.
	const download = page.waitForEvent('download')
	await page.goto(verifyUrl!.replace('/verify/', '/certificates/'))
	await page.getByRole('link', { name: 'Tải chứng chỉ số (Open Badges 3.0)' }).click()
	const file = await download
	expect(file.suggestedFilename()).toMatch(/^hocvuso-[A-Z0-9]{10}\.jwt$/)
	// A standard JOSE library verifies it against the published keys; one changed byte breaks it.
	const jwt = fs.readFileSync((await file.path())!, 'utf8').trim()
	const jwks = createLocalJWKSet(await (await page.request.get('/.well-known/jwks.json')).json())
	const { payload } = await jwtVerify(jwt, jwks)
	expect((payload.vc as { type: string[] }).type).toContain('OpenBadgeCredential')
	const [h, p, sig] = jwt.split('.') as [string, string, string]
	const bytes = Buffer.from(p, 'base64url')
	bytes[20] = bytes[20]! ^ 1
	await expect(jwtVerify(`${h}.${bytes.toString('base64url')}.${sig}`, jwks)).rejects.toThrow()
})

test('a sequential course keeps later lessons locked until the earlier ones are done', async ({ page }) => {
	// A resident who has done nothing yet, so the lock must show.
	await page.goto('/register')
	await page.getByLabel('Số điện thoại').fill(`03${String(Date.now() + 7).slice(-8)}`)
	await page.getByLabel('Họ và tên').fill('Lò Văn Khoá')
	await page.getByLabel('Năm sinh').fill('1966')
	await page.getByLabel('Nam', { exact: true }).check()
	await page.getByLabel('Dân tộc').selectOption({ label: 'Thái' })
	await page.getByLabel('Xã, phường, đặc khu').selectOption({ label: 'Xã Thuận Châu' })
	await page.getByLabel('Mã PIN hoặc mật khẩu').fill('480317')
	await page.getByRole('button', { name: 'Đăng ký' }).click()
	await expect(page).toHaveURL(/\/me$/)
	const vneid = manifest.courses.find((c) => c.slug === 'vneid')!
	await page.goto('/courses/vneid')
	await page.getByRole('button', { name: 'Ghi danh học khoá này' }).click()
	await page.goto(`/courses/vneid/${vneid.lessons[4]!.slug}`)
	await expect(page.getByText('Bài này sẽ mở khi bạn học xong các bài trước.')).toBeVisible()
	await expect(page.locator('.complete-form, .mdx-quiz button[type="submit"]').filter({ visible: true })).toHaveCount(0)
})
