import { gzipSync } from 'node:zlib'
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { shuffled } from '#app/kernel/quiz.ts'
import { Client, createDatabase, dropDatabase, type Instance, startInstance } from './harness.ts'

// The built server's signed-in lesson pages assembled from a cached render (server/learner-cache.ts,
// ADR 032), against the same server with LEARNER_CACHE=0 (every page rendered by Remix) on the
// same database: the same page for the same learner (modulo nonce, client id and the quiz's
// per-attempt option order), never another learner's data, and a session that ends is ended on the
// very next request.
const db = `hvs_sys_learner_cache_${process.pid}`
let cached: Instance
let remix: Instance
let url: string
type Modules = {
	prisma: typeof import('#app/utils/db.server.ts').prisma
	closeDb: typeof import('#app/utils/db.server.ts').closeDb
	registerResident: typeof import('#app/modules/people/people.server.ts').registerResident
	enrolResident: typeof import('#app/modules/progress/progress.server.ts').enrolResident
	createSession: typeof import('#app/utils/session.server.ts').createSession
	serializeSessionCookie: typeof import('#app/utils/session.server.ts').serializeSessionCookie
	issueSetupCode: typeof import('#app/modules/people/setup-code.server.ts').issueSetupCode
	hashSecret: typeof import('#app/utils/password.server.ts').hashSecret
}
let m: Modules

type Lesson = { id: string; slug: string; quiz: Record<string, { id: string; options: { id: string; correct?: boolean }[] }[]> }
const manifest = () => JSON.parse(fs.readFileSync('.cache/content/manifest.json', 'utf8')) as { courses: { id: string; slug: string; lessons: Lesson[] }[] }
const smartphone = () => manifest().courses.find((c) => c.slug === 'smartphone')!
const lessonPath = (slug: string) => `/courses/smartphone/${slug}`

beforeAll(async () => {
	url = await createDatabase(db)
	// Both instances migrate the same database; the second waits for the first.
	cached = await startInstance({ port: 3861, databaseUrl: url, id: 'cached' })
	remix = await startInstance({ port: 3862, databaseUrl: url, id: 'remix', env: { LEARNER_CACHE: '0' } })
	process.env.DATABASE_URL = url
	process.env.SEED_DEMO = '0'
	const dbModule = await import('#app/utils/db.server.ts')
	const session = await import('#app/utils/session.server.ts')
	m = {
		prisma: dbModule.prisma,
		closeDb: dbModule.closeDb,
		registerResident: (await import('#app/modules/people/people.server.ts')).registerResident,
		enrolResident: (await import('#app/modules/progress/progress.server.ts')).enrolResident,
		createSession: session.createSession,
		serializeSessionCookie: session.serializeSessionCookie,
		issueSetupCode: (await import('#app/modules/people/setup-code.server.ts')).issueSetupCode,
		hashSecret: (await import('#app/utils/password.server.ts')).hashSecret,
	}
})

afterAll(async () => {
	await cached?.stop()
	await remix?.stop()
	await m?.closeDb()
	await dropDatabase(db)
})

let phones = 0
/** A resident (optionally enrolled in the smartphone course) with a signed-in client on each instance, sharing one session. */
async function resident({ enrolled = true, lng, fullName = 'Người Thử Trang' }: { enrolled?: boolean; lng?: 'vi' | 'en'; fullName?: string } = {}) {
	const { id } = await m.registerResident({
		phone: `0339${String(900_000 + phones++).padStart(6, '0')}`,
		profile: {
			fullName,
			birthYear: 1960,
			sex: 'FEMALE',
			ethnicGroup: '01',
			learnerGroup: 'RESIDENT',
			provinceCode: '14',
			communeCode: '03646',
		},
		passwordHash: { kind: 'PIN', hash: await m.hashSecret('480317') },
		via: 'SEED',
	})
	if (enrolled) await m.enrolResident({ userId: id, courseId: smartphone().id })
	return { id, ...(await clients(id, lng)) }
}

async function clients(userId: string, lng?: 'vi' | 'en') {
	const { token } = await m.createSession(userId)
	const cookie = (await m.serializeSessionCookie(token)).split(';')[0]!
	const make = (instance: Instance) => {
		const client = new Client(`http://127.0.0.1:${instance.port}`)
		const [name, value] = cookie.split('=')
		client.cookies.set(name!, value!)
		if (lng) client.cookies.set('lng', lng === 'en' ? 'ImVuIg%3D%3D' : 'InZpIg%3D%3D')
		return client
	}
	return { fast: make(cached), slow: make(remix), token }
}

async function page(client: Client, path: string) {
	const response = await client.request(path)
	return {
		status: response.status,
		cache: response.headers.get('x-learner-cache'),
		encoding: response.headers.get('content-encoding'),
		/** Bytes on the wire (the compressed page). */
		bytes: Number(response.headers.get('content-length')),
		csp: response.headers.get('content-security-policy') ?? '',
		body: await response.text(),
	}
}

/** The page with its nonce, client ids and the quiz's option order (shuffled per client id) made neutral. */
function normalised({ body, csp }: { body: string; csp: string }) {
	const nonce = /'nonce-([^']+)'/.exec(csp)![1]!
	let out = body.replaceAll(nonce, 'NONCE')
	for (const id of new Set([...body.matchAll(/name="clientId" value="([^"]+)"/g)].map((x) => x[1]!))) out = out.replaceAll(id, 'CLIENT-ID')
	return out.replace(/<fieldset class="quiz-question">[\s\S]*?<\/fieldset>/g, (fieldset) => {
		const labels = (fieldset.match(/<label>[\s\S]*?<\/label>/g) ?? []).sort()
		let i = 0
		return fieldset.replace(/<label>[\s\S]*?<\/label>/g, () => labels[i++]!)
	})
}

const outboxUser = (body: string) => /data-user="([^"]*)"/.exec(body)?.[1]
const completedOf = (body: string) => /data-completed="([^"]*)"/.exec(body)?.[1] ?? null

/** Passes a lesson's quiz in place, as the phone's script does. */
async function pass(client: Client, lesson: Lesson) {
	const answers = Object.fromEntries(lesson.quiz.vi!.map((q) => [q.id, q.options.find((o) => o.correct)!.id]))
	const response = await client.request('/api/quiz', { json: { lessonId: lesson.id, clientId: crypto.randomUUID(), answers } })
	expect(((await response.json()) as { passed: boolean }).passed).toBe(true)
}

