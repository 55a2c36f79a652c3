/**
 * npm run bench:load [-- --help]
 *
 * Against the built server on PostgreSQL (a throwaway database on 127.0.0.1:5432) and, as the
 * yardstick of the same run, nginx serving the same lesson page saved to a file. One run goes
 * through these phases, each for `--seconds` (default all, in this order):
 *
 * - `nginx`     Debian's nginx (one worker, gzip as the app) serving `/courses/smartphone/turn-on`
 *               as the built server gave it to a visitor: the static limit of this machine now.
 * - `visitors`  anonymous lesson views (the render cache), `--connections`, `--instances` processes.
 * - `residents` signed-in enrolled residents reading the same lesson (never from the render cache).
 * - `in-place`  quiz writes only, answered in place (`POST /api/quiz`, JSON: phones with JavaScript).
 * - `page`      quiz writes only, as the full-page form of a phone without JavaScript: the post
 *               (303 to the lesson showing the stored answer), then that page, as a browser does.
 * - `mixed`     views and writes at once on `--mixed-instances` processes (default 2):
 *               `--mixed=V+W` connections (default 10+10), `--viewers` (default residents) and
 *               `--writes` (default in-place). In-place writes come at a steady `--write-rate`
 *               (default 320/s, #22's target is 300) on at most W connections, their latency
 *               counted from when each was due (paced.ts, ADR 041); the V connections read as
 *               fast as they are answered. `--write-rate=0`: writes as fast as W connections go.
 * - `nginx` again at the end (with `nginx` in the list): the ratios use the mean of both.
 *
 * Each app phase starts with `--warmup` seconds (default 10) of the same load, not measured: a fresh
 * process compiles its hot code (V8's optimising compiler) for several seconds, on two processes
 * each getting half the requests for twice as long. With 3 s, the mixed phase measured a server
 * still compiling (compiler threads 17 % of all samples of `perf`, against 1.6 % half a minute
 * later): 570–685 views + 346–392 writes/s against 947–1,093 + 464–522 with 10, alternating runs.
 * A server runs for days; the figures are of that server (docs/benchmarks.md, session 12).
 * Every figure is printed as a ratio to nginx from the same run, which matters more than the
 * absolute figure on a machine shared with other work. Writes take residents through every lesson
 * in order (completing lessons, courses with certificates, and the four core courses); one write in
 * eight re-sends the previous one (same client id), as a phone on a bad connection does. The default
 * 1,000 residents last a default run, so each write phase measures progress: a write by a resident
 * who has finished every lesson re-takes the last quiz, which costs less, and the run prints how
 * many did (with 300 residents the in-place phase finished every path, and the mixed phase after it
 * measured re-takes only). After each
 * phase that writes it checks (tests/utils/load-check.ts, the oracle of tests/system/load.test.ts)
 * that every acknowledged write is stored exactly once, nothing is stored that was never sent, the
 * commune and province figures equal counts from the raw tables, and (at each restart) that the
 * server stopped by itself on SIGTERM. Also printed: the server's resident memory under load (the
 * largest sum over its processes, sampled every 250 ms) and its CPU time per request.
 *
 * Older single runs still work: `--views=N` (with `--connections`, `--instances`, `--viewers`,
 * `--writes`) runs one mixed phase of N view connections and the rest writing, as before.
 * Needs `npm run build`. Exit code 1 on a failed check; timings are printed, never asserted.
 */
import { randomUUID } from 'node:crypto'
import { type ChildProcess, spawn } from 'node:child_process'
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import pg from 'pg'
import { checkLoad, type LoadCheck, loadCheckPassed } from '#tests/utils/load-check.ts'
import { choiceArg, flag, given, listArg, numberArg, splitArg } from './args.ts'
import { paced, percentiles } from './paced.ts'

const base = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432'
const LESSON = '/courses/smartphone/turn-on'
export const PHASES = ['nginx', 'visitors', 'residents', 'in-place', 'page', 'mixed'] as const
type Phase = (typeof PHASES)[number]

const HELP = `npm run bench:load [-- options]

  --phases=LIST        which phases, in order (default ${PHASES.join(',')}; nginx runs first and last)
  --seconds=N          length of each phase (default 10)
  --connections=N      connections of each single phase (default 10)
  --instances=N        app processes for the single phases (default 1; WEB_CONCURRENCY)
  --mixed=V+W          the mixed phase: V connections reading, W writing (default 10+10)
  --mixed-instances=N  app processes for the mixed phase (default 2)
  --write-rate=N       the mixed phase's in-place writes offered at N per second, steadily, on at most
                       W connections (default 320: #22's target is 300); 0: as fast as W connections go
  --viewers=visitors|residents   who reads in the mixed phase (default residents)
  --writes=in-place|page         how the mixed phase writes (default in-place)
  --residents=N        residents prepared, enrolled in every course (default 1000: enough that each
                       write phase takes residents along a path not yet walked; see re-takes)
  --warmup=N           seconds of the same load before each app phase, not measured (default 10)
  --port=N             the app's port (default 3295; nginx takes a free one)
  --json               print RESULT <json> at the end
  --views=N            an older single run: one mixed phase, N of --connections reading
  BENCH_PG_URL         PostgreSQL server (default postgres://postgres@127.0.0.1:5432)
  BENCH_POOL_SIZE      the server's DATABASE_POOL_SIZE (default max(10, connections per process))
  BENCH_NODE_ARGS      extra node options for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
  BENCH_SERVER_OUT     a file for the server's standard output (e.g. with BENCH_NODE_ARGS=--trace-opt)
  NGINX_BIN            nginx (default /usr/sbin/nginx; apt-get install nginx-light)`

