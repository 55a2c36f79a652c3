/**
 * npm run bench:load [-- --seconds=5 --residents=300 --connections=20]
 *
 * Against the built server on PostgreSQL (a throwaway database on 127.0.0.1:5432), simulated
 * residents read lesson pages and submit quizzes (progress writes) concurrently for a fixed time.
 * Afterwards it checks that every acknowledged write is in the database exactly once and that the
 * commune/province rollups equal counts from the raw tables, and prints throughput and p50/p95/p99
 * latency for page views and for writes. Needs `npm run build`. Exit code 1 on lost/duplicated
 * writes or drifting figures; timings are printed, never asserted.
 */
import { randomUUID } from 'node:crypto'
import { spawn } from 'node:child_process'
import autocannon from 'autocannon'
import pg from 'pg'

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback)
const SECONDS = arg('seconds', 5)
const RESIDENTS = arg('residents', 300)
const CONNECTIONS = arg('connections', 20)
const PORT = arg('port', 3295)
const base = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432'
const dbName = `hvs_bench_load_${process.pid}`
const url = `${base}/${dbName}`

export async function runLoad({ seconds = SECONDS, residents = RESIDENTS, connections = CONNECTIONS, port = PORT, quiet = false } = {}) {
	const log = quiet ? () => {} : console.log
	const admin = new pg.Client({ connectionString: `${base}/postgres` })
	await admin.connect()
	await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)
	await admin.query(`CREATE DATABASE "${dbName}"`)
	await admin.end()
	process.env.DATABASE_URL = url
	process.env.SEED_DEMO = '0'
	const { prisma, closeDb } = await import('#app/utils/db.server.ts')
	const { syncCatalogue } = await import('#app/modules/course/catalogue-sync.server.ts')
	const { getCourseBySlug } = await import('#app/modules/course/course.server.ts')
	const { registerResident } = await import('#app/modules/people/people.server.ts')
	const { enrolResident } = await import('#app/modules/progress/progress.server.ts')
	const { createSession, serializeSessionCookie } = await import('#app/utils/session.server.ts')
	const { hashSecret } = await import('#app/utils/password.server.ts')
	await syncCatalogue()
	const course = getCourseBySlug('scam-safety')!
	const lesson = course.lessons[0]!
	const answers = Object.fromEntries(lesson.quiz.vi!.map((q) => [`answer.${q.id}`, q.options.find((o) => o.correct)!.id]))
	const communes = ['03646', '03721', '03808', '03820', '03664']
	const hash = await hashSecret('480317')
	const cookies: string[] = []
	const started = Date.now()
	for (let i = 0; i < residents; i++) {
		const { id } = await registerResident({
			phone: `0339${String(i).padStart(6, '0')}`,
			profile: { fullName: 'Người Thử Tải', birthYear: 1950 + (i % 50), sex: i % 2 ? 'MALE' : 'FEMALE', ethnicGroup: i % 3 ? '03' : '01', learnerGroup: 'RESIDENT', provinceCode: '14', communeCode: communes[i % communes.length]! },
			passwordHash: { kind: 'PIN', hash },
			via: 'SEED',
		})
		await enrolResident({ userId: id, courseId: course.id })
		const { token } = await createSession(id)
		cookies.push((await serializeSessionCookie(token)).split(';')[0]!)
	}
	log(`Prepared ${residents} enrolled residents in ${((Date.now() - started) / 1000).toFixed(1)} s.`)

	const server = spawn(process.execPath, ['server.js'], {
		env: { ...process.env, PORT: String(port), DATABASE_URL: url, NODE_ENV: 'production', COOKIE_SECURE: '0', LOG_REQUESTS: '0', DATABASE_POOL_SIZE: '20' },
		stdio: ['ignore', 'pipe', 'pipe'],
	})
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

	const sent = new Set<string>()
	const acknowledged: string[] = []
	const statuses = new Map<number, number>()
	const origin = `http://127.0.0.1:${port}`
	const lessonPath = `/courses/${course.slug}/${lesson.slug}`
	const views: Promise<any> = autocannon({ url: `${origin}/courses/smartphone/turn-on`, connections: Math.ceil(connections / 2), duration: seconds })
	const writes: Promise<any> = autocannon({
		url: origin,
		connections: Math.ceil(connections / 2),
		duration: seconds,
		requests: [
			{
				method: 'POST',
				path: lessonPath,
				setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
					const clientId = randomUUID()
					context.clientId = clientId
					sent.add(clientId)
					const body = new URLSearchParams({ intent: 'submit-quiz', clientId, ...answers }).toString()
					return {
						...req,
						body,
						headers: { 'content-type': 'application/x-www-form-urlencoded', origin, cookie: cookies[Math.floor(Math.random() * cookies.length)]! },
					}
				},
				onResponse: (status: number, _body: string, context: Record<string, unknown>) => {
					statuses.set(status, (statuses.get(status) ?? 0) + 1)
					if (status === 200) acknowledged.push(context.clientId as string)
				},
			},
		],
	})
	const [v, w] = await Promise.all([views, writes])
	server.kill('SIGTERM')
	await new Promise((r) => server.once('exit', r))

	// Every acknowledged write exactly once; nothing that was never sent.
	const rows = await prisma.$queryRaw<{ clientId: string }[]>`SELECT "clientId" FROM "QuizAttempt" WHERE "lessonId" = ${lesson.id}`
	const stored = new Map<string, number>()
	for (const r of rows) stored.set(r.clientId, (stored.get(r.clientId) ?? 0) + 1)
	const lost = acknowledged.filter((id) => !stored.has(id))
	const duplicated = [...stored.values()].filter((n) => n > 1).length
	const unknown = [...stored.keys()].filter((id) => !sent.has(id)).length
	const events = await prisma.clientEvent.count({ where: { kind: 'quiz.attempt' } })

	// Commune and province figures from the rollups equal the raw tables.
	const [roll] = await prisma.$queryRaw<{ registered: bigint; enrolments: bigint; completions: bigint; certificates: bigint }[]>`
		SELECT SUM(registered) AS registered, SUM(enrolments) AS enrolments, SUM(completions) AS completions, SUM(certificates) AS certificates FROM "DailyStat" WHERE "provinceCode" = '14'`
	const raw = {
		registered: await prisma.user.count({ where: { provinceCode: '14' } }),
		enrolments: await prisma.enrolment.count({ where: { provinceCode: '14' } }),
		completions: await prisma.enrolment.count({ where: { provinceCode: '14', completedAt: { not: null } } }),
		certificates: await prisma.certificate.count({ where: { provinceCode: '14' } }),
	}
	const rollups = { registered: Number(roll?.registered ?? 0), enrolments: Number(roll?.enrolments ?? 0), completions: Number(roll?.completions ?? 0), certificates: Number(roll?.certificates ?? 0) }
	const perCommune = await prisma.$queryRaw<{ communeCode: string; rollup: bigint; raw: bigint }[]>`
		SELECT d."communeCode", SUM(d.enrolments) AS rollup, (SELECT count(*) FROM "Enrolment" e WHERE e."communeCode" = d."communeCode") AS raw
		FROM "DailyStat" d GROUP BY d."communeCode"`
	const communeDrift = perCommune.filter((r) => r.rollup !== r.raw)
	const attemptsPerUser = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(DISTINCT "userId") AS n FROM "QuizAttempt"`
	await closeDb()
	const drop = new pg.Client({ connectionString: `${base}/postgres` })
	await drop.connect()
	await drop.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)
	await drop.end()

	const fmt = (r: any) =>
		`${(r.requests.total / seconds).toFixed(0).padStart(6)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p95 ${String(r.latency.p97_5 ?? r.latency.p90).padStart(4)} ms*   p99 ${String(r.latency.p99).padStart(4)} ms   errors ${r.errors + r.timeouts}   non-2xx ${r.non2xx}`
	log(`\nLoad for ${seconds} s, ${connections} connections, ${residents} residents, Node ${process.version}:`)
	log(`  lesson page views  ${fmt(v)}`)
	log(`  progress writes    ${fmt(w)}`)
	log('  (* autocannon reports p97.5, not p95)')
	log(`  write statuses: ${JSON.stringify(Object.fromEntries(statuses))}; ${acknowledged.length} acknowledged by ${Number(attemptsPerUser[0]?.n ?? 0)} residents, ${rows.length} stored, ${events} client events`)
	log(`  lost: ${lost.length}   duplicated: ${duplicated}   stored but never sent: ${unknown}`)
	log(`  rollups ${JSON.stringify(rollups)}\n  raw     ${JSON.stringify(raw)}   communes drifting: ${communeDrift.length}`)
	const ok = lost.length === 0 && duplicated === 0 && unknown === 0 && JSON.stringify(rollups) === JSON.stringify(raw) && communeDrift.length === 0 && acknowledged.length > 0
	return { ok, views: v, writes: w, acknowledged: acknowledged.length, lost: lost.length, duplicated, rollups, raw }
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const result = await runLoad()
	console.log(result.ok ? '\n✔ no acknowledged write lost or duplicated; figures agree with the raw tables' : '\n✖ CHECK FAILED')
	process.exit(result.ok ? 0 : 1)
}
