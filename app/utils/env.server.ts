import { isIP } from 'node:net'
import { z } from 'zod'

// Every environment variable the server, the app and its run-time scripts read, checked once at
// start-up: a bad value stops the process with a message naming the variable and what it expects,
// instead of a NaN pool size or a spoofable proxy setting found in production. Code reads `env`,
// never `process.env`.
try {
	// Node ≥ 20.12: a missing .env file is fine, everything has a default that works offline.
	process.loadEnvFile?.()
} catch {}

const databaseUrl = z
	.string()
	.trim()
	.optional()
	.transform((v) => v || undefined)
	.refine(
		(v) => !v || /^(postgres(ql)?:\/\/|file:|memory:\/\/)/.test(v),
		'DATABASE_URL must start with postgres://, postgresql://, file: (embedded PGlite folder) or memory:// (in-memory PGlite)',
	)
	.refine((v) => {
		if (!v || !/^postgres/.test(v)) return true
		try {
			return Boolean(new URL(v).hostname)
		} catch {
			return false
		}
	}, 'DATABASE_URL is not a valid postgres:// URL (expected postgres://user@host:5432/database)')

const optionalUrl = z
	.string()
	.trim()
	.optional()
	.transform((v) => v || undefined)
	.pipe(z.string().url('expected an absolute URL such as https://vneid.example.gov.vn').optional())

/** A whole number in [min, max]; unset or empty takes the default. */
function integer(fallback: number, min: number, max: number, what: string) {
	return z
		.string()
		.trim()
		.optional()
		.transform((v, ctx) => {
			if (!v) return fallback
			if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
				ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected ${what}: a whole number from ${min} to ${max} (got "${v}")` })
				return z.NEVER
			}
			return Number(v)
		})
}

/** '0' or '1' (unset or empty takes the default). */
function flag(fallback: boolean) {
	return z
		.string()
		.trim()
		.optional()
		.transform((v, ctx) => {
			if (!v) return fallback
			if (v !== '0' && v !== '1') {
				ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected 0 or 1 (got "${v}")` })
				return z.NEVER
			}
			return v === '1'
		})
}

const optionalText = z
	.string()
	.trim()
	.optional()
	.transform((v) => v || undefined)

/** proxy-addr's names for address ranges (Express's `trust proxy`). */
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal'])

/**
 * Which proxies may tell the client's address in X-Forwarded-For (Express's `trust proxy`):
 * false (none, the default), a number of hops in front of the server, or a list of proxy
 * addresses/CIDRs. Express then takes the right-most address not trusted, which a client cannot
 * choose (what it writes goes to the left of what the proxy appends). `true` (trust every entry,
 * i.e. the left-most, spoofable) is never produced.
 */
export type ProxyTrust = false | number | string[]

const trustProxy = z
	.string()
	.trim()
	.optional()
	.transform((v, ctx): ProxyTrust => {
		if (!v || v === '0') return false
		if (/^\d+$/.test(v)) {
			if (Number(v) > 10) {
				ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected a number of proxies from 1 to 10 (got "${v}")` })
				return z.NEVER
			}
			return Number(v)
		}
		const entries = v.split(',').map((s) => s.trim())
		const bad = entries.filter((entry) => !isProxyAddress(entry))
		if (bad.length) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message:
					`expected the number of proxies in front of the server (1, 2…) or a comma-separated list of proxy addresses/CIDRs ` +
					`(e.g. 10.0.0.0/8,127.0.0.1, or loopback) — not ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
			})
			return z.NEVER
		}
		return entries
	})

function isProxyAddress(entry: string) {
	if (PROXY_RANGES.has(entry)) return true
	const [address = '', prefix, ...rest] = entry.split('/')
	const family = isIP(address)
	if (!family || rest.length) return false
	if (prefix === undefined) return true
	if (/^\d+$/.test(prefix)) return Number(prefix) <= (family === 4 ? 32 : 128)
	return family === 4 && isIP(prefix) === 4 // a netmask such as 255.255.255.0
}

/** The site's public origin: scheme, host and port only. */
const appOrigin = z
	.string()
	.trim()
	.optional()
	.transform((v, ctx) => {
		if (!v) return undefined
		let url: URL
		try {
			url = new URL(v)
		} catch {
			url = new URL('invalid:')
		}
		if (!/^https?:$/.test(url.protocol) || !url.hostname || url.origin !== v.replace(/\/$/, '')) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message: `expected the public origin, e.g. https://hocvuso.sonla.gov.vn (scheme and host, no path; got "${v}")`,
			})
			return z.NEVER
		}
		return url.origin
	})