interface Figures {
	rps: number
	p50: number
	p99: number
	errors: number
	non2xx: number
	requests: number
}

interface PhaseResult {
	name: string
	instances: number
	views: (Figures & { connections: number; who: string }) | null
	writes:
		| (Figures & {
				connections: number
				mode: 'in-place' | 'page'
				acknowledged: number
				/** New writes (not replays) in the measured seconds by residents who had finished every lesson. */
				retakes: number
				/** Writes offered per second at a steady rate (the mixed phase's in-place writes), not as fast as they go. */
				offeredRate?: number
				idle?: number
				posts?: Figures
				pages?: Figures
		  })
		| null
	statuses: Record<string, number>
	rssMb: number | null
	cpuMsPerRequest: { app: number; appSystem: number; postgres: number; generator: number } | null
	check: (LoadCheck & { passed: boolean }) | null
	loadAverage: number[]
}

export async function runLoad({
	seconds = numberArg('seconds', 10),
	residents = numberArg('residents', 1000),
	connections = numberArg('connections', 10),
	instances = numberArg('instances', 1),
	mixedInstances = numberArg('mixed-instances', 2),
	/** Seconds of the same load before each app phase, not measured. */
	warmup = numberArg('warmup', 10),
	port = numberArg('port', 3295),
	viewers = choiceArg('viewers', ['visitors', 'residents'], 'residents'),
	writeMode = choiceArg('writes', ['in-place', 'page'], 'in-place'),
	legacyViews = given('views') ? numberArg('views', 0) : null,
	mixed = splitArg('mixed', [10, 10]),
	/** The mixed phase's in-place writes offered at this steady rate (per second); 0: as fast as their connections go. */
	writeRate = numberArg('write-rate', 320),
	phases = listArg('phases', PHASES, legacyViews === null ? PHASES : ['mixed']),
	quiet = false,
}: {
	seconds?: number
	residents?: number
	connections?: number
	instances?: number
	mixedInstances?: number
	warmup?: number
	port?: number
	viewers?: 'visitors' | 'residents'
	writeMode?: 'in-place' | 'page'
	legacyViews?: number | null
	mixed?: [number, number]
	writeRate?: number
	phases?: Phase[]
	quiet?: boolean
} = {}) {
	const log = quiet ? () => {} : console.log
	if (legacyViews !== null) {
		// The single run of earlier versions: N of --connections reading, the rest writing, on --instances.
		mixed = [legacyViews, Math.max(0, connections - legacyViews)]
		mixedInstances = instances
		if (!given('viewers')) viewers = 'visitors'
	}
	const dbName = `hvs_bench_load_${process.pid}`
	const url = `${base}/${dbName}`
	const admin = new pg.Client({ connectionString: `${base}/postgres` })
	await admin.connect()
	await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)
	// The databases of earlier runs that ended without dropping theirs (Ctrl-C, a crash): their
	// process is gone. A run still going (another process) keeps its own.
	const { rows: leftovers } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ '^hvs_bench_load_[0-9]+$'`)
	for (const { datname } of leftovers)
		if (!alive(Number(datname.slice('hvs_bench_load_'.length)))) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`)
	await admin.query(`CREATE DATABASE "${dbName}"`)
	await admin.end()
	process.env.DATABASE_URL = url
	process.env.SEED_DEMO = '0'
	const { prisma, closeDb } = await import('#app/utils/db.server.ts')
	const { syncCatalogue } = await import('#app/modules/course/catalogue-sync.server.ts')
	const { getManifest } = await import('#app/modules/course/course.server.ts')
	const { registerResident } = await import('#app/modules/people/people.server.ts')
	const { enrolResident, recordLessonOpened } = await import('#app/modules/progress/progress.server.ts')
	const { createSession, serializeSessionCookie } = await import('#app/utils/session.server.ts')
	const { hashSecret } = await import('#app/utils/password.server.ts')
	await syncCatalogue()
	// The path through every course, in order, with each lesson's right answers.
	const lessons = getManifest().courses.flatMap((c) =>
		c.lessons.map((l) => ({
			id: l.id,
			path: `/courses/${c.slug}/${l.slug}`,
			answers: Object.fromEntries(l.quiz.vi!.map((q) => [q.id, q.options.find((o) => o.correct)!.id])),
		})),
	)
	const communes = ['03646', '03721', '03808', '03820', '03664']
	const hash = await hashSecret('480317')
	const cookies: string[] = new Array(residents)
	const started = Date.now()
	// On a busy machine a new connection can take longer than the pool waits (a 503): try again.
	const retry = async <T>(fn: () => Promise<T>): Promise<T> => {
		for (let attempt = 1; ; attempt++) {
			try {
				return await fn()
			} catch (error) {
				if (!(error instanceof Response && error.status === 503) || attempt === 5) throw error
				await new Promise((r) => setTimeout(r, 1_000))
			}
		}
	}
	// Prepared four at a time (each resident's own steps in order): a thousand in well under a minute.
	let nextResident = 0
	const prepare = async () => {
		for (let i = nextResident++; i < residents; i = nextResident++) await prepareResident(i)
	}
	const prepareResident = async (i: number) => {
		const { id } = await retry(() =>
			registerResident({
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
			}),
		)
		for (const c of getManifest().courses) await retry(() => enrolResident({ userId: id, courseId: c.id }))
		// The lesson the views read, opened once: every phase reads it, whichever runs first (a first
		// opening is a write; the view connections walk the residents in step, and ten first openings
		// of one resident at once would wait for each other's lock).
		await retry(() => recordLessonOpened({ userId: id, lessonId: lessons.find((l) => l.path === LESSON)!.id }))
		const { token } = await retry(() => createSession(id))
		cookies[i] = (await serializeSessionCookie(token)).split(';')[0]!
	}
	await Promise.all(Array.from({ length: 4 }, prepare))
	log(`Prepared ${residents} residents enrolled in ${getManifest().courses.length} courses in ${((Date.now() - started) / 1000).toFixed(1)} s.`)

	const origin = `http://127.0.0.1:${port}`
	let server: AppServer | null = null
	let nginx: Nginx | null = null
	const results: PhaseResult[] = []
	const nginxRuns: PhaseResult[] = []
	let stoppedCleanly = true
	// Everything acknowledged and sent so far: the checks look at the whole database after each phase.
	const sent = new Set<string>()
	const acknowledged: string[] = []
	// Each write takes a resident no other write is using (per-learner order, as on one phone) and
	// submits their next lesson's quiz; residents come back to the front of the line, so a few at a
	// time go through the whole path (lessons, courses, certificates, basic skills), then make way
	// for the next (one who finished re-takes the last quiz when the line comes round again).
	const free = Array.from({ length: residents }, (_, i) => i)
	const state = Array.from({ length: residents }, () => ({ step: 0, last: null as null | { clientId: string; body: string; path: string; mode: string } }))
	let count = 0
	// Residents whose write is on its way: when a run ends, the answers still in flight are never
	// read, and these go back to the line (their write, if it committed, was sent and is checked).
	const busy = new Set<number>()
	/** Requests sent while no resident was free (see writeRequests): should stay 0. */
	let idle = 0
	/**
	 * New writes by a resident who had walked the whole path (they re-take the last quiz): cheaper
	 * than a resident's real progress (no lesson, course or certificate to complete). Printed, so that
	 * a figure measured on them is never taken for one of progress (too few residents for the phase).
	 */
	let retakes = 0
	const reclaim = () => {
		for (const resident of busy) free.unshift(resident)
		busy.clear()
	}

	const ensureServer = async (n: number) => {
		if (server?.instances === n) return server
		if (server) stoppedCleanly = (await stopServer(server, log)) && stoppedCleanly
		server = await startServer({ port, url, instances: n, connections: Math.max(connections, mixed[0] + mixed[1]) })
		return server
	}
	// Every server and nginx started, from the moment it is spawned: a crash or Ctrl-C while one is
	// still starting left it running (and the next run measured it).
	const cleanup = killStarted
	// A crash of this script must not leave a server running (the next run would measure it).
	process.once('exit', cleanup)
	// Interrupted: exit normally, so that the cleanup runs (the server has its own process group).
	process.once('SIGINT', () => process.exit(130))

	/**
	 * Views of the lesson: anonymous (render cache) or signed-in residents in turn. One request per
	 * resident, built once: autocannon serialises a request without `setupRequest` once, so the load
	 * generator spends on a resident's view about what it spends on nginx's (with a `setupRequest`
	 * per view it took 0.10–0.16 ms of CPU per view against nginx's 0.04, on the two cores it shares
	 * with the server). Each connection walks the residents in order.
	 */
	const residentViews = cookies.map((cookie) => ({ method: 'GET', path: LESSON, headers: { 'accept-encoding': 'gzip', cookie } }))
	const viewRequests = (who: 'visitors' | 'residents') => (who === 'residents' ? { requests: residentViews } : { headers: { 'accept-encoding': 'gzip' } })

	type Ctx = { late?: boolean; resident?: number; clientId?: string; advance?: boolean; location?: string; cookie?: string; sentAt?: number; idle?: boolean }
	const statuses = new Map<number, number>()
	const timings = { post: [] as number[], page: [] as number[] }
	/** Quiz writes: in place (JSON, answered 200 with the quiz section) or the full-page post (303), then the page it names. */
	const writeRequests = (mode: 'in-place' | 'page') => {
		const post = {
			method: 'POST',
			setupRequest: (req: Record<string, unknown>, context: Ctx) => {
				const resident = free.shift()
				if (resident === undefined) {
					// Every resident has a write on its way (autocannon re-sends on a connection it had to
					// reopen and never reads the lost answer): a request that writes nothing, not counted.
					Object.assign(context, { resident: undefined, idle: true })
					return { ...req, method: 'GET', path: '/resources/healthcheck', body: undefined, headers: {} }
				}
				context.idle = false
				busy.add(resident)
				const r = state[resident]!
				const cookie = cookies[resident]!
				context.resident = resident
				context.sentAt = performance.now()
				context.cookie = cookie
				const headers = { 'content-type': mode === 'page' ? 'application/x-www-form-urlencoded' : 'application/json', origin, cookie }
				if (r.last?.mode === mode && ++count % 8 === 0) {
					// A replay of this resident's previous write: same client id, same body.
					Object.assign(context, { clientId: r.last.clientId, advance: false })
					return { ...req, method: 'POST', path: r.last.path, body: r.last.body, headers }
				}
				if (r.step >= lessons.length) retakes++
				const lesson = lessons[Math.min(r.step, lessons.length - 1)]!
				const clientId = randomUUID()
				sent.add(clientId)
				const [target, body] =
					mode === 'page'
						? [
								lesson.path,
								new URLSearchParams({
									intent: 'submit-quiz',
									clientId,
									...Object.fromEntries(Object.entries(lesson.answers).map(([q, o]) => [`answer.${q}`, o])),
								}).toString(),
							]
						: ['/api/quiz', JSON.stringify({ lessonId: lesson.id, clientId, answers: lesson.answers })]
				r.last = { clientId, body, path: target, mode }
				Object.assign(context, { clientId, advance: true })
				return { ...req, method: 'POST', path: target, body, headers }
			},
			onResponse: (status: number, body: string, context: Ctx, headers: Record<string, string>) => {
				// (Counted when answered within the measured seconds: paced writes hand on later answers too.)
				if (context.idle) return void (context.late || idle++)
				statuses.set(status, (statuses.get(status) ?? 0) + 1)
				if (mode === 'page') timings.post.push(performance.now() - context.sentAt!)
				if (context.resident === undefined) return
				// Acknowledged: in place, the answer that says it was recorded; without JavaScript, the
				// redirect to the page that shows this very attempt.
				const location = headers.location ?? headers.Location
				// (A build from before ADR 033 answered the post with the page itself, 200: accepted too,
				// so that one script measures both.)
				const ok =
					mode === 'page'
						? (status === 303 && typeof location === 'string' && location.includes(`quiz=${context.clientId}`)) || status === 200
						: status === 200 && body.includes('"recorded":true')
				if (ok) {
					acknowledged.push(context.clientId!)
					if (context.advance) state[context.resident]!.step++
				}
				context.location = ok && mode === 'page' ? location : undefined
				// Back to the front of the line until the whole path is done, then to the back: a few
				// residents at a time work through every lesson, and fresh ones take over.
				busy.delete(context.resident)
				if (state[context.resident]!.step < lessons.length) free.unshift(context.resident)
				else free.push(context.resident)
				context.resident = undefined
			},
		}
		if (mode === 'in-place') return { requests: [post] }
		// The browser follows the redirect: the lesson with the answer (gzip, as a phone asks).
		const follow = {
			method: 'GET',
			setupRequest: (req: Record<string, unknown>, context: Ctx) => {
				context.sentAt = performance.now()
				// The same resident's phone (the post's cookie); a fragment is never sent.
				const headers = { 'accept-encoding': 'gzip', cookie: context.cookie! }
				return { ...req, method: 'GET', path: (context.location ?? LESSON).replace(/#.*$/, ''), body: undefined, headers }
			},
			onResponse: (status: number, _body: string, context: Ctx) => {
				statuses.set(status, (statuses.get(status) ?? 0) + 1)
				timings.page.push(performance.now() - context.sentAt!)
			},
		}
		return { requests: [post, follow] }
	}

	const runPhase = async (phase: Phase): Promise<PhaseResult> => {
		const single = phase !== 'mixed'
		const processes = single ? instances : mixedInstances
		const [viewConnections, writeConnections] =
			phase === 'mixed' ? mixed : phase === 'nginx' || phase === 'visitors' || phase === 'residents' ? [connections, 0] : [0, connections]
		const who = phase === 'mixed' ? viewers : phase === 'residents' ? 'residents' : 'visitors'
		const mode = phase === 'mixed' ? writeMode : phase === 'page' ? 'page' : 'in-place'
		// The mixed phase asks whether the server carries the writes of #22's target while residents
		// read: in place, they come at a steady rate (ADR 041); the single write phases measure how
		// many writes the server takes at most, as fast as their connections go.
		const rate = phase === 'mixed' && mode === 'in-place' ? writeRate : 0
		const writeLoad = (origin: string, duration: number) =>
			rate > 0
				? paced({ origin, connections: writeConnections, duration, rate, request: writeRequests(mode).requests[0]! })
				: autocannon({ url: origin, connections: writeConnections, duration, ...writeRequests(mode) })
		const target = phase === 'nginx' ? nginx! : await ensureServer(processes)
		if (phase !== 'nginx' && warmup > 0) {
			// Unmeasured: a fresh process compiles its hot code in the first seconds (its writes are real
			// and checked with the rest).
			await Promise.all([
				viewConnections > 0 ? autocannon({ url: `${target.origin}${LESSON}`, connections: viewConnections, duration: warmup, ...viewRequests(who) }) : null,
				writeConnections > 0 ? writeLoad(target.origin, warmup) : null,
			])
			reclaim()
		}
		statuses.clear()
		timings.post = []
		timings.page = []
		const acknowledgedBefore = acknowledged.length
		const idleBefore = idle
		const retakesBefore = retakes
		const rss = sampleRss(target.child.pid!)
		const cpuBefore = cpuTimes(target.child.pid!)
		const generatorBefore = process.cpuUsage()
		// Paced writes still queued at the end are answered after it, but not counted as done: the CPU
		// per request is read at the end of the measured seconds, not after they drain.
		const atEnd =
			rate > 0
				? new Promise<{ cpu: ReturnType<typeof cpuTimes>; generator: NodeJS.CpuUsage }>((resolve) =>
						setTimeout(() => resolve({ cpu: cpuTimes(target.child.pid!), generator: process.cpuUsage(generatorBefore) }), seconds * 1000),
					)
				: null
		const [v, w, end] = await Promise.all([
			viewConnections > 0
				? autocannon({ url: `${target.origin}${LESSON}`, connections: viewConnections, duration: seconds, ...viewRequests(who) })
				: Promise.resolve(null),
			writeConnections > 0 ? writeLoad(target.origin, seconds) : Promise.resolve(null),
			atEnd,
		])
		const cpuAfter = end?.cpu ?? cpuTimes(target.child.pid!)
		const generator = end?.generator ?? process.cpuUsage(generatorBefore)
		const rssMb = rss.stop()
		reclaim()
		const requests = (v?.requests.total ?? 0) + (w?.requests.total ?? 0)
		const result: PhaseResult = {
			name: phase,
			instances: phase === 'nginx' ? 1 : processes,
			views: v ? { ...figures(v, seconds), connections: viewConnections, who: phase === 'nginx' ? 'nginx' : who } : null,
			writes: w
				? {
						...figures(w, seconds, idle - idleBefore),
						idle: idle - idleBefore,
						non2xx: [...statuses].filter(([status]) => status >= 400).reduce((sum, [, n]) => sum + n, 0),
						connections: writeConnections,
						mode,
						...(rate > 0 ? { offeredRate: rate } : {}),
						acknowledged: acknowledged.length - acknowledgedBefore,
						retakes: retakes - retakesBefore,
						...(mode === 'page' ? { posts: fromTimings(timings.post, seconds), pages: fromTimings(timings.page, seconds) } : {}),
					}
				: null,
			statuses: Object.fromEntries(statuses),
			rssMb,
			cpuMsPerRequest: requests
				? {
						app: (cpuAfter.app - cpuBefore.app) / requests,
						appSystem: (cpuAfter.appSystem - cpuBefore.appSystem) / requests,
						// This script's own (autocannon's) CPU: on two cores it competes with what it measures.
						generator: (generator.user + generator.system) / 1000 / requests,
						// Backends that exit during the phase (a restart's) take their time with them: at least 0.
						postgres: phase === 'nginx' ? 0 : postgresSince(cpuBefore.postgresByPid, cpuAfter.postgresByPid) / requests,
					}
				: null,
			check: null,
			loadAverage: os.loadavg(),
		}
		if (w) {
			// Requests still in flight when the phase ended may commit meanwhile: the check reads one
			// snapshot, taken after every acknowledged write committed.
			const check = await prisma.$transaction((tx) => checkLoad(tx as unknown as typeof prisma, { sent, acknowledged }), {
				isolationLevel: 'RepeatableRead',
				timeout: 120_000,
				maxWait: 30_000,
			})
			result.check = { ...check, passed: loadCheckPassed(check) && result.writes!.acknowledged > 0 }
		}
		return result
	}

	try {
		if (phases.includes('nginx')) {
			// The page as the built server gives it to a visitor, saved once.
			const app = await ensureServer(instances)
			const page = await fetch(`${app.origin}${LESSON}`)
			if (!page.ok) throw new Error(`the lesson page answered ${page.status}`)
			nginx = await startNginx(await page.text())
		}
		// nginx first and last: the machine's speed may change during the run.
		const others = phases.filter((p) => p !== 'nginx')
		const order: Phase[] = phases.includes('nginx') ? ['nginx', ...others, 'nginx'] : others
		for (const phase of order) {
			const result = await runPhase(phase)
			;(phase === 'nginx' ? nginxRuns : results).push(result)
			log(`  ${summary(result)}`)
		}
	} finally {
		if (nginx) await nginx.stop()
		if (server) stoppedCleanly = (await stopServer(server, log)) && stoppedCleanly
		await closeDb()
		const drop = new pg.Client({ connectionString: `${base}/postgres` })
		await drop.connect()
		await drop.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)
		await drop.end()
		process.removeListener('exit', cleanup)
	}

	const nginxRps = nginxRuns.length ? nginxRuns.reduce((sum, r) => sum + r.views!.rps, 0) / nginxRuns.length : null
	log(report({ seconds, residents, nginxRuns, nginxRps, results, stoppedCleanly }))
	const ok = stoppedCleanly && results.every((r) => !r.check || r.check.passed)
	return { ok, seconds, residents, node: process.version, cpus: os.cpus().length, nginx: nginxRps, nginxRuns, phases: results, stoppedCleanly }
}

