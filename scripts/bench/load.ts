/**
 * npm run bench:load [-- --seconds=10 --residents=300 --connections=20 --views=N --viewers=visitors|residents --writes=in-place|page --instances=1 --json]
 *
 * Against the built server on PostgreSQL (a throwaway database on 127.0.0.1:5432), anonymous
 * visitors (or with `--viewers=residents` signed-in residents, whose pages are never served from the
 * render cache) read a lesson page while enrolled residents work through their courses: each write
 * connection takes a resident, submits the quiz of their next lesson (every lesson has one) as a
 * phone does — answered in place (/api/quiz, the default: phones with JavaScript) or with
 * `--writes=page` as the full-page form post of a phone without JavaScript — and
 * so completes lessons, courses (certificates) and all four core courses ("basic skills"); one
 * write in eight re-sends the previous one (same client id), as a phone on a bad connection does.
 * Afterwards it checks (tests/utils/load-check.ts, the oracle of tests/system/load.test.ts) that every
 * acknowledged write is in the database exactly once, that the commune and province figures
 * (PeriodStat, PeriodCellStat) equal counts from the raw tables, and that the server stopped cleanly; it prints throughput and p50/p97.5/p99 latency for page views and
 * writes. `--instances=N` runs N worker processes (WEB_CONCURRENCY). Needs `npm run build`.
 * Exit code 1 on a failed check; timings are printed, never asserted.
 */
import { randomUUID } from 'node:crypto'
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import autocannon from 'autocannon'
import pg from 'pg'
import { checkLoad, loadCheckPassed } from '#tests/utils/load-check.ts'
import { choiceArg, flag, numberArg } from './args.ts'

const base = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432'

