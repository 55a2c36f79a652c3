import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'

/** Real processes for system tests: a throwaway PostgreSQL database, app instances, nginx. */
export const PG_BASE = process.env.SYSTEM_PG_URL ?? 'postgres://postgres@127.0.0.1:5432'

export async function createDatabase(name: string) {
	const admin = new pg.Client({ connectionString: `${PG_BASE}/postgres` })
	await admin.connect()
	await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
	await admin.query(`CREATE DATABASE "${name}"`)
	await admin.end()
	return `${PG_BASE}/${name}`
}

export async function dropDatabase(name: string) {
	const admin = new pg.Client({ connectionString: `${PG_BASE}/postgres` })
	await admin.connect()
	await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
	await admin.end()
}

export function seed(databaseUrl: string) {
	execFileSync('npx', ['tsx', 'prisma/seed/index.ts'], {
		env: { ...process.env, DATABASE_URL: databaseUrl, SEED_DEMO: '1', NODE_ENV: 'production', APP_ORIGIN: 'http://127.0.0.1' },
		stdio: 'pipe',
		timeout: 120_000,
	})
}

export interface Instance {
	port: number
	process: ChildProcess
	log: string[]
	stop(signal?: NodeJS.Signals): Promise<void>
}

export async function startInstance({
	port,
	databaseUrl,
	id,
	env = {},
}: {
	port: number
	databaseUrl: string
	id: string
	env?: Record<string, string>
}): Promise<Instance> {
	if (!fs.existsSync('build/server.js')) throw new Error('Run `npm run build` first')
	const child = spawn(process.execPath, ['build/server.js'], {
		env: {
			...process.env,
			PORT: String(port),
			APP_ORIGIN: `http://127.0.0.1:${port}`,
			DATABASE_URL: databaseUrl,
			NODE_ENV: 'production',
			COOKIE_SECURE: '0',
			TRUST_PROXY: '1',
			INSTANCE_ID: id,
			LOG_REQUESTS: '0',
			SEED_DEMO: '0',
			...env,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	})
	const log: string[] = []
	child.stdout!.on('data', (d: Buffer) => log.push(d.toString()))
	child.stderr!.on('data', (d: Buffer) => log.push(d.toString()))
	await waitForHealth(`http://127.0.0.1:${port}`, child, log)
	return {
		port,
		process: child,
		log,
		stop: (signal = 'SIGTERM') =>
			new Promise((resolve) => {
				if (child.exitCode !== null) return resolve()
				child.once('exit', () => resolve())
				child.kill(signal)
			}),
	}
}

export async function waitForHealth(base: string, child?: ChildProcess, log?: string[], timeoutMs = 60_000) {
	const started = Date.now()
	for (;;) {
		if (child && child.exitCode !== null) throw new Error(`server exited: ${log?.join('')}`)
		try {
			const r = await fetch(`${base}/resources/healthcheck`)
			if (r.ok) return
		} catch {}
		if (Date.now() - started > timeoutMs) throw new Error(`${base} not healthy after ${timeoutMs} ms: ${log?.join('')}`)
		await new Promise((r) => setTimeout(r, 200))
	}
}

/** The example configuration operators copy (docs/deploy/nginx.conf): deployed as is, but for its instances' ports and a plain-http loopback listen instead of TLS. */
export const NGINX_EXAMPLE = 'docs/deploy/nginx.conf'

export function exampleNginxSite({ port, upstreams }: { port: number; upstreams: number[] }) {
	const text = fs.readFileSync(NGINX_EXAMPLE, 'utf8')
	const servers = [...text.matchAll(/^(\s*server )127\.0\.0\.1:\d+( .*;)$/gm)]
	if (servers.length !== upstreams.length) throw new Error(`${NGINX_EXAMPLE} lists ${servers.length} instances, the test starts ${upstreams.length}`)
	let i = 0
	let site = text.replace(/^(\s*server )127\.0\.0\.1:\d+( .*;)$/gm, (_m, start: string, rest: string) => `${start}127.0.0.1:${upstreams[i++]}${rest}`)
	if (!/^\s*listen 443 ssl;$/m.test(site)) throw new Error(`${NGINX_EXAMPLE}: no "listen 443 ssl;" line to replace`)
	site = site.replace(/^(\s*)listen 443 ssl;$/m, `$1listen 127.0.0.1:${port};`).replace(/^\s*ssl_certificate(_key)? .*;\n/gm, '')
	return site
}

export async function startNginx({ port, upstreams, site }: { port: number; upstreams: number[]; site?: string }) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-nginx-'))
	site ??= `
  upstream app { ${upstreams.map((p) => `server 127.0.0.1:${p} max_fails=0;`).join(' ')} }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 6m;
    location / {
      proxy_pass http://app;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout;
    }
  }`
	const conf = `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
${site}
}`
	fs.writeFileSync(path.join(dir, 'nginx.conf'), conf)
	const nginx = process.env.NGINX_BIN ?? '/usr/sbin/nginx'
	if (!fs.existsSync(nginx)) throw new Error('nginx is missing: apt-get install -y nginx-light')
	const child = spawn(nginx, ['-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: 'inherit' })
	await new Promise((r) => setTimeout(r, 500))
	return {
		url: `http://127.0.0.1:${port}`,
		/** nginx's error log so far (upstream errors, retries). */
		errors: () => fs.readFileSync(path.join(dir, 'error.log'), 'utf8'),
		stop: async () => {
			child.kill('SIGQUIT')
			await new Promise((r) => child.once('exit', r))
			fs.rmSync(dir, { recursive: true, force: true })
		},
	}
}

/** A tiny browser: keeps cookies, sends Origin like a browser form post. */
export class Client {
	cookies = new Map<string, string>()
	constructor(
		public base: string,
		/** Sent as X-Forwarded-For to an instance started with TRUST_PROXY=1: many residents, many IPs. */
		public ip?: string,
	) {}
	header() {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
	}
	async request(pathname: string, init: { method?: string; form?: Record<string, string>; json?: unknown } = {}) {
		const headers: Record<string, string> = { Cookie: this.header(), Origin: this.base }
		if (this.ip) headers['X-Forwarded-For'] = this.ip
		let body: string | undefined
		if (init.form) {
			headers['Content-Type'] = 'application/x-www-form-urlencoded'
			body = new URLSearchParams(init.form).toString()
		} else if (init.json !== undefined) {
			headers['Content-Type'] = 'application/json'
			body = JSON.stringify(init.json)
		}
		const response = await fetch(this.base + pathname, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body, redirect: 'manual' })
		for (const c of response.headers.getSetCookie()) {
			const [pair] = c.split(';')
			const [name, ...rest] = pair!.split('=')
			const value = rest.join('=')
			if (/Max-Age=0/i.test(c) || value === '') this.cookies.delete(name!)
			else this.cookies.set(name!, value)
		}
		return response
	}
}