// autocannon has no types here (tests/types/autocannon.d.ts).
function figures(r: any, seconds: number, uncounted = 0): Figures {
	return {
		rps: (r.requests.total - uncounted) / seconds,
		p50: r.latency.p50,
		p99: r.latency.p99,
		errors: r.errors + r.timeouts,
		non2xx: r.non2xx,
		requests: r.requests.total,
	}
}

/** Throughput and latency percentiles of one kind of request from its own timings (ms). */
function fromTimings(times: number[], seconds: number): Figures {
	return { rps: times.length / seconds, ...percentiles(times), errors: 0, non2xx: 0, requests: times.length }
}

const LABELS: Record<Phase, string> = {
	nginx: 'nginx, the saved page (gzip)',
	visitors: 'visitors (render cache)',
	residents: 'signed-in residents',
	'in-place': 'quiz answered in place',
	page: 'quiz full-page post (no JS)',
	mixed: 'mixed',
}

function summary(r: PhaseResult) {
	const parts = [r.views, r.writes].filter(Boolean).map((f) => `${f!.rps.toFixed(0)} req/s p99 ${f!.p99} ms`)
	return `${LABELS[r.name as Phase]}: ${parts.join(', ')}${r.check ? (r.check.passed ? ', checks passed' : ', CHECK FAILED') : ''}`
}

