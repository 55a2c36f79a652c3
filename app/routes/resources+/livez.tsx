/**
 * "Up": the process answers HTTP. No database query, so a database outage does not make a
 * supervisor restart healthy processes (that is what "ready", /resources/healthcheck, is for).
 */
export function loader() {
	return Response.json({ status: 'up', uptimeSeconds: Math.round(process.uptime()) }, { headers: { 'Cache-Control': 'no-store' } })
}