describe('the page is the one Remix renders for the same learner', () => {
	test.each([
		['enrolled, a lesson done', { enrolled: true, passed: 1, lesson: 0, lng: undefined }],
		['enrolled, the lesson open and not done', { enrolled: true, passed: 1, lesson: 1, lng: undefined }],
		['enrolled, the lesson locked', { enrolled: true, passed: 1, lesson: 3, lng: undefined }],
		['not enrolled', { enrolled: false, passed: 0, lesson: 2, lng: undefined }],
		['enrolled, in English', { enrolled: true, passed: 2, lesson: 1, lng: 'en' as const }],
	])('%s', async (_name, { enrolled, passed, lesson, lng }) => {
		const learner = await resident({ enrolled, lng })
		const lessons = smartphone().lessons
		for (const l of lessons.slice(0, passed)) await pass(learner.fast, l)
		const path = lessonPath(lessons[lesson]!.slug)
		// The first view of an open lesson records its opening (Remix); after it the page is assembled.
		const views = [await page(learner.fast, path), await page(learner.fast, path), await page(learner.fast, path)]
		const reference = await page(learner.slow, path)
		expect(reference.cache).toBeNull()
		expect(views.at(-1)!.cache).toBe('hit')
		for (const view of [...views, reference]) expect(view.status).toBe(200)
		for (const view of views) expect(normalised(view)).toBe(normalised(reference))
		expect(outboxUser(views.at(-1)!.body)).toBe(learner.id)
		expect(completedOf(views.at(-1)!.body)).toBe(
			enrolled
				? lessons
						.slice(0, passed)
						.map((l) => l.id)
						.join(' ')
				: null,
		)
		// Nothing of the Remix client runtime: learner pages do not hydrate.
		expect(views.at(-1)!.body).not.toMatch(/__remixContext|entry\.client|<script type="module"/)
	})
})

test('two learners interleaved on one lesson each see only their own progress; a visitor sees no learner', async () => {
	const a = await resident()
	const b = await resident()
	const lessons = smartphone().lessons
	await pass(a.fast, lessons[0]!)
	await pass(a.fast, lessons[1]!)
	await pass(b.fast, lessons[0]!)
	const path = lessonPath(lessons[0]!.slug)
	await page(a.fast, path)
	await page(b.fast, path)
	for (let i = 0; i < 4; i++) {
		const [pa, pb, visitor] = [await page(a.fast, path), await page(b.fast, path), await page(new Client(`http://127.0.0.1:${cached.port}`), path)]
		expect([pa.cache, pb.cache]).toEqual(['hit', 'hit'])
		// Assembled as gzip (stored parts compressed once, this view's slots now), decoded by fetch.
		expect([pa.encoding, pb.encoding]).toEqual(['gzip', 'gzip'])
		// Close to the page gzipped whole: the stored parts refer back to the page before them (ADR 032's
		// later note: 11–12 % above; compressed apart it was 27 %, with the slots after the quiz compressed apart 20 %; a phone on weak 3G pays for every byte).
		for (const p of [pa, pb]) expect(p.bytes).toBeLessThan(gzipSync(p.body).length * 1.15)
		expect(outboxUser(pa.body)).toBe(a.id)
		expect(outboxUser(pb.body)).toBe(b.id)
		expect(completedOf(pa.body)).toBe(`${lessons[0]!.id} ${lessons[1]!.id}`)
		expect(completedOf(pb.body)).toBe(lessons[0]!.id)
		expect(pa.body).not.toContain(b.id)
		expect(pb.body).not.toContain(a.id)
		expect(outboxUser(visitor.body)).toBe('')
		expect(visitor.body).not.toContain(a.id)
		expect(visitor.body).not.toContain(b.id)
		expect(visitor.body).toContain('href="/login"')
		expect(pa.body).toContain('href="/me"')
	}
})

