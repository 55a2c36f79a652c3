import { randomUUID } from 'node:crypto'
import http from 'node:http'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createDatabase, dropDatabase, exampleNginxSite, type Instance, startInstance, startNginx } from './harness.ts'

/**
 * A rolling restart (issue #19, item 6; README, "Rolling restart"): two instances behind nginx,
 * configured with the very file operators copy (docs/deploy/nginx.conf), on one PostgreSQL. While
 * visitors and signed-in residents read lesson pages and residents answer quizzes in place
 * (/api/quiz, as phones do), each instance in turn gets SIGTERM, exits by itself, is started again
 * and serves again. No page view may fail (no 5xx, no connection error); every write the server
 * acknowledged is stored exactly once and the rollups equal the raw tables. A quiz answer that got a
 * retryable answer (5xx, connection error) is sent again with its client id, as the phone's outbox
 * does; those are counted and printed, and nothing else may go wrong with a write.
 *
 * On the first instance, a request sent directly to it is in flight when SIGTERM arrives: it is
 * answered in full (the database is still open) with `Connection: close`, the healthcheck answers
 * 503 "draining" on a connection that was already open, and a new connection is refused.
 */
const NGINX = 3850
const PORTS = [3851, 3852] as const
const db = `hvs_sys_roll_${process.pid}`
const origin = `http://127.0.0.1:${NGINX}`

// Behind nginx: the public origin is nginx's (the CSRF check compares Origin with it).
let url: string
let nginx: Awaited<ReturnType<typeof startNginx>>
const instances: Instance[] = []
let closeDb: () => Promise<void>
let prisma: typeof import('#app/utils/db.server.ts').prisma

type Step = { id: string; path: string; answers: Record<string, string> }
let lessons: Step[] = []
const cookies: string[] = []

beforeAll(async () => {
	const setupStarted = Date.now()
	url = await createDatabase(db)
	// This process prepares the residents and checks the result on the same database.
	process.env.DATABASE_URL = url
	process.env.SEED_DEMO = '0'
	const dbModule = await import('#app/utils/db.server.ts')
	prisma = dbModule.prisma
	closeDb = dbModule.closeDb
	const { syncCatalogue } = await import('#app/modules/course/catalogue-sync.server.ts')
	const { getManifest } = await import('#app/modules/course/course.server.ts')
	const { registerResident } = await import('#app/modules/people/people.server.ts')
	const { enrolResident } = await import('#app/modules/progress/progress.server.ts')
	const { createSession, serializeSessionCookie } = await import('#app/utils/session.server.ts')
	const { hashSecret } = await import('#app/utils/password.server.ts')
	await syncCatalogue()
	// The instances start (the database is migrated and mirrored) while the residents are prepared.
	const starting = Promise.allSettled(PORTS.map((port, i) => startInstance({ port, databaseUrl: url, id: `${'ab'[i]}1`, env: { APP_ORIGIN: origin } })))
	lessons = getManifest().courses.flatMap((c) =>
		c.lessons.map((l) => ({
			id: l.id,
			path: `/courses/${c.slug}/${l.slug}`,
			answers: Object.fromEntries(l.quiz.vi!.map((q) => [q.id, q.options.find((o) => o.correct)!.id])),
		})),
	)
	const hash = await hashSecret('480317')
	for (let i = 0; i < 8; i++) {
		const { id } = await registerResident({
			phone: `0338${String(i).padStart(6, '0')}`,
			profile: {
				fullName: 'Người Thử Khởi Động',
				birthYear: 1960 + i,
				sex: i % 2 ? 'MALE' : 'FEMALE',
				ethnicGroup: i % 3 ? '03' : '01',
				learnerGroup: 'RESIDENT',
				provinceCode: '14',
				communeCode: ['03646', '03721'][i % 2]!,
			},
			passwordHash: { kind: 'PIN', hash },
			via: 'SEED',
		})
		for (const c of getManifest().courses) await enrolResident({ userId: id, courseId: c.id })
		const { token } = await createSession(id)
		cookies.push((await serializeSessionCookie(token)).split(';')[0]!)
	}
	const started = await starting
	for (const r of started) if (r.status === 'fulfilled') instances.push(r.value)
	for (const r of started) if (r.status === 'rejected') throw r.reason
	nginx = await startNginx({ port: NGINX, upstreams: [...PORTS], site: exampleNginxSite({ port: NGINX, upstreams: [...PORTS] }) })
	console.log(`set up in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`)
})