/**
 * Where to report a vulnerability (RFC 9116 `Contact:`): comma-separated e-mail addresses or
 * mailto:, https: or tel: URIs. An address alone becomes mailto:. Unset: no security.txt (404), so
 * no made-up address is ever published.
 */
const securityContact = z
	.string()
	.trim()
	.optional()
	.transform((v, ctx): string[] => {
		if (!v) return []
		const entries = v.split(',').map((s) => s.trim())
		const uris = entries.map(contactUri)
		const bad = entries.filter((_, i) => !uris[i])
		if (bad.length) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message: `expected e-mail addresses or mailto:, https: or tel: URIs, comma-separated (e.g. security@sonla.gov.vn) — not ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
			})
			return z.NEVER
		}
		return uris as string[]
	})

function contactUri(entry: string): string | undefined {
	if (/^[^\s@:/<>"]+@[^\s@:/<>"]+\.[^\s@:/<>"]+$/.test(entry)) return `mailto:${entry}`
	if (/^mailto:[^\s@:/<>"]+@[^\s@:/<>"]+\.[^\s@:/<>"]+$/.test(entry)) return entry
	if (/^tel:\+?[\d-]{3,20}$/.test(entry)) return entry
	try {
		const url = new URL(entry)
		return url.protocol === 'https:' && url.hostname && !/\s/.test(entry) ? url.href : undefined
	} catch {
		return undefined
	}
}

const schema = z
	.object({
		NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
		DATABASE_URL: databaseUrl,
		/** A PostgreSQL read replica for report queries (optional). */
		DATABASE_REPLICA_URL: databaseUrl,
		/** Connections per process to PostgreSQL (and to the replica). */
		DATABASE_POOL_SIZE: integer(10, 1, 500, 'the number of database connections per process'),
		PORT: integer(3000, 1, 65535, 'a TCP port'),
		/** Address to listen on (default: every interface). */
		HOST: optionalText,
		/**
		 * Public origin (https://hocvuso.sonla.gov.vn). Required in production: links, QR codes, setup
		 * slips, the credential's issuer, the VNeID redirect URI and the CSRF check use it, never the
		 * request's Host or X-Forwarded-Host. In development and tests: http://localhost:PORT.
		 */
		APP_ORIGIN: appOrigin,
		TRUST_PROXY: trustProxy,
		/** Published at /.well-known/security.txt (RFC 9116); the operator sets it (SECURITY.md, "How to report a vulnerability"). */
		SECURITY_CONTACT: securityContact,
		/** Worker processes (PostgreSQL only). */
		WEB_CONCURRENCY: integer(1, 1, 64, 'the number of worker processes'),
		/**
		 * On SIGTERM (a restart, a deploy): how long requests in flight may take to finish before the
		 * connections still open are cut and the process ends (README, "Rolling restart").
		 */
		DRAIN_TIMEOUT_SECONDS: integer(25, 1, 3600, 'the seconds requests in flight get to finish at shutdown'),
		/**
		 * On SIGTERM: seconds to keep serving new connections while the healthcheck already answers 503
		 * "draining", for load balancers that poll it (0, the default: nginx, which retries elsewhere at once).
		 */
		DRAIN_DELAY_SECONDS: integer(0, 0, 300, 'the seconds to keep taking connections after SIGTERM'),
		/** Where the Remix server build is (tests of other builds). */
		REMIX_BUILD: z.string().trim().default('build/server/index.js'),
		/** Print one line per request (method, path, status, time): 1 (default) or 0. */
		LOG_REQUESTS: flag(true),
		/** Names the process in an X-Instance header (operators, the scale-out test). */
		INSTANCE_ID: optionalText.pipe(
			z
				.string()
				.regex(/^[\w.-]{1,64}$/, 'expected letters, digits, dot, dash or underscore (at most 64)')
				.optional(),
		),
		/**
		 * Lets Prometheus read GET /metrics from another machine when sent as `Authorization: Bearer …`
		 * (at least 32 characters). Unset: /metrics answers only direct loopback requests; set, only requests carrying it (README, "Metrics").
		 */
		METRICS_TOKEN: optionalText.refine(
			(v) => !v || /^[\x21-\x7e]{32,256}$/.test(v),
			'expected 32 to 256 printable characters without spaces, e.g. openssl rand -hex 32',
		),
		/** The visitors' render cache (production only): 1 (default) or 0. */
		RENDER_CACHE: flag(true),
		/** The signed-in residents' lesson pages from a cached render (server/learner-cache.ts, production only): 1 (default) or 0. */
		LEARNER_CACHE: flag(true),
		/** Secure cookies in production: 1 (default) or 0 (plain-http test setups only). */
		COOKIE_SECURE: flag(true),
		VNEID_ISSUER: optionalUrl,
		VNEID_CLIENT_ID: optionalText,
		VNEID_CLIENT_SECRET: optionalText,
		/** The credential signing key as a private JWK (JSON); generated and stored when unset. */
		CREDENTIAL_PRIVATE_JWK: optionalText.refine((v) => {
			if (!v) return true
			try {
				const key = JSON.parse(v)
				return typeof key === 'object' && key !== null && typeof key.kty === 'string' && typeof key.d === 'string'
			} catch {
				return false
			}
		}, 'expected a private JWK as JSON ({"kty":…,"d":…})'),
		/**
		 * Encrypts the generated credential-signing key at rest (AES-256-GCM; SECURITY.md, "Secrets"):
		 * 32 random bytes in base64url. Keep it outside the database and its backups.
		 */
		CREDENTIAL_KEY_ENCRYPTION_KEY: optionalText.refine(
			(v) => !v || (/^[A-Za-z0-9_-]{43}$/.test(v) && Buffer.from(v, 'base64url').length === 32),
			"expected 32 bytes in base64url (43 characters); make one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64url'))\"",
		),
		/** The province shown first (official two-digit code). */
		DEFAULT_PROVINCE: z
			.string()
			.trim()
			.optional()
			.transform((v) => v || '14')
			.pipe(z.string().regex(/^\d{2}$/, 'expected an official two-digit province code such as 14')),
		/** Seed the demo data when the database has no users yet (default on for the embedded database). */
		/**
		 * Ethnic-group breakdowns withhold a commune's cells of a metric in every period when any of them
		 * is below this count, in pages, exports and the API; 2 is the least, since a count of 1 names a
		 * person (app/kernel/disclosure.ts).
		 */
		SMALL_CELL_THRESHOLD: integer(5, 2, 100, 'the smallest count of an ethnic-group cell that is shown'),
		/**
		 * The erasure ledger's copy outside the database (one JSON line per erasure: user id, time, way;
		 * no personal data), read by `reapplyErasures()` after a restore (ADR 020). Default
		 * data/erasure-ledger.jsonl; none in tests unless set.
		 */
		ERASURE_LEDGER_FILE: optionalText,
		SEED_DEMO: z.enum(['0', '1'], { message: 'expected 0 or 1' }).optional(),
		CONTENT_DIR: optionalText,
		CONTENT_CACHE_DIR: optionalText,
		MIGRATIONS_DIR: optionalText,
	})
	.superRefine((value, ctx) => {
		if (value.NODE_ENV === 'production' && !value.APP_ORIGIN) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['APP_ORIGIN'],
				message:
					'required when NODE_ENV=production: the public origin, e.g. https://hocvuso.sonla.gov.vn (links and QR codes are never built from request headers)',
			})
		}
	})
	.transform((value) => ({ ...value, APP_ORIGIN: value.APP_ORIGIN ?? `http://localhost:${value.PORT}` }))

export type Env = z.infer<typeof schema>

export function parseEnv(source: Record<string, string | undefined>): Env {
	const result = schema.safeParse(source)
	if (!result.success) {
		const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
		throw new Error(`Invalid configuration:\n${lines.join('\n')}\nSee .env.example and the configuration table in README.md.`)
	}
	return result.data
}

/**
 * The configuration of this process. A bad value ends the process with the message alone (no stack
 * trace to read through); under Vitest it throws instead, so a test can see it.
 */
export const env = (() => {
	try {
		return parseEnv(process.env)
	} catch (error) {
		if (process.env.VITEST) throw error
		console.error((error as Error).message)
		process.exit(1)
	}
})()