test('every view gets a fresh nonce (matching its CSP header) and client id, and its own quiz order', async () => {
	const learner = await resident()
	const path = lessonPath(smartphone().lessons[0]!.slug)
	await page(learner.fast, path)
	const views = []
	for (let i = 0; i < 6; i++) views.push(await page(learner.fast, path))
	const nonces = views.map((v) => /'nonce-([^']+)'/.exec(v.csp)![1]!)
	for (const [i, v] of views.entries()) for (const n of v.body.matchAll(/nonce="([^"]*)"/g)) expect(n[1]).toBe(nonces[i])
	expect(new Set(nonces).size).toBe(6)
	const ids = views.map((v) => [...new Set([...v.body.matchAll(/name="clientId" value="([^"]+)"/g)].map((x) => x[1]))])
	for (const i of ids) expect(i).toHaveLength(1)
	expect(new Set(ids.flat()).size).toBe(6)
	const orders = views.map((v) => [...v.body.matchAll(/name="answer\.[^"]+"[^>]*value="([^"]+)"/g)].map((x) => x[1]).join(' '))
	expect(new Set(orders).size).toBeGreaterThan(1)
	// Each view's order is the one its client id seeds, as the form's own render would give it.
	const quiz = smartphone().lessons[0]!.quiz.vi!
	for (const i of views.keys()) expect(orders[i]).toBe(quiz.flatMap((q) => shuffled(q.options, `${ids[i]![0]}:${q.id}`).map((o) => o.id)).join(' '))
})

describe.each([
	['a lesson page', () => lessonPath(smartphone().lessons[0]!.slug)],
	['the course page', () => '/courses/smartphone'],
	['the catalogue', () => '/courses'],
	['the home page', () => '/'],
])('a session that ends is ended on the very next request: %s', (_page, path) => {
	const visitorPage = (view: Awaited<ReturnType<typeof page>>) => {
		expect(view.status).toBe(200)
		expect(view.cache).toBeNull()
		expect(outboxUser(view.body)).toBe('')
		expect(view.body).toContain('href="/login"')
	}

	test('signing out', async () => {
		const learner = await resident()
		await page(learner.fast, path())
		expect((await page(learner.fast, path())).cache).toBe('hit')
		const cookie = learner.fast.cookies.get('hvs_session')!
		expect((await learner.fast.request('/logout', { form: {} })).status).toBe(302)
		// The old cookie, sent again (a second tab, a copy kept by someone else).
		learner.fast.cookies.set('hvs_session', cookie)
		visitorPage(await page(learner.fast, path()))
	})

	test('"sign out everywhere" ends the other phone’s session', async () => {
		const learner = await resident()
		const other = await clients(learner.id)
		await page(other.fast, path())
		expect((await page(other.fast, path())).cache).toBe('hit')
		expect((await learner.fast.request('/logout', { form: { everywhere: '1' } })).status).toBe(302)
		visitorPage(await page(other.fast, path()))
	})

	test('a PIN reset by staff', async () => {
		const learner = await resident()
		await page(learner.fast, path())
		expect((await page(learner.fast, path())).cache).toBe('hit')
		const staff = await m.prisma.user.create({
			data: { phone: `0912${String(900_000 + phones++)}`, fullName: 'Cán Bộ Thử', communeCode: '03646', provinceCode: '14' },
		})
		await m.issueSetupCode({ userId: learner.id, purpose: 'RESET', createdById: staff.id })
		visitorPage(await page(learner.fast, path()))
	})

	test('an expired session is a visitor, and is deleted', async () => {
		const learner = await resident()
		await page(learner.fast, path())
		await m.prisma.session.updateMany({ where: { userId: learner.id }, data: { expiresAt: new Date(Date.now() - 1000) } })
		visitorPage(await page(learner.fast, path()))
		expect(await m.prisma.session.count({ where: { userId: learner.id } })).toBe(0)
	})
})

test('a learner whose consent is for an older notice is sent to the notice, not served the assembled page', async () => {
	const learner = await resident()
	const path = lessonPath(smartphone().lessons[0]!.slug)
	await page(learner.fast, path)
	expect((await page(learner.fast, path)).cache).toBe('hit')
	// The notice changed since they agreed (their consent names another version).
	await m.prisma.consent.updateMany({ where: { userId: learner.id, purpose: 'LEARNING' }, data: { noticeVersion: '2000-01-01' } })
	const response = await learner.fast.request(path)
	expect(response.status).toBe(302)
	expect(response.headers.get('x-learner-cache')).toBeNull()
	expect(response.headers.get('location')).toMatch(/^\/me\/notice\?redirectTo=/)
})

test('a session due to slide goes to Remix, which moves its expiry; then the page is assembled again', async () => {
	const learner = await resident()
	const path = lessonPath(smartphone().lessons[0]!.slug)
	await page(learner.fast, path)
	const soon = new Date(Date.now() + 10 * 86_400_000)
	await m.prisma.session.updateMany({ where: { userId: learner.id }, data: { expiresAt: soon } })
	const slid = await page(learner.fast, path)
	expect(slid.cache).toBeNull()
	expect(outboxUser(slid.body)).toBe(learner.id)
	const [session] = await m.prisma.session.findMany({ where: { userId: learner.id }, select: { expiresAt: true } })
	expect(session!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000)
	expect((await page(learner.fast, path)).cache).toBe('hit')
})

test('the first view of a lesson is assembled too, records its opening once, and is the page Remix gives a first view; staff never take the assembled path', async () => {
	const learner = await resident()
	const other = await resident()
	const lesson = smartphone().lessons[0]!
	const where = (userId: string) => ({ where: { userId, lessonId: lesson.id } })
	const first = await page(learner.fast, lessonPath(lesson.slug))
	expect(first.status).toBe(200)
	expect(first.cache).toMatch(/^(hit|miss)$/)
	expect(await m.prisma.lessonProgress.count(where(learner.id))).toBe(1)
	// Remix's first view of the same lesson by a learner in the same state: the same page.
	const remixFirst = await page(other.slow, lessonPath(lesson.slug))
	expect(remixFirst.cache).toBeNull()
	expect(await m.prisma.lessonProgress.count(where(other.id))).toBe(1)
	expect(normalised(first).replaceAll(learner.id, 'USER')).toBe(normalised(remixFirst).replaceAll(other.id, 'USER'))
	// Opened once, however often and from wherever it is viewed again; the opening is the same row.
	const opened = await m.prisma.lessonProgress.findFirstOrThrow(where(learner.id))
	await Promise.all([page(learner.fast, lessonPath(lesson.slug)), page(learner.fast, lessonPath(lesson.slug)), page(learner.slow, lessonPath(lesson.slug))])
	expect(await m.prisma.lessonProgress.findMany(where(learner.id))).toEqual([opened])
	expect((await page(learner.fast, lessonPath(lesson.slug))).cache).toBe('hit')
	// Two first views at once (a double tap): one opening.
	const third = await resident()
	await Promise.all([page(third.fast, lessonPath(lesson.slug)), page(third.fast, lessonPath(lesson.slug))])
	expect(await m.prisma.lessonProgress.count(where(third.id))).toBe(1)

	const officer = await resident({ enrolled: false })
	await m.prisma.roleAssignment.create({ data: { userId: officer.id, role: 'COMMUNE_STAFF', communeCode: '03646', provinceCode: '14' } })
	// Appointed staff read the staff notice first (ADR 028); then they see the lesson, through Remix.
	const { NOTICE_VERSION } = await import('#app/kernel/privacy.ts')
	await m.prisma.consent.create({ data: { userId: officer.id, purpose: 'STAFF', noticeVersion: NOTICE_VERSION, channel: 'SEED' } })
	for (let i = 0; i < 2; i++) {
		const view = await page(officer.fast, lessonPath(lesson.slug))
		expect(view.status).toBe(200)
		expect(view.cache).toBeNull()
		expect(view.body).toContain('href="/staff"')
	}
})

/** A commune staff member who has read the staff notice (ADR 028), signed in on both instances. */
async function communeStaff() {
	const officer = await resident({ enrolled: false })
	await m.prisma.roleAssignment.create({ data: { userId: officer.id, role: 'COMMUNE_STAFF', communeCode: '03646', provinceCode: '14' } })
	const { NOTICE_VERSION } = await import('#app/kernel/privacy.ts')
	await m.prisma.consent.create({ data: { userId: officer.id, purpose: 'STAFF', noticeVersion: NOTICE_VERSION, channel: 'SEED' } })
	return officer
}

/** Two views of `path` by the learner, the second assembled; both equal to Remix's page for them. The last one. */
async function assembledAsRemix(learner: Awaited<ReturnType<typeof resident>>, path: string) {
	const views = [await page(learner.fast, path), await page(learner.fast, path)]
	const reference = await page(learner.slow, path)
	expect(reference.cache).toBeNull()
	expect(views.at(-1)!.cache).toBe('hit')
	for (const view of [...views, reference]) expect(view.status).toBe(200)
	for (const view of views) expect(normalised(view)).toBe(normalised(reference))
	expect(outboxUser(views.at(-1)!.body)).toBe(learner.id)
	return views.at(-1)!
}

const certificateOf = async (userId: string) =>
	(await m.prisma.certificate.findFirstOrThrow({ where: { enrolment: { userId, courseId: smartphone().id } }, select: { code: true } })).code

describe('the course page is assembled too, and is the one Remix renders for the same learner', () => {
	test.each([
		['not enrolled', { enrolled: false, passed: 0, lng: undefined }],
		['enrolled, nothing done', { enrolled: true, passed: 0, lng: undefined }],
		['enrolled, two lessons done', { enrolled: true, passed: 2, lng: undefined }],
		['every lesson done: the certificate', { enrolled: true, passed: Number.POSITIVE_INFINITY, lng: undefined }],
		['enrolled, in English', { enrolled: true, passed: 1, lng: 'en' as const }],
	])('%s', async (_name, { enrolled, passed, lng }) => {
		const learner = await resident({ enrolled, lng })
		for (const l of smartphone().lessons.slice(0, passed)) await pass(learner.fast, l)
		const last = await assembledAsRemix(learner, '/courses/smartphone')
		if (passed === Number.POSITIVE_INFINITY) expect(last.body).toContain(`href="/certificates/${await certificateOf(learner.id)}"`)
		else expect(last.body).not.toContain('/certificates/')
		expect(last.body).not.toMatch(/__remixContext|entry\.client|<script type="module"/)
	})

	test('learners interleaved on the course page each see only their own progress and certificate; a visitor sees no learner', async () => {
		const [a, b, c] = [await resident(), await resident(), await resident()]
		for (const l of smartphone().lessons) {
			await pass(a.fast, l)
			await pass(b.fast, l)
		}
		await pass(c.fast, smartphone().lessons[0]!)
		const [codeA, codeB] = [await certificateOf(a.id), await certificateOf(b.id)]
		expect(codeA).not.toBe(codeB)
		const path = '/courses/smartphone'
		for (const learner of [a, b, c]) await page(learner.fast, path)
		for (let i = 0; i < 3; i++) {
			const [pa, pb, pc, visitor] = [
				await page(a.fast, path),
				await page(b.fast, path),
				await page(c.fast, path),
				await page(new Client(`http://127.0.0.1:${cached.port}`), path),
			]
			expect([pa.cache, pb.cache, pc.cache]).toEqual(['hit', 'hit', 'hit'])
			expect(pa.body).toContain(`/certificates/${codeA}`)
			expect(pb.body).toContain(`/certificates/${codeB}`)
			expect(pa.body).not.toContain(codeB)
			expect(pb.body).not.toContain(codeA)
			expect(pc.body).not.toContain('/certificates/')
			expect([outboxUser(pa.body), outboxUser(pb.body), outboxUser(pc.body)]).toEqual([a.id, b.id, c.id])
			for (const [view, others] of [
				[pa, [b.id, c.id]],
				[pb, [a.id, c.id]],
				[pc, [a.id, b.id]],
			] as const)
				for (const id of others) expect(view.body).not.toContain(id)
			expect(outboxUser(visitor.body)).toBe('')
			for (const id of [a.id, b.id, c.id, codeA, codeB]) expect(visitor.body).not.toContain(id)
		}
		// A lesson passed elsewhere (the other instance, Remix) shows on the very next view of the course page.
		const before = await page(c.fast, path)
		await pass(c.slow, smartphone().lessons[1]!)
		const after = await page(c.fast, path)
		expect(after.cache).toMatch(/^(hit|miss)$/)
		expect(normalised(after)).toBe(normalised(await page(c.slow, path)))
		expect(normalised(after)).not.toBe(normalised(before))
	})
})

describe('the catalogue is assembled too, and is the one Remix renders for the same learner', () => {
	const courseId = (slug: string) => manifest().courses.find((c) => c.slug === slug)!.id
	test.each([
		['enrolled in nothing', { courses: [] as string[], passed: 0, lng: undefined }],
		['enrolled in one course, nothing done', { courses: ['smartphone'], passed: 0, lng: undefined }],
		['two courses, two lessons done in one', { courses: ['smartphone', 'vneid'], passed: 2, lng: undefined }],
		['a course done', { courses: ['smartphone', 'vneid'], passed: Number.POSITIVE_INFINITY, lng: undefined }],
		['two courses, in English', { courses: ['smartphone', 'vneid'], passed: 1, lng: 'en' as const }],
	])('%s', async (_name, { courses, passed, lng }) => {
		const learner = await resident({ enrolled: false, lng })
		for (const slug of courses) await m.enrolResident({ userId: learner.id, courseId: courseId(slug) })
		for (const l of smartphone().lessons.slice(0, passed)) await pass(learner.fast, l)
		const last = await assembledAsRemix(learner, '/courses')
		expect(last.body.match(/class="progress-line"/g)?.length ?? 0).toBe(courses.length)
		expect(last.body).not.toMatch(/__remixContext|entry\.client|<script type="module"/)
	})

	test('learners interleaved on the catalogue each see only their own progress; a change made elsewhere shows on the very next view', async () => {
		const [a, b] = [await resident(), await resident()]
		await pass(a.fast, smartphone().lessons[0]!)
		await pass(a.fast, smartphone().lessons[1]!)
		for (const learner of [a, b]) await page(learner.fast, '/courses')
		for (let i = 0; i < 3; i++) {
			const [pa, pb, visitor] = [
				await page(a.fast, '/courses'),
				await page(b.fast, '/courses'),
				await page(new Client(`http://127.0.0.1:${cached.port}`), '/courses'),
			]
			expect([pa.cache, pb.cache]).toEqual(['hit', 'hit'])
			expect(normalised(pa)).toBe(normalised(await page(a.slow, '/courses')))
			expect(normalised(pb)).toBe(normalised(await page(b.slow, '/courses')))
			expect([outboxUser(pa.body), outboxUser(pb.body)]).toEqual([a.id, b.id])
			expect(pa.body).not.toContain(b.id)
			expect(pb.body).not.toContain(a.id)
			expect(normalised(pa)).not.toBe(normalised(pb))
			expect(outboxUser(visitor.body)).toBe('')
			expect(visitor.body).not.toContain('class="progress-line"')
		}
		// Enrolled and a lesson passed on the other instance (Remix): the next view shows both.
		await m.enrolResident({ userId: b.id, courseId: courseId('vneid') })
		await pass(b.slow, smartphone().lessons[0]!)
		const after = await page(b.fast, '/courses')
		expect(normalised(after)).toBe(normalised(await page(b.slow, '/courses')))
		expect(after.body.match(/class="progress-line"/g)?.length).toBe(2)
	})
})

describe('the home page is assembled too: the learner greeted by name, "Học tiếp" to their own next lesson', () => {
	test.each([
		['enrolled in nothing', { enrolled: false, passed: 0, lng: undefined }],
		['enrolled, nothing done', { enrolled: true, passed: 0, lng: undefined }],
		['two lessons done', { enrolled: true, passed: 2, lng: undefined }],
		['the course done', { enrolled: true, passed: Number.POSITIVE_INFINITY, lng: undefined }],
		['in English', { enrolled: true, passed: 1, lng: 'en' as const }],
	])('%s', async (_name, { enrolled, passed, lng }) => {
		const learner = await resident({ enrolled, lng, fullName: `Lường Thị Tên ${phones}` })
		for (const l of smartphone().lessons.slice(0, passed)) await pass(learner.fast, l)
		const last = await assembledAsRemix(learner, '/')
		expect(last.body).toContain(`Lường Thị Tên ${phones - 1}`)
		expect(last.body).not.toMatch(/__remixContext|entry\.client|<script type="module"/)
	})

	test('learners interleaved each see their own name and next lesson; names React escapes, and a name that is also other text of the page, are right', async () => {
		const names = ['Lò Văn Xôm', 'Đinh "Thị" <Hoa> & O\'Neil', 'Học', 'Khoá học']
		const learners = []
		for (const fullName of names) learners.push(await resident({ fullName }))
		await pass(learners[0]!.fast, smartphone().lessons[0]!)
		for (const learner of learners) await page(learner.fast, '/')
		for (let i = 0; i < 3; i++) {
			for (const [j, learner] of learners.entries()) {
				const view = await page(learner.fast, '/')
				const reference = await page(learner.slow, '/')
				expect(normalised(view), names[j]).toBe(normalised(reference))
				expect(outboxUser(view.body)).toBe(learner.id)
				for (const other of learners) if (other !== learner) expect(view.body).not.toContain(other.id)
			}
		}
		// The two plain names are assembled; the escaped one too (it is found once, as React wrote it).
		for (const learner of learners.slice(0, 3)) expect((await page(learner.fast, '/')).cache).toBe('hit')
		const [xom, hoa] = [await page(learners[0]!.fast, '/'), await page(learners[1]!.fast, '/')]
		expect(xom.body).toContain('Lò Văn Xôm')
		expect(xom.body).not.toContain('Hoa')
		expect(hoa.body).toContain('Đinh &quot;Thị&quot; &lt;Hoa&gt; &amp; O&#x27;Neil')
		// A lesson passed on the other instance moves "Học tiếp" on the very next view.
		await pass(learners[1]!.slow, smartphone().lessons[0]!)
		const moved = await page(learners[1]!.fast, '/')
		expect(normalised(moved)).toBe(normalised(await page(learners[1]!.slow, '/')))
		expect(normalised(moved)).not.toBe(normalised(hoa))
	})
})

describe.each([
	['the home page', '/'],
	['the catalogue', '/courses'],
	['the course page', '/courses/smartphone'],
])('%s is never assembled for', (_page, path) => {
	test('staff (they see it through Remix, with their workspace)', async () => {
		const officer = await communeStaff()
		for (let i = 0; i < 2; i++) {
			const view = await page(officer.fast, path)
			expect(view.status).toBe(200)
			expect(view.cache).toBeNull()
			expect(view.body).toContain('href="/staff"')
		}
	})

	test('a learner who has not agreed to the current notice (sent to it)', async () => {
		const learner = await resident()
		await page(learner.fast, path)
		expect((await page(learner.fast, path)).cache).toBe('hit')
		await m.prisma.consent.updateMany({ where: { userId: learner.id, purpose: 'LEARNING' }, data: { noticeVersion: '2000-01-01' } })
		const response = await learner.fast.request(path)
		expect(response.status).toBe(302)
		expect(response.headers.get('x-learner-cache')).toBeNull()
		expect(response.headers.get('location')).toMatch(/^\/me\/notice(?:\?redirectTo=|$)/)
	})
})

test('the no-JavaScript quiz form of an assembled page posts and records', async () => {
	const learner = await resident()
	const lesson = smartphone().lessons[0]!
	const path = lessonPath(lesson.slug)
	await page(learner.fast, path)
	const view = await page(learner.fast, path)
	expect(view.cache).toBe('hit')
	const clientId = /name="clientId" value="([^"]+)"/.exec(view.body)![1]!
	const form: Record<string, string> = { intent: 'submit-quiz', clientId }
	for (const q of lesson.quiz.vi!) form[`answer.${q.id}`] = q.options.find((o) => o.correct)!.id
	// Recorded: 303 to the lesson naming the attempt (ADR 033), whose page shows the reviewed answers.
	const posted = await learner.fast.request(path, { form })
	expect(posted.status).toBe(303)
	const location = new URL(posted.headers.get('location')!, 'http://localhost')
	expect(location.pathname).toBe(path)
	const shown = await page(learner.fast, location.pathname + location.search)
	expect(shown.status).toBe(200)
	expect(shown.body).toContain('class="quiz-review"')
	const after = await page(learner.fast, path)
	expect(completedOf(after.body)).toBe(lesson.id)
	expect(await m.prisma.lessonProgress.count({ where: { userId: learner.id, lessonId: lesson.id, completedAt: { not: null } } })).toBe(1)
})

test('the page of the quiz that completed the course (?quiz=) is assembled too, its certificate link in the quiz section, and is the one Remix renders', async () => {
	const learner = await resident()
	const lessons = smartphone().lessons
	for (const l of lessons.slice(0, -1)) await pass(learner.fast, l)
	const last = lessons.at(-1)!
	await page(learner.fast, lessonPath(last.slug))
	const clientId = crypto.randomUUID()
	const form: Record<string, string> = { intent: 'submit-quiz', clientId }
	for (const q of last.quiz.vi!) form[`answer.${q.id}`] = q.options.find((o) => o.correct)!.id
	expect((await learner.fast.request(lessonPath(last.slug), { form })).status).toBe(303)
	const code = await certificateOf(learner.id)
	const target = `${lessonPath(last.slug)}?quiz=${clientId}`
	const views = [await page(learner.fast, target), await page(learner.fast, target)]
	const reference = await page(learner.slow, target)
	expect(views.at(-1)!.cache).toBe('hit')
	for (const view of views) expect(normalised(view)).toBe(normalised(reference))
	expect(reference.body).toContain(`/certificates/${code}`)
})

test('the page a full-page quiz post sends to (?quiz=) is assembled, is the one Remix renders, and shows only its own learner’s attempt', async () => {
	const a = await resident()
	const b = await resident()
	const lessons = smartphone().lessons
	const post = async (learner: typeof a, lesson: Lesson, right: boolean) => {
		const path = lessonPath(lesson.slug)
		const form: Record<string, string> = { intent: 'submit-quiz', clientId: crypto.randomUUID() }
		for (const q of lesson.quiz.vi!) form[`answer.${q.id}`] = q.options.find((o) => Boolean(o.correct) === right)!.id
		const posted = await learner.fast.request(path, { form })
		expect(posted.status).toBe(303)
		const location = new URL(posted.headers.get('location')!, 'http://localhost')
		return location.pathname + location.search
	}
	await page(a.fast, lessonPath(lessons[0]!.slug))
	await page(a.fast, lessonPath(lessons[1]!.slug))
	const passed = await post(a, lessons[0]!, true)
	const failed = await post(a, lessons[1]!, false)
	for (const [target, shows] of [
		[passed, 'class="quiz-review"'],
		[failed, 'class="quiz-explain wrong"'],
	] as const) {
		const views = [await page(a.fast, target), await page(a.fast, target), await page(a.fast, target)]
		const reference = await page(a.slow, target)
		expect(reference.cache).toBeNull()
		expect(views.at(-1)!.cache).toBe('hit')
		for (const view of [...views, reference]) {
			expect(view.status).toBe(200)
			expect(view.body).toContain(shows)
		}
		for (const view of views) expect(normalised(view)).toBe(normalised(reference))
	}
	// A failed attempt shows the form again, each view with a client id and option order of its own.
	const again = [await page(a.fast, failed), await page(a.fast, failed)]
	const ids = again.map((v) => /name="clientId" value="([^"]+)"/.exec(v.body)![1])
	expect(ids[0]).not.toBe(ids[1])
	// Another learner given the same address sees the lesson without anyone's answers, as from Remix.
	await page(b.fast, lessonPath(lessons[0]!.slug))
	for (const target of [passed, failed]) {
		const views = [await page(b.fast, target), await page(b.fast, target)]
		const reference = await page(b.slow, target)
		for (const view of views) {
			expect(view.body).not.toContain('class="quiz-review"')
			expect(view.body).not.toContain('quiz-explain')
			expect(view.body).not.toContain(a.id)
			expect(outboxUser(view.body)).toBe(b.id)
			expect(normalised(view)).toBe(normalised(reference))
		}
		expect(views.at(-1)!.cache).toBe('hit')
	}
	// Any other query string goes to Remix as before.
	for (const other of [`${passed}&lng=en`, `${lessonPath(lessons[0]!.slug)}?quiz=nope`, `${lessonPath(lessons[0]!.slug)}?x=1`]) {
		const view = await page(a.fast, other)
		expect(view.status).toBe(200)
		expect(view.cache).toBeNull()
	}
})