function report({
	seconds,
	residents,
	nginxRuns,
	nginxRps,
	results,
	stoppedCleanly,
}: {
	seconds: number
	residents: number
	nginxRuns: PhaseResult[]
	nginxRps: number | null
	results: PhaseResult[]
	stoppedCleanly: boolean
}) {
	const lines: string[] = []
	const load = os.loadavg().map((l) => l.toFixed(1))
	lines.push(
		`\n${seconds} s per phase, ${residents} residents, Node ${process.version}, ${os.cpus().length} cores, load average ${load.join(' ')} at the end (other work on the machine moves every absolute figure: compare the ratios).`,
	)
	const ratio = (rps: number) => (nginxRps ? (rps / nginxRps).toFixed(3) : '—')
	const row = (label: string, procs: string, conns: number, f: Figures, extra = '') =>
		`${label.padEnd(50)} ${procs.padStart(5)} ${String(conns).padStart(5)} ${f.rps.toFixed(0).padStart(7)} ${ratio(f.rps).padStart(7)} ${String(f.p50).padStart(5)} ${String(f.p99).padStart(5)} ${String(f.errors + f.non2xx).padStart(7)}  ${extra}`
	lines.push(
		`${'phase'.padEnd(50)} ${'procs'.padStart(5)} ${'conns'.padStart(5)} ${'req/s'.padStart(7)} ${'×nginx'.padStart(7)} ${'p50'.padStart(5)} ${'p99'.padStart(5)} ${'errors'.padStart(7)}  RSS, CPU per request`,
	)
	const resources = (r: PhaseResult) =>
		`${r.rssMb === null ? '' : `RSS ${r.rssMb.toFixed(0)} MB`}${r.cpuMsPerRequest ? `, app ${r.cpuMsPerRequest.app.toFixed(2)} ms (system ${r.cpuMsPerRequest.appSystem.toFixed(2)})${r.name === 'nginx' ? '' : `, PostgreSQL ${r.cpuMsPerRequest.postgres.toFixed(2)} ms`}, load generator ${r.cpuMsPerRequest.generator.toFixed(2)} ms` : ''}`
	for (const [i, r] of nginxRuns.entries())
		lines.push(row(`${LABELS.nginx}${nginxRuns.length > 1 ? (i ? ', end' : ', start') : ''}`, 'nginx', r.views!.connections, r.views!, resources(r)))
	for (const r of results) {
		const procs = String(r.instances)
		if (r.views) {
			const label = r.name === 'mixed' ? `mixed: ${r.views.who === 'residents' ? 'signed-in residents' : 'visitors'} reading` : LABELS[r.name as Phase]
			lines.push(row(label, procs, r.views.connections, r.views, r.writes ? '' : resources(r)))
		}
		if (r.writes) {
			const label =
				r.name === 'mixed'
					? `mixed: quiz ${r.writes.mode === 'page' ? 'full-page posts' : 'in place'}${r.writes.offeredRate ? ` (${r.writes.offeredRate}/s offered)` : ''}`
					: LABELS[r.name as Phase]
			if (r.writes.posts && r.writes.pages) {
				lines.push(row(`${label}: posts (303)`, procs, r.writes.connections, r.writes.posts, resources(r)))
				lines.push(row(`${label}: then the page`, procs, r.writes.connections, r.writes.pages))
				if (r.writes.errors + r.writes.non2xx) lines.push(`${''.padEnd(4)}↳ errors (4xx, 5xx, sockets) of both: ${r.writes.errors + r.writes.non2xx}`)
			} else lines.push(row(label, procs, r.writes.connections, r.writes, resources(r)))
		}
		if (r.check) {
			const c = r.check
			lines.push(
				`${''.padEnd(4)}↳ statuses ${JSON.stringify(r.statuses)}${r.writes!.idle ? ` (and ${r.writes!.idle} requests not sent for want of a free resident)` : ''}; ${r.writes!.acknowledged} acknowledged in this phase${r.writes!.retakes ? ` (${r.writes!.retakes} of its writes re-took the last quiz of a finished path: more --residents for a phase of progress only)` : ''}; lost ${c.lost}, duplicated ${c.duplicated}, stored but never sent ${c.unknown}, attempts without event ${c.attemptsWithoutEvent}; rollups ${JSON.stringify(c.rollups) === JSON.stringify(c.raw) ? 'equal' : 'DIFFER from'} the raw tables ${JSON.stringify(c.raw)}, commune rows drifting ${c.communeDrift}, breakdown rows disagreeing ${c.cellDrift}: ${c.passed ? 'passed' : 'FAILED'}`,
			)
		}
	}
	lines.push(`servers stopped ${stoppedCleanly ? 'cleanly on SIGTERM' : 'NOT within 20 s of SIGTERM (killed)'}`)
	if (nginxRuns.length === 0) lines.push('(no nginx phase: no ratios)')
	return lines.join('\n')
}

