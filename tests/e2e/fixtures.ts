import fs from 'node:fs'
import { type BrowserContext, expect, type Page, test as base } from '@playwright/test'
import { DEMO_LOGINS } from '../../prisma/seed/demo-logins.ts'
import { E2E_SESSIONS_FILE } from './server-data.ts'

export { DEMO_LOGINS, expect }
export type DemoLogin = keyof typeof DEMO_LOGINS

/**
 * Epic Stack's `login` fixture: signs a browser context in as a demo login by giving it a session
 * cookie directly, without the login form (home.test.ts and api-tokens.test.ts sign in through
 * the form, with and without JavaScript). `login(who)` signs in the test's own context;
 * `login(who, otherContext)` another one, for a second person in the same test.
 */
export const test = base.extend<{ login: (who: DemoLogin, context?: BrowserContext) => Promise<void> }>({
	login: async ({ context, baseURL }, use) => {
		await use(async (who, target = context) => {
			await target.addCookies([{ name: 'hvs_session', value: takeSession(who), url: baseURL!, httpOnly: true, sameSite: 'Lax' }])
		})
	},
})

/** A session cookie value nobody has used yet: taken out of the file, so a sign-out in one test ends no other. */
function takeSession(who: DemoLogin) {
	const sessions = JSON.parse(fs.readFileSync(E2E_SESSIONS_FILE, 'utf8')) as Record<DemoLogin, string[]>
	const token = sessions[who].shift()
	if (!token) throw new Error(`No session left for ${who}: raise PER_LOGIN in tests/e2e/mint-sessions.ts`)
	fs.writeFileSync(E2E_SESSIONS_FILE, JSON.stringify(sessions))
	return token
}

/**
 * The one sign-in through the real form, on the login page the browser is on: fills the phone and
 * PIN or password and submits. Tests that only need to be signed in use `login` instead.
 */
export async function signInWithForm(page: Page, phone: string, secret: string) {
	await page.getByLabel('Số điện thoại').fill(phone)
	await page.getByLabel('Mã PIN hoặc mật khẩu').fill(secret)
	await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click()
}

export interface ManifestLesson {
	id: string
	slug: string
	title: Record<string, string>
	quiz: Record<string, { id: string; options: { id: string; text: string; correct?: boolean }[] }[]>
}
export interface ManifestCourse {
	slug: string
	title: Record<string, string>
	lessons: ManifestLesson[]
}

/** A course of the compiled catalogue the server was built with (`npm run build`). */
export function courseBySlug(slug: string) {
	const manifest = JSON.parse(fs.readFileSync('.cache/content/manifest.json', 'utf8')) as { courses: ManifestCourse[] }
	return manifest.courses.find((c) => c.slug === slug)!
}

/** Ticks every answer of the lesson's quiz right (or wrong) and submits it. */
export async function answerQuiz(page: Page, lesson: ManifestLesson, right: boolean) {
	for (const q of lesson.quiz.vi!) {
		const option = q.options.find((o) => Boolean(o.correct) === right)!
		await page.locator(`input[name="answer.${q.id}"][value="${option.id}"]`).check()
	}
	await page.locator('.mdx-quiz button[type="submit"]').click()
}

let registered = 0
/**
 * A new resident of Xã Thuận Châu who registers through the form on their phone (a fresh phone
 * number, PIN 480317) and enrols in the course from its page, landing on its first lesson.
 */
export async function registerAndEnrol(
	page: Page,
	{ fullName, birthYear, sex = 'FEMALE', course }: { fullName: string; birthYear: number; sex?: 'FEMALE' | 'MALE'; course: ManifestCourse },
) {
	await page.goto('/register')
	// Two registrations in the same millisecond would share a number: a counter keeps them apart.
	await page.getByLabel('Số điện thoại').fill(`03${String(Date.now() + registered++).slice(-8)}`)
	await page.getByLabel('Họ và tên').fill(fullName)
	await page.getByLabel('Năm sinh').fill(String(birthYear))
	await (sex === 'FEMALE' ? page.getByLabel('Nữ') : page.getByLabel('Nam', { exact: true })).check()
	// The ethnic group is kept only with its own consent, and registering needs the notice agreed (ADR 018).
	await page.getByLabel('Dân tộc', { exact: true }).selectOption({ label: 'Thái' })
	await page.getByLabel('Tôi đồng ý để ghi dân tộc của tôi', { exact: false }).check()
	await page.getByLabel('Xã, phường, đặc khu').selectOption({ label: 'Xã Thuận Châu' })
	await page.getByLabel('Mã PIN hoặc mật khẩu').fill('480317')
	await page.getByLabel('Tôi đã đọc thông báo trên và đồng ý', { exact: false }).check()
	await page.getByRole('button', { name: 'Đăng ký' }).click()
	await expect(page).toHaveURL(/\/me\?welcome=1$/)
	await page.goto(`/courses/${course.slug}`)
	await page.getByRole('button', { name: 'Ghi danh học khoá này' }).click()
	await expect(page).toHaveURL(new RegExp(`/courses/${course.slug}/${course.lessons[0]!.slug}$`))
}