test('a quiz posted without JavaScript is recorded without Remix, once per client id, and answered as Remix answers it', async () => {
	const lessons = smartphone().lessons
	const lesson = lessons[0]!
	const path = lessonPath(lesson.slug)
	const formOf = (clientId: string, right: boolean) => {
		const form: Record<string, string> = { intent: 'submit-quiz', clientId }
		for (const q of lesson.quiz.vi!) form[`answer.${q.id}`] = q.options.find((o) => Boolean(o.correct) === right)!.id
		return form
	}
	const attempts = (userId: string) => m.prisma.quizAttempt.count({ where: { userId, lessonId: lesson.id } })
	const learner = await resident()
	await page(learner.fast, path)
	// A failed attempt, then a pass, then the pass sent again (a reload of the post): 303 each, recorded once each.
	const failedId = crypto.randomUUID()
	const passedId = crypto.randomUUID()
	const answers = []
	for (const [clientId, right] of [
		[failedId, false],
		[passedId, true],
		[passedId, true],
	] as const) {
		const posted = await learner.fast.request(path, { form: formOf(clientId, right) })
		answers.push({ status: posted.status, via: posted.headers.get('x-learner-cache'), location: posted.headers.get('location') })
	}
	expect(answers).toEqual([
		{ status: 303, via: 'post', location: `${path}?quiz=${failedId}#quiz` },
		{ status: 303, via: 'post', location: `${path}?quiz=${passedId}#quiz` },
		{ status: 303, via: 'post', location: `${path}?quiz=${passedId}#quiz` },
	])
	expect(await attempts(learner.id)).toBe(2)
	expect(await m.prisma.lessonProgress.count({ where: { userId: learner.id, lessonId: lesson.id, completedAt: { not: null } } })).toBe(1)
	// Remix gives the same answer to the same post (another learner, the server without this path).
	const other = await resident()
	await page(other.slow, path)
	const id = crypto.randomUUID()
	const viaRemix = await other.slow.request(path, { form: formOf(id, true) })
	expect([viaRemix.status, viaRemix.headers.get('location'), viaRemix.headers.get('x-learner-cache')]).toEqual([303, `${path}?quiz=${id}#quiz`, null])
	// A post from the page after a post (`?quiz=` in its address) keeps its address but the new attempt's id.
	const again = crypto.randomUUID()
	const fromAnswered = await learner.fast.request(`${path}?quiz=${failedId}`, { form: formOf(again, true) })
	expect([fromAnswered.status, fromAnswered.headers.get('location'), fromAnswered.headers.get('x-learner-cache')]).toEqual([
		303,
		`${path}?quiz=${again}#quiz`,
		'post',
	])
	expect(await attempts(learner.id)).toBe(3)
	// What is not recorded is Remix's to answer, with its page and nothing written: a learner not enrolled,
	// a bad client id, answers missing, a body in another encoding, another intent.
	const visitorLike = await resident({ enrolled: false })
	const notEnrolled = await visitorLike.fast.request(path, { form: formOf(crypto.randomUUID(), true) })
	expect([notEnrolled.status, notEnrolled.headers.get('x-learner-cache')]).toEqual([200, null])
	expect(await notEnrolled.text()).toContain('class="quiz-review"')
	expect(await attempts(visitorLike.id)).toBe(0)
	const badId = await learner.fast.request(path, { form: formOf('not-a-uuid', true) })
	expect([badId.status, badId.headers.get('x-learner-cache')]).toEqual([400, null])
	const missing = await learner.fast.request(path, { form: { intent: 'submit-quiz', clientId: crypto.randomUUID() } })
	expect([missing.status, missing.headers.get('x-learner-cache')]).toEqual([400, null])
	const unknownIntent = await learner.fast.request(path, { form: { intent: 'nope', clientId: crypto.randomUUID() } })
	expect([unknownIntent.status, unknownIntent.headers.get('x-learner-cache')]).toEqual([400, null])
	expect(await attempts(learner.id)).toBe(3)
})