export async function runLoad({
	seconds = numberArg('seconds', 10),
	residents = numberArg('residents', 300),
	connections = numberArg('connections', 20),
	instances = numberArg('instances', 1),
	/** Connections reading the lesson page (the rest write); half by default, 0 for writes only. */
	viewConnections = numberArg('views', Math.floor(connections / 2)),
	port = numberArg('port', 3295),
	/** Who reads the lesson page: anonymous `visitors` (render cache) or signed-in `residents`. */
	viewers = choiceArg('viewers', ['visitors', 'residents'], 'visitors'),
	/** How residents send quizzes: `in-place` (/api/quiz, app/browser/lesson.ts) or `page` (the form, no JavaScript). */
	writeMode = choiceArg('writes', ['in-place', 'page'], 'in-place'),
	quiet = false,
} = {}) {
	const log = quiet ? () => {} : console.log
	const dbName = `hvs_bench_load_${process.pid}`
	const url = `${base}/${dbName}`
	const admin = new pg.Client({ connectionString: `${base}/postgres` })
	await admin.connect()
	await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)
	await admin.query(`CREATE DATABASE "${dbName}"`)
	await admin.end()
	process.env.DATABASE_URL = url
	process.env.SEED_DEMO = '0'
	const { prisma, closeDb } = await import('#app/utils/db.server.ts')
	const { syncCatalogue } = await import('#app/modules/course/catalogue-sync.server.ts')
	const { getManifest } = await import('#app/modules/course/course.server.ts')
	const { registerResident } = await import('#app/modules/people/people.server.ts')
	const { enrolResident } = await import('#app/modules/progress/progress.server.ts')
	const { createSession, serializeSessionCookie } = await import('#app/utils/session.server.ts')
	const { hashSecret } = await import('#app/utils/password.server.ts')
	await syncCatalogue()
	// The path through every course, in order, with each lesson's right answers.
	const path = getManifest().courses.flatMap((c) =>
		c.lessons.map((l) => ({
			id: l.id,
			path: `/courses/${c.slug}/${l.slug}`,
			answers: Object.fromEntries(l.quiz.vi!.map((q) => [q.id, q.options.find((o) => o.correct)!.id])),
		})),
	)
	const communes = ['03646', '03721', '03808', '03820', '03664']
	const hash = await hashSecret('480317')
	const cookies: string[] = []
	const started = Date.now()
	for (let i = 0; i < residents; i++) {
		const { id } = await registerResident({
			phone: `0339${String(i).padStart(6, '0')}`,
			profile: {
				fullName: 'Người Thử Tải',
				birthYear: 1950 + (i % 50),
				sex: i % 2 ? 'MALE' : 'FEMALE',
				ethnicGroup: i % 3 ? '03' : '01',
				learnerGroup: 'RESIDENT',
				provinceCode: '14',
				communeCode: communes[i % communes.length]!,
			},
			passwordHash: { kind: 'PIN', hash },
			via: 'SEED',
		})
		for (const c of getManifest().courses) await enrolResident({ userId: id, courseId: c.id })
		const { token } = await createSession(id)
		cookies.push((await serializeSessionCookie(token)).split(';')[0]!)
	}
	log(`Prepared ${residents} residents enrolled in ${getManifest().courses.length} courses in ${((Date.now() - started) / 1000).toFixed(1)} s.`)

	// BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
	const server = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), 'build/server.js'], {
		env: {
			...process.env,
			PORT: String(port),
			APP_ORIGIN: `http://127.0.0.1:${port}`,
			DATABASE_URL: url,
			NODE_ENV: 'production',
			COOKIE_SECURE: '0',
			LOG_REQUESTS: '0',
			DATABASE_POOL_SIZE: String(Math.max(10, Math.ceil(connections / instances))),
			WEB_CONCURRENCY: String(instances),
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	})
	// A crash of this script must not leave the server running (the next run would measure it).
	process.once('exit', () => server.exitCode === null && server.kill('SIGKILL'))
	const serverLog: string[] = []
	server.stdout!.on('data', (d: Buffer) => serverLog.push(d.toString()))
	server.stderr!.on('data', (d: Buffer) => serverLog.push(d.toString()))
	for (let i = 0; ; i++) {
		try {
			if ((await fetch(`http://127.0.0.1:${port}/resources/healthcheck`)).ok) break
		} catch {}
		if (i > 150 || server.exitCode !== null) throw new Error(`server did not start: ${serverLog.join('').slice(-2000)}`)
		await new Promise((r) => setTimeout(r, 200))
	}
	if (instances > 1) await new Promise((r) => setTimeout(r, 1_500)) // the other workers start after the first

	// Each write takes a resident no other write is using (per-learner order, as on one phone) and
	// submits their next lesson's quiz; residents come back to the front of the line, so a few at a
	// time go through the whole path (lessons, courses, certificates, basic skills), then make way
	// for the next (one who finished re-takes the last quiz when the line comes round again).
	const sent = new Set<string>()
	const acknowledged: string[] = []
	const statuses = new Map<number, number>()
	const origin = `http://127.0.0.1:${port}`
	const free = Array.from({ length: residents }, (_, i) => i)
	const state = Array.from({ length: residents }, () => ({ step: 0, last: null as null | { clientId: string; body: string; path: string } }))
	let count = 0
	type Ctx = { resident?: number; clientId?: string; advance?: boolean }
	const cpuBefore = cpuTimes(server.pid!)
	const writeConnections = connections - viewConnections
	let viewer = 0
	const views: Promise<any> =
		viewConnections <= 0
			? Promise.resolve(null)
			: autocannon({
					url: `${origin}/courses/smartphone/turn-on`,
					connections: viewConnections,
					duration: seconds,
					// Signed-in residents in turn (the first lesson is open to every enrolled resident).
					...(viewers === 'residents'
						? {
								requests: [
									{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, headers: { cookie: cookies[viewer++ % cookies.length]! } }) },
								],
							}
						: {}),
				})
	const writes: Promise<any> =
		writeConnections <= 0
			? Promise.resolve(null)
			: autocannon({
					url: origin,
					connections: writeConnections,
					duration: seconds,
					requests: [
						{
							method: 'POST',
							setupRequest: (req: Record<string, unknown>, context: Ctx) => {
								const resident = free.shift()!
								const r = state[resident]!
								const cookie = cookies[resident]!
								context.resident = resident
								const headers = { 'content-type': writeMode === 'page' ? 'application/x-www-form-urlencoded' : 'application/json', origin, cookie }
								if (r.last && ++count % 8 === 0) {
									// A replay of this resident's previous write: same client id, same body.
									Object.assign(context, { clientId: r.last.clientId, advance: false })
									return { ...req, method: 'POST', path: r.last.path, body: r.last.body, headers }
								}
								const lesson = path[Math.min(r.step, path.length - 1)]!
								const clientId = randomUUID()
								sent.add(clientId)
								const [target, body] =
									writeMode === 'page'
										? [
												lesson.path,
												new URLSearchParams({
													intent: 'submit-quiz',
													clientId,
													...Object.fromEntries(Object.entries(lesson.answers).map(([q, o]) => [`answer.${q}`, o])),
												}).toString(),
											]
										: ['/api/quiz', JSON.stringify({ lessonId: lesson.id, clientId, answers: lesson.answers })]
								r.last = { clientId, body, path: target }
								Object.assign(context, { clientId, advance: true })
								return { ...req, method: 'POST', path: target, body, headers }
							},
							onResponse: (status: number, body: string, context: Ctx) => {
								statuses.set(status, (statuses.get(status) ?? 0) + 1)
								if (context.resident === undefined) return
								// Acknowledged: the page with the result, or in place the answer that says it was recorded.
								if (status === 200 && (writeMode === 'page' || body.includes('"recorded":true'))) {
									acknowledged.push(context.clientId!)
									if (context.advance) state[context.resident]!.step++
								}
								// Back to the front of the line until the whole path is done, then to the back: a few
								// residents at a time work through every lesson, and fresh ones take over.
								if (state[context.resident]!.step < path.length) free.unshift(context.resident)
								else free.push(context.resident)
								context.resident = undefined
							},
						},
					],
				})
	const [v, w] = await Promise.all([views, writes])
	const cpuAfter = cpuTimes(server.pid!)

	// The server must stop by itself on SIGTERM (it once hung here: docs/benchmarks.md).
	const stopStarted = Date.now()
	server.kill('SIGTERM')
	const stoppedCleanly = await Promise.race([
		new Promise<boolean>((r) => server.once('exit', () => r(true))),
		new Promise<boolean>((r) => setTimeout(() => r(false), 20_000)),
	])
	if (!stoppedCleanly) server.kill('SIGKILL')
	const stopMs = Date.now() - stopStarted

	const check = await checkLoad(prisma, { sent, acknowledged })
	const { lost, duplicated, unknown, attemptsWithoutEvent, rollups, raw } = check
	await closeDb()
	const drop = new pg.Client({ connectionString: `${base}/postgres` })
	await drop.connect()
	await drop.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)
	await drop.end()

	const fmt = (r: any) =>
		`${(r.requests.total / seconds).toFixed(0).padStart(6)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p97.5 ${String(r.latency.p97_5).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   errors ${r.errors + r.timeouts}   non-2xx ${r.non2xx}`
	log(
		`\nLoad for ${seconds} s, ${connections} connections, ${residents} residents, ${instances} app process(es), Node ${process.version}, load average ${os
			.loadavg()
			.map((l) => l.toFixed(1))
			.join(' ')}:`,
	)
	log(`  lesson page views  ${v ? `${fmt(v)}   (${viewers === 'residents' ? 'signed-in residents' : 'visitors'})` : '(none: --views=0)'}`)
	log(
		`  progress writes    ${w ? `${fmt(w)}   (${writeMode === 'page' ? 'full-page form posts, no JavaScript' : 'answered in place, /api/quiz'})` : '(none: --views equals --connections)'}`,
	)
	log(
		`  write statuses: ${JSON.stringify(Object.fromEntries(statuses))}; ${acknowledged.length} acknowledged (replays included) by ${check.residentsWithAttempts} residents, ${check.attempts} attempts stored, ${check.events} client events`,
	)
	log(`  lost: ${lost}   duplicated: ${duplicated}   stored but never sent: ${unknown}   attempts without their client event: ${attemptsWithoutEvent}`)
	log(
		`  rollups ${JSON.stringify(rollups)}\n  raw     ${JSON.stringify(raw)}   commune × period rows drifting: ${check.communeDrift}, breakdown rows disagreeing: ${check.cellDrift}`,
	)
	const requests = (v?.requests.total ?? 0) + (w?.requests.total ?? 0)
	const cpu = { app: cpuAfter.app - cpuBefore.app, postgres: cpuAfter.postgres - cpuBefore.postgres }
	log(
		`  CPU time during the load: app ${(cpu.app / 1000).toFixed(1)} s (${(cpu.app / requests).toFixed(2)} ms per request), PostgreSQL ${(cpu.postgres / 1000).toFixed(1)} s (${(cpu.postgres / requests).toFixed(2)} ms per request)`,
	)
	log(`  server stopped ${stoppedCleanly ? `cleanly in ${stopMs} ms` : 'NOT within 20 s (killed)'}`)
	const ok = loadCheckPassed(check) && (acknowledged.length > 0 || !w) && stoppedCleanly
	return {
		ok,
		views: v ? { rps: v.requests.total / seconds, p50: v.latency.p50, p99: v.latency.p99, non2xx: v.non2xx, errors: v.errors + v.timeouts } : null,
		writes: w
			? { mode: writeMode, rps: w.requests.total / seconds, p50: w.latency.p50, p99: w.latency.p99, non2xx: w.non2xx, errors: w.errors + w.timeouts }
			: null,
		statuses: Object.fromEntries(statuses),
		acknowledged: acknowledged.length,
		lost,
		duplicated,
		unknown,
		rollups,
		raw,
		communeDrift: check.communeDrift,
		cellDrift: check.cellDrift,
		stoppedCleanly,
		cpuMs: cpu,
	}
}

/**
 * CPU time (user + system, ms) so far of the app (the server process and its workers) and of
 * every PostgreSQL process, from /proc (Linux); zeros elsewhere. Backends that exit during the
 * load take their time with them, so the PostgreSQL figure is a lower bound.
 */
function cpuTimes(serverPid: number) {
	const tick = 1000 / 100 // USER_HZ is 100 on Linux
	let app = 0
	let postgres = 0
	let entries: string[] = []
	try {
		entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d))
	} catch {
		return { app, postgres }
	}
	for (const pid of entries) {
		let stat: string
		try {
			stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
		} catch {
			continue
		}
		const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
		const ppid = Number(fields[1])
		const ms = (Number(fields[11]) + Number(fields[12])) * tick
		if (Number(pid) === serverPid || ppid === serverPid) app += ms
		else if (name === 'postgres' || name.startsWith('postgres:')) postgres += ms
	}
	return { app, postgres }
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const result = await runLoad()
	if (flag('json')) console.log(`RESULT ${JSON.stringify(result)}`)
	console.log(result.ok ? '\n✔ no acknowledged write lost or duplicated; figures agree with the raw tables; the server stopped cleanly' : '\n✖ CHECK FAILED')
	process.exit(result.ok ? 0 : 1)
}
