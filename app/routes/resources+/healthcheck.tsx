import { prisma, dbInfo } from '#app/utils/db.server.ts'

/** For load balancers and uptime checks: 200 only when the database answers. */
export async function loader() {
	try {
		const [row] = await prisma.$queryRaw<{ communes: bigint }[]>`SELECT count(*) AS communes FROM "Commune"`
		return Response.json({ status: 'ok', database: dbInfo.kind, communes: Number(row?.communes ?? 0) }, { headers: { 'Cache-Control': 'no-store' } })
	} catch (error) {
		console.error('healthcheck failed:', (error as Error).message)
		return Response.json({ status: 'error', database: dbInfo.kind }, { status: 503, headers: { 'Cache-Control': 'no-store' } })
	}
}
