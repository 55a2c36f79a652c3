import fs from 'node:fs'
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Client, createDatabase, dropDatabase, type Instance, seed, startInstance } from './harness.ts'

// The built server (build/server.js) as a process: bodies counted while they stream (#16 item 6)
// and the headers of every kind of answer, anonymous and signed in (#16 item 8).
const db = 'hvs_server_http'
const PORT = 3341
let instance: Instance
let base: string
// The demo commune officer of Tô Hiệu (app/modules/demo/demo.server.ts, README).
let staff: Client

beforeAll(async () => {
	const url = await createDatabase(db)
	seed(url)
	instance = await startInstance({ port: PORT, databaseUrl: url, id: 'http' })
	base = `http://127.0.0.1:${PORT}`
	staff = new Client(base)
	const signIn = await staff.request('/login', { form: { phone: '0912000002', secret: 'hocvuso-xa' } })
	expect(signIn.status).toBe(302)
})

afterAll(async () => {
	await instance?.stop()
	await dropDatabase(db)
})

/** The process's resident memory in MB (Linux). */
function rssMb(pid: number) {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
	return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024
}

/**
 * POSTs up to `totalMb` in 1 MB chunks with no Content-Length (chunked), stopping when the answer
 * comes. Returns its status, how much was sent, and the server's highest RSS meanwhile.
 */
function chunkedPost(path: string, headers: Record<string, string>, totalMb: number) {
	const pid = instance.process.pid!
	let peak = rssMb(pid)
	return new Promise<{ status: number; body: string; sentMb: number; peakMb: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
		let sent = 0
		let answered = false
		const chunk = Buffer.alloc(1024 * 1024, 'a')
		const req = http.request(`${base}${path}`, { method: 'POST', headers: { Origin: base, ...headers } })
		req.on('response', (res) => {
			answered = true
			let body = ''
			res.on('data', (d) => (body += d))
			res.on('end', () => {
				peak = Math.max(peak, rssMb(pid))
				resolve({ status: res.statusCode!, body, sentMb: sent, peakMb: peak, headers: res.headers })
				req.destroy()
			})
		})
		req.on('error', (error) => {
			if (!answered) reject(error)
		})
		const pump = () => {
			while (!answered && sent < totalMb) {
				sent++
				peak = Math.max(peak, rssMb(pid))
				if (!req.write(chunk)) return void req.once('drain', pump)
			}
			if (!answered) req.end()
		}
		pump()
	})
}

describe('request bodies are counted as they stream', () => {
	test('a chunked 300 MB POST /login is refused with 413 early, without the server growing', async () => {
		const before = rssMb(instance.process.pid!)
		const result = await chunkedPost('/login', { 'Content-Type': 'application/x-www-form-urlencoded' }, 300)
		expect(result.status).toBe(413)
		expect(result.sentMb).toBeLessThan(300)
		expect(result.peakMb - before).toBeLessThan(50)
		// The app's own localised refusal (the route's limit, 64 KB).
		expect(result.body).toContain('Dữ liệu gửi lên quá lớn.')
		expect(result.headers['x-content-type-options']).toBe('nosniff')
		// And the server still answers.
		expect((await fetch(`${base}/resources/healthcheck`)).status).toBe(200)
	})

	test('a chunked 300 MB upload to /staff/import, signed in, is refused with 413 the same way', async () => {
		const before = rssMb(instance.process.pid!)
		const cookie = [...staff.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
		const result = await chunkedPost('/staff/import', { 'Content-Type': 'multipart/form-data; boundary=x', Cookie: cookie }, 300)
		expect(result.status).toBe(413)
		expect(result.sentMb).toBeLessThan(300)
		expect(result.peakMb - before).toBeLessThan(50)
		expect(result.headers['cache-control']).toBe('private, no-store')
	})

	test('a single-fetch (.data) POST declaring more than the server-wide limit gets the JSON 413 before any route runs', async () => {
		const result = await chunkedPost(
			'/courses/smartphone.data',
			{ 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(7 * 1024 * 1024) },
			7,
		)
		expect(result.status).toBe(413)
		expect(JSON.parse(result.body)).toMatchObject({ message: 'common:errors.tooLarge' })
	})
})

/** One of the server's own error pages: titled as headed, the help line, the code small below. */
function expectServerErrorPage(page: string, { heading, code, help }: { heading: string; code: number; help: string }) {
	expect(page).toContain(`<title>${heading} — Học Vụ Số</title>`)
	expect(page).toContain(`<h1>${heading}</h1>`)
	expect(page).toContain(help)
	expect(page).toContain(`<small>Mã lỗi: ${code}</small>`)
}

/**
 * POSTs a body of `totalMb` with its Content-Length and keeps sending all of it whatever the server
 * answers meanwhile, as a phone's browser uploading a form does. Resolves with the answer; fails if
 * the connection is reset before the answer could be read.
 */
function stubbornPost(path: string, headers: Record<string, string>, totalMb: number) {
	return new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
		const chunk = Buffer.alloc(256 * 1024, 'a')
		const total = totalMb * 4
		const req = http.request(`${base}${path}`, {
			method: 'POST',
			headers: { Origin: base, ...headers, 'Content-Length': String(total * chunk.length) },
		})
		req.on('response', (res) => {
			let body = ''
			res.on('data', (d) => (body += d))
			res.on('end', () => resolve({ status: res.statusCode!, body, connection: res.headers.connection }))
			res.on('error', reject)
		})
		req.on('error', reject)
		let sent = 0
		const pump = () => {
			while (sent < total) {
				sent++
				if (!req.write(chunk)) return void req.once('drain', pump)
			}
			req.end()
		}
		pump()
	})
}

