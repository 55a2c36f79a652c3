import http from 'node:http'

export interface WriteRequest {
	setupRequest: (
		req: Record<string, unknown>,
		context: Record<string, unknown>,
	) => { method: string; path: string; body?: string; headers: Record<string, string> }
	onResponse: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void
}

/**
 * Writes at a steady `rate` per second for `duration` seconds, on at most `connections` kept-alive
 * connections (an open loop: the n-th write is due at n / rate seconds, whether or not the answers
 * before it came back; one that finds every connection busy waits for one). Its latency counts from
 * when it was due, so a server falling behind shows in p99 rather than in fewer writes offered
 * (autocannon's own rate limit sends each second's writes in a burst at its start). Answers in the
 * shape of autocannon's result, for `figures`; only answers back within `duration` count as done.
 */
export async function paced({
	origin,
	connections,
	duration,
	rate,
	request,
}: {
	origin: string
	connections: number
	duration: number
	rate: number
	request: WriteRequest
}) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: connections })
	const { hostname, port } = new URL(origin)
	const latencies: number[] = []
	let done = 0
	let errors = 0
	let non2xx = 0
	const start = performance.now()
	const end = start + duration * 1000
	const pending = new Set<Promise<void>>()
	const send = (due: number) =>
		new Promise<void>((resolve) => {
			const context: Record<string, unknown> = {}
			const { method, path, body, headers } = request.setupRequest({}, context)
			const req = http.request(
				{ agent, hostname, port, method, path, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
				(res) => {
					const chunks: Buffer[] = []
					res.on('data', (chunk: Buffer) => chunks.push(chunk))
					res.on('end', () => {
						const at = performance.now()
						if (at <= end) done++
						latencies.push(at - due)
						const status = res.statusCode ?? 0
						if (status < 200 || status >= 300) non2xx++
						// An answer after the measured seconds: handled (a write is acknowledged), not counted as done.
						context.late = at > end
						request.onResponse(status, Buffer.concat(chunks).toString(), context, res.headers as Record<string, string>)
						resolve()
					})
					res.on('error', () => (errors++, resolve()))
				},
			)
			req.on('error', () => (errors++, resolve()))
			req.end(body)
		})
	// The n-th write is due at start + n / rate; exactly rate × duration of them, each sent once due
	// (a timer that fires late sends every write due meanwhile at once, each with its own due time).
	const dueAt = (n: number) => start + (n * 1000) / rate
	const count = Math.round(rate * duration)
	for (let sent = 0; sent < count; ) {
		const now = performance.now()
		for (; sent < count && dueAt(sent) <= now; sent++) {
			const write = send(dueAt(sent))
			pending.add(write)
			void write.then(() => pending.delete(write))
		}
		if (sent < count) await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueAt(sent) - performance.now())))
	}
	await Promise.all(pending)
	agent.destroy()
	return { requests: { total: done }, latency: percentiles(latencies), errors, timeouts: 0, non2xx }
}

/** The median and 99th percentile of these times (ms, whole), 0 when there are none; `times` is not changed. */
export function percentiles(times: number[]) {
	const sorted = [...times].sort((a, b) => a - b)
	const at = (p: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!) : 0)
	return { p50: at(0.5), p99: at(0.99) }
}