test('a quiz post from a session that has ended is not recorded', async () => {
	const learner = await resident()
	const lesson = smartphone().lessons[0]!
	const path = lessonPath(lesson.slug)
	await page(learner.fast, path)
	await m.prisma.session.deleteMany({ where: { userId: learner.id } })
	const form: Record<string, string> = { intent: 'submit-quiz', clientId: crypto.randomUUID() }
	for (const q of lesson.quiz.vi!) form[`answer.${q.id}`] = q.options.find((o) => o.correct)!.id
	const posted = await learner.fast.request(path, { form })
	expect(posted.headers.get('x-learner-cache')).toBeNull()
	expect(posted.status).toBe(200)
	expect(await m.prisma.quizAttempt.count({ where: { userId: learner.id } })).toBe(0)
})

test('a quiz answered in place is recorded without Remix, once per client id, with the answer Remix gives', async () => {
	const lesson = smartphone().lessons[0]!
	const path = lessonPath(lesson.slug)
	const answersOf = (right: boolean) => Object.fromEntries(lesson.quiz.vi!.map((q) => [q.id, q.options.find((o) => Boolean(o.correct) === right)!.id]))
	const send = async (client: Client, json: unknown) => {
		const response = await client.request('/api/quiz', { json })
		const body = (await response.json()) as Record<string, unknown>
		return { status: response.status, via: response.headers.get('x-learner-cache'), type: response.headers.get('content-type'), body }
	}
	/** The answer with the quiz section's client id and option order (a failed attempt's new form) made neutral. */
	const neutral = (answer: Awaited<ReturnType<typeof send>>) => ({
		...answer,
		via: undefined,
		body: { ...answer.body, html: typeof answer.body.html === 'string' ? normalised({ body: answer.body.html, csp: "'nonce-x'" }) : answer.body.html },
	})
	const a = await resident()
	const b = await resident()
	await page(a.fast, path)
	await page(b.slow, path)
	for (const right of [false, true]) {
		const clientId = crypto.randomUUID()
		const fast = await send(a.fast, { lessonId: lesson.id, clientId, answers: answersOf(right) })
		const replay = await send(a.fast, { lessonId: lesson.id, clientId, answers: answersOf(right) })
		const slow = await send(b.slow, { lessonId: lesson.id, clientId: crypto.randomUUID(), answers: answersOf(right) })
		expect([fast.status, fast.via, fast.body.recorded, fast.body.passed]).toEqual([200, 'post', true, right])
		expect([slow.status, slow.via]).toEqual([200, null])
		expect(neutral(fast)).toEqual(neutral(slow))
		expect(neutral(replay)).toEqual(neutral(fast))
	}
	expect(await m.prisma.quizAttempt.count({ where: { userId: a.id, lessonId: lesson.id } })).toBe(2)
	// Whatever is not a recorded attempt is Remix's, answered as before, nothing written: a learner not
	// enrolled, an unknown lesson, a bad client id, a body that is not the route's shape or not JSON.
	const notEnrolled = await resident({ enrolled: false })
	const tried = await send(notEnrolled.fast, { lessonId: lesson.id, clientId: crypto.randomUUID(), answers: answersOf(true) })
	expect([tried.status, tried.via, tried.body.recorded]).toEqual([200, null, false])
	for (const [json, status] of [
		[{ lessonId: 'nope', clientId: crypto.randomUUID(), answers: answersOf(true) }, 404],
		[{ lessonId: lesson.id, clientId: 'not-a-uuid', answers: answersOf(true) }, 400],
		[{ lessonId: lesson.id, clientId: crypto.randomUUID(), answers: answersOf(true), extra: 1 }, 400],
		[{ lessonId: lesson.id, clientId: crypto.randomUUID(), answers: {} }, 400],
	] as const) {
		const answer = await send(a.fast, json)
		expect([answer.status, answer.via, answer.body.ok]).toEqual([status, null, false])
	}
	const notJson = await fetch(`http://127.0.0.1:${cached.port}/api/quiz`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie: `hvs_session=${a.fast.cookies.get('hvs_session')}` },
		body: '{"lessonId":',
	})
	expect([notJson.status, notJson.headers.get('x-learner-cache')]).toEqual([400, null])
	expect(await m.prisma.quizAttempt.count({ where: { userId: a.id, lessonId: lesson.id } })).toBe(2)
})