describe('an answer given before the body has arrived reaches a client that keeps sending', () => {
	// The server answers as soon as it can refuse (a declared length over a limit, a forged origin, a
	// route's own limit) and does not read the rest into memory; but if it closed the socket with
	// unread bytes in it, the kernel would reset the connection and the phone would show "connection
	// reset" instead of the localised answer. Each case runs a few times: the reset is a race.
	const cases: [string, string, Record<string, string>, number, number][] = [
		['a single-fetch POST over the server-wide limit', '/courses/smartphone.data', { 'Content-Type': 'application/x-www-form-urlencoded' }, 7, 413],
		["a form POST over the route's own limit", '/login', { 'Content-Type': 'application/x-www-form-urlencoded' }, 2, 413],
		['a POST from another site', '/login', { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' }, 2, 403],
		['a POST to a page without an action', '/courses', { 'Content-Type': 'application/x-www-form-urlencoded' }, 2, 405],
	]
	for (const [name, path, headers, mb, status] of cases) {
		test(name, async () => {
			for (let i = 0; i < 4; i++) {
				const result = await stubbornPost(path, headers, mb)
				expect(result.status).toBe(status)
				expect(result.body.length).toBeGreaterThan(0)
			}
			expect((await fetch(`${base}/resources/healthcheck`)).status).toBe(200)
		})
	}
})

describe('headers on every kind of answer', () => {
	const asset = fs.readdirSync('build/client/assets').find((name) => name.endsWith('.js'))!
	// [path, kind]: documents, single-fetch data, JSON, downloads, static files, errors.
	const anonymous: [string, string][] = [
		['/', 'document'],
		['/courses', 'document'],
		['/courses/smartphone', 'document'],
		['/courses/smartphone.data', 'data'],
		['/_root.data', 'data'],
		['/api/v1/openapi.json', 'json'],
		['/resources/healthcheck', 'json'],
		['/.well-known/jwks.json', 'json'],
		['/no-such-page', '404'],
		['/no-such-page.data', '404 data'],
		['/staff/export?format=csv', 'redirect'],
		['/favicon.svg', 'static'],
		['/sw.js', 'static'],
		[`/assets/${asset}`, 'static'],
	]
	const signedIn: [string, string][] = [
		['/', 'document'],
		['/me', 'document'],
		['/staff', 'document'],
		['/staff.data', 'data'],
		['/staff/residents', 'document'],
		['/courses/smartphone', 'document'],
		['/courses/smartphone.data', 'data'],
		['/resources/communes?province=14', 'json'],
		['/staff/export?format=csv&commune=03646', 'csv'],
		['/staff/export?format=xlsx&commune=03646', 'xlsx'],
		['/staff/export?format=template', 'csv'],
		['/province', '403'],
		['/no-such-page', '404'],
		['/favicon.svg', 'static'],
		[`/assets/${asset}`, 'static'],
	]

	function expectSecurityHeaders(response: Response, what: string) {
		const h = response.headers
		expect(h.get('x-content-type-options'), what).toBe('nosniff')
		expect(h.get('referrer-policy'), what).toBe('same-origin')
		expect(h.get('x-frame-options'), what).toBe('DENY')
		expect(h.get('permissions-policy'), what).toContain('camera=()')
		expect(h.get('content-security-policy'), what).toContain("frame-ancestors 'none'")
	}

	test('anonymous: security headers everywhere, and a nonce in every document CSP', async () => {
		for (const [path, kind] of anonymous) {
			const response = await fetch(base + path, { redirect: 'manual' })
			const what = `${path} (${kind}) → ${response.status}`
			expectSecurityHeaders(response, what)
			if (kind === 'document') expect(response.headers.get('content-security-policy'), what).toMatch(/'nonce-[^']+'/)
			expect(response.headers.get('cache-control') ?? '', what).not.toContain('private')
			await response.arrayBuffer()
		}
	})

	test('signed in: private, no-store on everything but static files', async () => {
		for (const [path, kind] of signedIn) {
			const response = await staff.request(path)
			const what = `${path} (${kind}) → ${response.status}`
			expectSecurityHeaders(response, what)
			if (kind === 'static') expect(response.headers.get('cache-control'), what).toMatch(/public|max-age|no-cache/)
			else expect(response.headers.get('cache-control'), what).toBe('private, no-store')
			if (kind === 'csv') expect(response.headers.get('content-type'), what).toContain('text/csv')
			if (kind === 'xlsx') expect(response.headers.get('content-type'), what).toContain('spreadsheetml')
			await response.arrayBuffer()
		}
		// The render cache neither serves nor stores a signed-in page.
		const lesson = await staff.request('/courses/smartphone')
		expect(lesson.headers.get('x-render-cache')).toBeNull()
	})

	test("the server's own error page (a malformed address) is titled and headed in plain words, its help not the heading again", async () => {
		const response = await fetch(`${base}/courses/%E0%A4%A`)
		expect(response.status).toBe(400)
		const page = await response.text()
		expectServerErrorPage(page, {
			heading: 'Trang này chưa mở được',
			code: 400,
			help: 'Trang này nhận được thông tin chưa đúng. Hãy quay lại trang trước và thử lại.',
		})
		expect(page).toContain('This page could not be opened.')
	})

	test('the forged-origin refusal and a Host header change nothing of the URLs', async () => {
		const forged = await fetch(`${base}/login`, { method: 'POST', headers: { Origin: 'https://evil.example' }, body: 'phone=1' })
		expect(forged.status).toBe(403)
		expectSecurityHeaders(forged, 'forged 403')
		// In the app's words, Vietnamese first, as a page to a browser and as JSON to a script.
		expect(forged.headers.get('content-type')).toContain('text/html')
		const page = await forged.text()
		expect(page).toContain('<html lang="vi">')
		// A heading in plain words that does not blame the person ("not sent", not "you may not see this"), the code small below.
		expectServerErrorPage(page, {
			heading: 'Chưa gửi được',
			code: 403,
			help: 'Yêu cầu bị từ chối vì không đến từ trang Học Vụ Số. Hãy mở lại trang và thử lại.',
		})
		expect(page).toContain('it did not come from the Học Vụ Số site')
		const script = await fetch(`${base}/api/quiz`, {
			method: 'POST',
			headers: { Origin: 'https://evil.example', 'Content-Type': 'application/json' },
			body: '{}',
		})
		expect(script.status).toBe(403)
		expect(await script.json()).toEqual({
			message: 'common:errors.otherSite',
			text: {
				vi: 'Yêu cầu bị từ chối vì không đến từ trang Học Vụ Số. Hãy mở lại trang và thử lại.',
				en: 'Request refused: it did not come from the Học Vụ Số site. Reload the page and try again.',
			},
		})
		// Links in the OpenAPI document come from APP_ORIGIN, not from Host/X-Forwarded-Host.
		const api = await new Promise<string>((resolve, reject) => {
			http
				.get(`${base}/api/v1/openapi.json`, { headers: { Host: 'evil.example', 'X-Forwarded-Host': 'evil.example' } }, (res) => {
					let body = ''
					res.on('data', (d) => (body += d))
					res.on('end', () => resolve(body))
				})
				.on('error', reject)
		})
		expect(api).not.toContain('evil.example')
		expect(api).toContain(base)
	})
})