interface AppServer {
	child: ChildProcess
	origin: string
	instances: number
	log: string[]
}

/** Whether a process with this id runs on this machine. */
function alive(pid: number) {
	try {
		process.kill(pid, 0)
		return true
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM'
	}
}

/** Every child this script started and has not seen exit; `true`: its own process group (the cluster's workers too). */
const started = new Map<ChildProcess, boolean>()
function track(child: ChildProcess, group: boolean) {
	started.set(child, group)
	child.once('exit', () => started.delete(child))
	return child
}
function killStarted() {
	for (const [child, group] of started) {
		try {
			if (group) process.kill(-child.pid!, 'SIGKILL')
			else child.kill('SIGKILL')
		} catch {}
	}
}

async function startServer({ port, url, instances, connections }: { port: number; url: string; instances: number; connections: number }): Promise<AppServer> {
	// A server already answering on the port (one a crashed run left behind) would be measured in
	// place of this build's, which cannot listen there: refused, with what to do.
	const taken = await fetch(`http://127.0.0.1:${port}/resources/healthcheck`).then(
		() => true,
		() => false,
	)
	if (taken)
		throw new Error(`port ${port} already answers: a server left running (by a run that crashed?) would be measured. Stop it, or choose another --port.`)
	const child = track(
		spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), 'build/server.js'], {
			env: {
				...process.env,
				PORT: String(port),
				APP_ORIGIN: `http://127.0.0.1:${port}`,
				DATABASE_URL: url,
				NODE_ENV: 'production',
				COOKIE_SECURE: '0',
				LOG_REQUESTS: '0',
				DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? String(Math.max(10, Math.ceil(connections / instances))),
				WEB_CONCURRENCY: String(instances),
			},
			stdio: ['ignore', 'pipe', 'pipe'],
			// Its own process group, so that a crash of this script can kill its workers with it.
			detached: true,
		}),
		true,
	)
	const log: string[] = []
	// BENCH_SERVER_OUT: the server's standard output to that file (e.g. BENCH_NODE_ARGS=--trace-opt).
	child.stdout!.on('data', (d: Buffer) => (process.env.BENCH_SERVER_OUT ? appendFileSync(process.env.BENCH_SERVER_OUT, d) : log.push(d.toString())))
	child.stderr!.on('data', (d: Buffer) => log.push(d.toString()))
	const origin = `http://127.0.0.1:${port}`
	for (let i = 0; ; i++) {
		try {
			if ((await fetch(`${origin}/resources/healthcheck`)).ok) break
		} catch {}
		if (i > 600 || child.exitCode !== null) {
			child.kill('SIGKILL')
			await new Promise((r) => setTimeout(r, 500)) // the last of its output
			throw new Error(`server did not start in 120 s (exit code ${child.exitCode}): ${log.join('').slice(-2000)}`)
		}
		await new Promise((r) => setTimeout(r, 200))
	}
	// The other workers start after the first: wait until all of them listen.
	for (let i = 0; i < 50 && workersOf(child.pid!).length < (instances > 1 ? instances : 0); i++) await new Promise((r) => setTimeout(r, 200))
	if (instances > 1) await new Promise((r) => setTimeout(r, 1_000))
	return { child, origin, instances, log }
}