afterAll(async () => {
	await nginx?.stop()
	await Promise.all(instances.map((i) => i.stop()))
	await closeDb?.()
	await dropDatabase(db)
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

test('two instances restarted one at a time under load: no page view fails, every acknowledged write is stored once', async () => {
	let running = true
	const views = { ok: 0, failed: [] as string[], byInstance: new Map<string, number>() }
	const writes = {
		sent: new Set<string>(),
		acknowledged: [] as string[],
		retried: new Map<string, number>(),
		refused: [] as string[],
		byInstance: new Map<string, number>(),
	}
	const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)

	// Page views: visitors (render cache) and signed-in residents (rendered each time), lesson after lesson.
	const viewer = async (n: number) => {
		for (let i = n; running; i++) {
			const lesson = lessons[i % lessons.length]!
			const headers: Record<string, string> = n % 2 ? { cookie: cookies[n % cookies.length]! } : {}
			try {
				const r = await fetch(origin + lesson.path, { headers, redirect: 'manual' })
				const body = await r.text()
				if (r.status === 200 && body.includes('mdx-quiz')) views.ok++
				else views.failed.push(`${r.status} ${lesson.path}`)
				count(views.byInstance, r.headers.get('x-instance') ?? '?')
			} catch (error) {
				views.failed.push(`connection error ${lesson.path}: ${(error as Error).cause ?? error}`)
			}
		}
	}
	// Residents answering quizzes in place, each on one phone: the next lesson's quiz, sent again with
	// the same client id until it is answered (as the outbox does), and one in eight sent again after
	// it was answered (a phone that never saw the answer).
	const writer = async (n: number) => {
		const cookie = cookies[n]!
		let step = 0
		let last: string | undefined
		for (let i = 0; running; i++) {
			const lesson = lessons[Math.min(step, lessons.length - 1)]!
			const replay = last !== undefined && i % 8 === 7
			const body = replay ? last! : JSON.stringify({ lessonId: lesson.id, clientId: randomUUID(), answers: lesson.answers })
			const clientId = JSON.parse(body).clientId as string
			writes.sent.add(clientId)
			for (;;) {
				let status: string
				try {
					const r = await fetch(`${origin}/api/quiz`, { method: 'POST', body, headers: { 'content-type': 'application/json', origin, cookie } })
					const answer = (await r.json().catch(() => null)) as { ok?: boolean; recorded?: boolean } | null
					count(writes.byInstance, r.headers.get('x-instance') ?? '?')
					if (r.status === 200 && answer?.ok && answer.recorded) {
						writes.acknowledged.push(clientId)
						if (!replay) step++
						last = body
						break
					}
					status = String(r.status)
					if (r.status < 500) {
						writes.refused.push(`${status} ${JSON.stringify(answer)}`)
						break
					}
				} catch (error) {
					status = `connection error: ${(error as Error).cause ?? error}`
				}
				count(writes.retried, status)
				await sleep(100)
			}
		}
	}
	const load = Promise.all([...[0, 1, 2, 3].map(viewer), ...[0, 1, 2].map(writer)])

	await sleep(2_000)
	const drains: string[] = []
	for (const [i, port] of PORTS.entries()) {
		const old = instances[i]!
		const exited = new Promise<number | null>((r) => (old.process.exitCode !== null ? r(old.process.exitCode) : old.process.once('exit', (c) => r(c))))
		if (i === 0) {
			const inFlight = await inFlightChecks(old, port)
			writes.sent.add(inFlight.clientId)
			expect(inFlight.slowWrite, 'the request in flight when SIGTERM arrived is answered in full, then its connection closed').toEqual({
				status: 200,
				recorded: true,
				connection: 'close',
			})
			writes.acknowledged.push(inFlight.clientId)
			expect(inFlight.readiness, 'a connection already open: the healthcheck says "draining"').toEqual({ status: 503, reason: 'draining', connection: 'close' })
			expect(inFlight.refusedNewConnection, 'no new connection once draining').toBe(true)
		} else old.process.kill('SIGTERM')
		expect(await exited, old.log.join('')).toBe(0)
		drains.push(old.log.join('').match(/stopped in \d+ ms.*/)?.[0] ?? '?')
		expect(old.log.join(''), 'nothing was cut at the drain timeout').toContain('every request answered')
		// Started again; nginx sends to it again once its fail_timeout (5 s) has passed, and only then
		// is the next instance stopped (README, "Rolling restart").
		instances[i] = await startInstance({ port, databaseUrl: url, id: `${'ab'[i]}2`, env: { APP_ORIGIN: origin } })
		await sleep(6_000)
	}
	running = false
	await load

	const { checkLoad } = await import('#tests/utils/load-check.ts')
	const check = await checkLoad(prisma, { sent: writes.sent, acknowledged: writes.acknowledged })
	console.log(
		[
			`page views: ${views.ok} answered, ${views.failed.length} failed; by instance ${JSON.stringify(Object.fromEntries(views.byInstance))}`,
			`quiz answers: ${writes.acknowledged.length} acknowledged (replays included), ${check.attempts} attempts stored; answers by instance ${JSON.stringify(Object.fromEntries(writes.byInstance))}`,
			`  sent again after a retryable failure: ${JSON.stringify(Object.fromEntries(writes.retried))}; refused: ${writes.refused.length}`,
			`  lost ${check.lost}, duplicated ${check.duplicated}, stored but never sent ${check.unknown}, attempts without their event ${check.attemptsWithoutEvent}`,
			`  rollups ${JSON.stringify(check.rollups)}\n  raw     ${JSON.stringify(check.raw)}`,
			`drains: ${drains.join('; ')}`,
		].join('\n'),
	)
	expect(views.failed, nginx.errors()).toEqual([])
	expect(views.ok).toBeGreaterThan(50)
	expect(writes.refused).toEqual([])
	expect(writes.acknowledged.length).toBeGreaterThan(20)
	expect({ lost: check.lost, duplicated: check.duplicated, neverSent: check.unknown, withoutEvent: check.attemptsWithoutEvent }).toEqual({
		lost: 0,
		duplicated: 0,
		neverSent: 0,
		withoutEvent: 0,
	})
	expect(check.rollups).toEqual(check.raw)
	expect(check.communeDrift).toBe(0)
	expect(check.cellDrift).toBe(0)
	// Both restarted instances were back in rotation, and each first instance served before it stopped.
	for (const id of ['a1', 'b1', 'a2', 'b2']) expect(views.byInstance.get(id) ?? 0, id).toBeGreaterThan(0)
})

/**
 * SIGTERM while a quiz answer sent directly to the instance is half uploaded, with a kept-alive
 * connection open beside it: the new connection is refused, the open one answers the healthcheck
 * "draining", and the half-sent request, finished after the signal, is answered and stored.
 */
async function inFlightChecks(instance: Instance, port: number) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
	const get = (pathname: string) =>
		new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
			http
				.get({ host: '127.0.0.1', port, path: pathname, agent }, (res) => {
					let body = ''
					res.on('data', (d) => (body += d))
					res.on('end', () => resolve({ status: res.statusCode!, body, connection: res.headers.connection }))
				})
				.on('error', reject)
		})
	expect((await get('/resources/livez')).status).toBe(200)

	// Failures are results, so that the test says which of these went wrong.
	const failed = (error: unknown) => ({ error: String((error as Error).cause ?? error) })
	const lesson = lessons[0]!
	const clientId = randomUUID()
	const payload = JSON.stringify({ lessonId: lesson.id, clientId, answers: lesson.answers })
	const slow = http.request({
		host: '127.0.0.1',
		port,
		path: '/api/quiz',
		method: 'POST',
		agent: false,
		headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), origin, cookie: cookies[cookies.length - 1]! },
	})
	const answered = new Promise<{ status: number; recorded: boolean; connection?: string }>((resolve, reject) => {
		slow.on('response', (res) => {
			let body = ''
			res.on('data', (d) => (body += d))
			res.on('end', () => resolve({ status: res.statusCode!, recorded: /"recorded":true/.test(body), connection: res.headers.connection }))
		})
		slow.on('error', reject)
	}).catch(failed)
	slow.flushHeaders()
	slow.write(payload.slice(0, 20))
	await sleep(300)
	instance.process.kill('SIGTERM')
	await sleep(300)
	const refusedNewConnection = await fetch(`http://127.0.0.1:${port}/resources/livez`).then(
		() => false,
		(error) => String((error as Error).cause ?? error).includes('ECONNREFUSED'),
	)
	const readiness = await get('/resources/healthcheck').then(
		(health) => ({ status: health.status, reason: JSON.parse(health.body).reason, connection: health.connection }),
		failed,
	)
	slow.end(payload.slice(20))
	const slowWrite = await answered
	agent.destroy()
	return { refusedNewConnection, readiness, slowWrite, clientId }
}
