import { databaseReadiness, dbInfo, prisma } from '#app/utils/db.server.ts'

/**
 * "Ready" for load balancers (nginx, uptime checks, the rolling restart): 200 only when the
 * database answers, holds every migration of this version and the process is not shutting down;
 * otherwise 503 with the reason. Whether the process is merely up: /resources/livez.
 */
export async function loader() {
	const headers = { 'Cache-Control': 'no-store' }
	const readiness = await databaseReadiness()
	if (!readiness.ready) {
		return Response.json(
			{ status: 'not-ready', reason: readiness.reason, database: dbInfo.kind, pendingMigrations: readiness.pending?.length },
			{ status: 503, headers: { ...headers, 'Retry-After': '5' } },
		)
	}
	try {
		const [row] = await prisma.$queryRaw<{ communes: bigint }[]>`SELECT count(*) AS communes FROM "Commune"`
		return Response.json({ status: 'ok', database: dbInfo.kind, migrations: readiness.applied, communes: Number(row?.communes ?? 0) }, { headers })
	} catch (error) {
		console.error('healthcheck failed:', (error as Error).message)
		return Response.json({ status: 'not-ready', reason: 'unreachable', database: dbInfo.kind }, { status: 503, headers: { ...headers, 'Retry-After': '5' } })
	}
}