/** SIGTERM; true when the server exits by itself within 20 s (it once hung there: docs/benchmarks.md). */
async function stopServer(server: AppServer, log: (s: string) => void) {
	const started = Date.now()
	server.child.kill('SIGTERM')
	const clean = await Promise.race([
		new Promise<boolean>((r) => (server.child.exitCode !== null ? r(true) : server.child.once('exit', () => r(true)))),
		new Promise<boolean>((r) => setTimeout(() => r(false), 20_000)),
	])
	if (!clean) server.child.kill('SIGKILL')
	log(`  (server of ${server.instances} process(es) stopped ${clean ? `cleanly in ${Date.now() - started} ms` : 'NOT within 20 s: killed'})`)
	return clean
}

interface Nginx {
	child: ChildProcess
	origin: string
	stop(): Promise<void>
}

/**
 * Debian's nginx as a child (no daemon) with a temporary configuration on a free port, serving
 * `html` at the lesson's path: one worker, gzip at the level the app's `compression()` uses (zlib's
 * default, 6) for answers of 1 KB or more, no access log.
 */
async function startNginx(html: string): Promise<Nginx> {
	const bin = process.env.NGINX_BIN ?? '/usr/sbin/nginx'
	if (!existsSync(bin)) throw new Error(`nginx is missing (${bin}): apt-get install -y nginx-light, or leave nginx out of --phases`)
	const dir = mkdtempSync(path.join(os.tmpdir(), 'hvs-bench-nginx-'))
	const file = path.join(dir, 'www', LESSON)
	mkdirSync(path.dirname(file), { recursive: true })
	writeFileSync(file, html)
	// mkdtemp makes the folder private; nginx's worker (started by root, it runs as nobody) must read the page.
	for (let d = path.dirname(file); d.startsWith(dir); d = path.dirname(d)) chmodSync(d, 0o755)
	chmodSync(file, 0o644)
	const port = await freePort()
	writeFileSync(
		path.join(dir, 'nginx.conf'),
		`worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  gzip on; gzip_comp_level 6; gzip_min_length 1024; gzip_types text/html;
  # autocannon keeps its connections, as the app's server lets it (nginx closes one after 1,000 by default).
  keepalive_requests 10000000; keepalive_timeout 75s;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/www;
    default_type text/html;
    charset utf-8;
  }
}`,
	)
	const log: string[] = []
	const child = track(spawn(bin, ['-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: ['ignore', 'pipe', 'pipe'] }), false)
	child.stdout!.on('data', (d: Buffer) => log.push(d.toString()))
	child.stderr!.on('data', (d: Buffer) => log.push(d.toString()))
	const origin = `http://127.0.0.1:${port}`
	for (let i = 0; ; i++) {
		try {
			const r = await fetch(`${origin}${LESSON}`, { headers: { 'accept-encoding': 'gzip' } })
			if (r.ok && (await r.text()) === html) break
		} catch {}
		if (i > 50 || child.exitCode !== null) {
			child.kill('SIGKILL')
			throw new Error(`nginx did not start: ${log.join('')} ${readIf(path.join(dir, 'error.log'))}`)
		}
		await new Promise((r) => setTimeout(r, 100))
	}
	return {
		child,
		origin,
		stop: async () => {
			if (child.exitCode === null) {
				child.kill('SIGQUIT')
				await new Promise((r) => child.once('exit', r))
			}
			rmSync(dir, { recursive: true, force: true })
		},
	}
}

function readIf(file: string) {
	try {
		return readFileSync(file, 'utf8')
	} catch {
		return ''
	}
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = net.createServer()
		s.once('error', reject)
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address() as net.AddressInfo
			s.close(() => resolve(port))
		})
	})
}

