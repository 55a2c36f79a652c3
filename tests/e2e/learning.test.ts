import fs from 'node:fs'
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { answerQuiz as answer, courseBySlug, expect, registerAndEnrol, test } from './fixtures.ts'

const course = courseBySlug('scam-safety')

test('a new resident enrols, learns every lesson (failing then passing a quiz), gets a certificate that verifies, until it is revoked', async ({
	page,
	context,
	login,
}) => {
	await registerAndEnrol(page, { fullName: 'Cầm Thị Hoa', birthYear: 1958, course })

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
	// It fits the 360 px phone: the long verification address wraps inside the frame (issue #20).
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)

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
	// Read aloud once: the words of the course's progress, not its bar again.
	expect((await page.locator('.my-learning').ariaSnapshot()).match(/Đã học 5\/5 bài/g)).toHaveLength(1)

	// The credential downloads.
	const download = page.waitForEvent('download')
	await page.goto(verifyUrl!.replace('/verify/', '/certificates/'))
	await page.getByRole('link', { name: 'Tải tệp chứng chỉ số (dành cho nhà tuyển dụng)' }).click()
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

	// Its revocation status as a W3C verifier reads it (ADR 016): the list it names, fetched without a
	// session, signed with the same keys, read by Digital Bazaar's Bitstring Status List library.
	const revoked = async () => {
		const verifier = await context.browser()!.newContext()
		const result = await checkStatus({
			credential: payload,
			documentLoader: async (url) => {
				const res = await verifier.request.get(url)
				expect(res.status()).toBe(200)
				expect(res.headers()['cache-control']).toBe('public, max-age=300')
				return { document: (await jwtVerify(await res.text(), jwks)).payload }
			},
			verifyBitstringStatusListCredential: false,
		})
		await verifier.close()
		expect(result.verified).toBe(true)
		return result.results![0]!.status
	}
	expect(await revoked()).toBe(false)

	// The province officer revokes it.
	const code = verifyUrl!.split('/verify/')[1]!
	const office = await context.browser()!.newContext()
	await login('provinceOfficer', office)
	const officer = await office.newPage()
	await officer.goto('/province/certificates')
	await officer.getByLabel('Mã xác minh').fill(code)
	await officer.getByLabel('Lý do thu hồi (hiện công khai)').selectOption({ label: 'Cấp nhầm' })
	await officer.getByRole('button', { name: 'Thu hồi', exact: true }).click()
	await expect(officer.locator('.notice')).toContainText(`Đã thu hồi giấy chứng nhận mã ${code}`)
	await office.close()

	// The file downloaded before now reads revoked; the owner is told, and cannot download it again.
	expect(await revoked()).toBe(true)
	await page.reload()
	await expect(page.getByText('Giấy chứng nhận đã bị thu hồi nên không tải được chứng chỉ số.')).toBeVisible()
	await expect(page.getByRole('link', { name: 'Tải tệp chứng chỉ số (dành cho nhà tuyển dụng)' })).toHaveCount(0)
	const again = await page.request.get(`/certificates/${code}/credential`)
	expect(again.status()).toBe(410)
	expect(await again.text()).toContain('đã bị thu hồi ngày')
	expect(await again.text()).toContain('(lý do: Cấp nhầm)')
})

test('a sequential course keeps later lessons locked until the earlier ones are done', async ({ page }) => {
	// A resident who has done nothing yet, so the lock must show.
	const vneid = courseBySlug('vneid')
	await registerAndEnrol(page, { fullName: 'Lò Văn Khoá', birthYear: 1966, sex: 'MALE', course: vneid })
	await page.goto(`/courses/vneid/${vneid.lessons[4]!.slug}`)
	await expect(page.getByText('Bài này sẽ mở khi bạn học xong các bài trước.')).toBeVisible()
	await expect(page.locator('.complete-form, .mdx-quiz button[type="submit"]').filter({ visible: true })).toHaveCount(0)
})