test('every answer given without Remix carries the headers Remix gives the same answer (security, caching, type)', async () => {
	const learner = await resident()
	const lesson = smartphone().lessons[0]!
	const path = lessonPath(lesson.slug)
	/** The headers that must agree, with the per-answer values (nonce, instance, length) made neutral. */
	const headersOf = (response: Response) => {
		const out: Record<string, string> = {}
		const nonce = /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')?.[1]
		for (const [name, value] of response.headers) {
			if (['date', 'x-learner-cache', 'content-length', 'transfer-encoding', 'keep-alive', 'connection'].includes(name)) continue
			out[name] = name === 'x-instance' ? 'INSTANCE' : nonce ? value.replaceAll(nonce, 'NONCE') : value
		}
		return out
	}
	const compare = async (fast: Response, slow: Response, via: string) => {
		expect(fast.headers.get('x-learner-cache')).toBe(via)
		expect(slow.headers.get('x-learner-cache')).toBeNull()
		expect(fast.status).toBe(slow.status)
		expect(headersOf(fast)).toEqual(headersOf(slow))
		expect(fast.headers.get('cache-control')).toMatch(/no-store/)
		expect(fast.headers.get('x-content-type-options')).toBe('nosniff')
		await fast.arrayBuffer()
		await slow.arrayBuffer()
	}
	// A page view: the second is assembled from the stored render.
	await (await learner.fast.request(path)).arrayBuffer()
	await compare(await learner.fast.request(path), await learner.slow.request(path), 'hit')
	// The course page (ADR 043) likewise.
	await (await learner.fast.request('/courses/smartphone')).arrayBuffer()
	await compare(await learner.fast.request('/courses/smartphone'), await learner.slow.request('/courses/smartphone'), 'hit')
	// A quiz answered in place (JSON).
	const wrong = Object.fromEntries(lesson.quiz.vi!.map((q) => [q.id, q.options.find((o) => !o.correct)!.id]))
	const right = Object.fromEntries(lesson.quiz.vi!.map((q) => [q.id, q.options.find((o) => o.correct)!.id]))
	const inPlace = (client: Client, answers: Record<string, string>) =>
		client.request('/api/quiz', { json: { lessonId: lesson.id, clientId: crypto.randomUUID(), answers } })
	// Answers carry the quiz section (a failed attempt's new form, a pass's review): gzipped, as Express's compression does.
	const failed = await inPlace(learner.fast, wrong)
	expect(failed.headers.get('content-encoding')).toBe('gzip')
	await compare(failed, await inPlace(learner.slow, wrong), 'post')
	await compare(await inPlace(learner.fast, right), await inPlace(learner.slow, right), 'post')
	// A phone's Chrome takes Brotli, which Express's compression prefers: so does the answer given without it.
	const chrome = (client: Client) =>
		fetch(`${client.base}/api/quiz`, {
			method: 'POST',
			headers: { Cookie: client.header(), Origin: client.base, 'Content-Type': 'application/json', 'Accept-Encoding': 'gzip, deflate, br, zstd' },
			body: JSON.stringify({ lessonId: lesson.id, clientId: crypto.randomUUID(), answers: wrong }),
		})
	const brotli = await chrome(learner.fast)
	expect(brotli.headers.get('content-encoding')).toBe('br')
	await compare(brotli, await chrome(learner.slow), 'post')
	// The full-page form post of a phone without JavaScript (303 to the page that shows the answer).
	const form = (clientId: string) => ({ intent: 'submit-quiz', clientId, ...Object.fromEntries(Object.entries(wrong).map(([q, o]) => [`answer.${q}`, o])) })
	const fastPost = await learner.fast.request(path, { form: form(crypto.randomUUID()) })
	const slowPost = await learner.slow.request(path, { form: form(crypto.randomUUID()) })
	expect(fastPost.headers.get('location')).not.toBe(slowPost.headers.get('location'))
	const location = (r: Response) => r.headers.get('location')!.replace(/quiz=[0-9a-f-]+/, 'quiz=ID')
	expect(location(fastPost)).toBe(location(slowPost))
	const neutralLocation = (r: Response) => {
		const h = headersOf(r)
		h.location = location(r)
		return h
	}
	expect(fastPost.headers.get('x-learner-cache')).toBe('post')
	expect(neutralLocation(fastPost)).toEqual(neutralLocation(slowPost))
})