/** The pids of a process's children (the cluster's workers, nginx's worker). */
function workersOf(pid: number): number[] {
	try {
		return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number)
	} catch {
		return []
	}
}

/** The largest resident memory (MB, summed over the process and its children) while the phase runs, sampled every 250 ms. */
function sampleRss(pid: number) {
	let peak: number | null = null
	const sample = () => {
		let kb = 0
		for (const p of [pid, ...workersOf(pid)]) kb += Number(/VmRSS:\s+(\d+)/.exec(readIf(`/proc/${p}/status`))?.[1] ?? 0)
		if (kb) peak = Math.max(peak ?? 0, kb / 1024)
	}
	sample()
	const timer = setInterval(sample, 250)
	return {
		stop: () => {
			sample()
			clearInterval(timer)
			return peak
		},
	}
}

/**
 * CPU time (user + system, ms) so far of the server (the process and its workers) and of every
 * PostgreSQL process (by pid), from /proc (Linux); zeros elsewhere. Backends that exit during the
 * load take their time with them, so the PostgreSQL figure is a lower bound.
 */
function cpuTimes(serverPid: number) {
	const tick = 1000 / 100 // USER_HZ is 100 on Linux
	let app = 0
	let appSystem = 0
	const postgresByPid = new Map<number, number>()
	let entries: string[] = []
	try {
		entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d))
	} catch {
		return { app, appSystem, postgresByPid }
	}
	for (const pid of entries) {
		const stat = readIf(`/proc/${pid}/stat`)
		if (!stat) continue
		const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
		const ppid = Number(fields[1])
		const ms = (Number(fields[11]) + Number(fields[12])) * tick
		if (Number(pid) === serverPid || ppid === serverPid) {
			app += ms
			appSystem += Number(fields[12]) * tick
		} else if (name === 'postgres' || name.startsWith('postgres:')) postgresByPid.set(Number(pid), ms)
	}
	return { app, appSystem, postgresByPid }
}

/**
 * PostgreSQL's CPU time between two readings, process by process: a backend started since counts
 * whole, one that exited is left out. (A sum of the totals would go down when the pool closes an
 * idle connection that did much work earlier — the one that prepared the residents — and print 0.)
 */
function postgresSince(before: Map<number, number>, after: Map<number, number>) {
	let ms = 0
	for (const [pid, total] of after) ms += Math.max(0, total - (before.get(pid) ?? 0))
	return ms
}

if (import.meta.url === `file://${process.argv[1]}`) {
	if (flag('help')) {
		console.log(HELP)
		process.exit(0)
	}
	const result = await runLoad()
	if (flag('json')) console.log(`RESULT ${JSON.stringify(result)}`)
	console.log(result.ok ? '\n✔ no acknowledged write lost or duplicated; figures agree with the raw tables; the servers stopped cleanly' : '\n✖ CHECK FAILED')
	process.exit(result.ok ? 0 : 1)
}