// The paths answered before Express (a learner's lesson form and /api/quiz) keep the origin check:
// a post from another site, by Origin or by Sec-Fetch-Site, is refused in the app's words and
// records nothing, though the learner's session cookie rides along.
test("a signed-in learner's quiz post from another site is refused on every path answered before Express, and nothing is recorded", async () => {
	const learner = await resident()
	const lesson = smartphone().lessons[0]!
	const right = Object.fromEntries(lesson.quiz.vi!.map((q) => [q.id, q.options.find((o) => o.correct)!.id]))
	const sent: string[] = []
	for (const forged of [{ Origin: 'https://evil.example' }, { 'Sec-Fetch-Site': 'cross-site' }] as Record<string, string>[]) {
		const headers = { Cookie: learner.fast.header(), ...forged }
		const clientIds = [crypto.randomUUID(), crypto.randomUUID()]
		sent.push(...clientIds)
		const api = await fetch(`${learner.fast.base}/api/quiz`, {
			method: 'POST',
			headers: { ...headers, 'Content-Type': 'application/json' },
			body: JSON.stringify({ lessonId: lesson.id, clientId: clientIds[0], answers: right }),
		})
		expect(api.status).toBe(403)
		expect(api.headers.get('x-learner-cache')).toBeNull()
		expect((await api.json()).message).toBe('common:errors.otherSite')
		const form = await fetch(`${learner.fast.base}${lessonPath(lesson.slug)}`, {
			method: 'POST',
			redirect: 'manual',
			headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				intent: 'submit-quiz',
				clientId: clientIds[1]!,
				...Object.fromEntries(Object.entries(right).map(([q, o]) => [`answer.${q}`, o])),
			}).toString(),
		})
		expect(form.status).toBe(403)
		expect(form.headers.get('x-learner-cache')).toBeNull()
		expect(await form.text()).toContain('Yêu cầu bị từ chối vì không đến từ trang Học Vụ Số.')
	}
	expect(await m.prisma.quizAttempt.count({ where: { userId: learner.id } })).toBe(0)
	expect(await m.prisma.clientEvent.count({ where: { id: { in: sent } } })).toBe(0)
	// The same post from the site itself is recorded: the refusal above was the origin, not the post.
	const own = await learner.fast.request('/api/quiz', { json: { lessonId: lesson.id, clientId: crypto.randomUUID(), answers: right } })
	expect(own.status).toBe(200)
	expect(own.headers.get('x-learner-cache')).toBe('post')
	await own.arrayBuffer()
	expect(await m.prisma.quizAttempt.count({ where: { userId: learner.id } })).toBe(1)
})

test('answers given before Express are counted in /metrics once, and so are the ones handed on to it', async () => {
	const learner = await resident()
	const path = lessonPath(smartphone().lessons[0]!.slug)
	const count = async (status: string) => {
		const text = await (await fetch(`http://127.0.0.1:${cached.port}/metrics`)).text()
		const line = text
			.split('\n')
			.find((l) => l.startsWith('hvs_http_requests_total{') && l.includes('kind="learner"') && l.includes('method="GET"') && l.includes(`status="${status}"`))
		return line ? Number(line.split(' ').pop()) : 0
	}
	await (await learner.fast.request(path)).arrayBuffer()
	const [ok, missing] = [await count('2xx'), await count('4xx')]
	const hit = await learner.fast.request(path)
	expect(hit.headers.get('x-learner-cache')).toBe('hit')
	await hit.arrayBuffer()
	// A lesson that does not exist: taken, then handed on to Express and Remix (404).
	const notFound = await learner.fast.request('/courses/smartphone/no-such-lesson')
	expect(notFound.status).toBe(404)
	await notFound.arrayBuffer()
	expect([await count('2xx'), await count('4xx')]).toEqual([ok + 1, missing + 1])
})
