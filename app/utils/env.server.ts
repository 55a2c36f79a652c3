import { z } from 'zod'

// Loaded once at start-up; a bad value stops the server with a message naming the variable.
try {
	// Node ≥ 20.12: a missing .env file is fine, everything has a default that works offline.
	process.loadEnvFile?.()
} catch {}

const databaseUrl = z
	.string()
	.trim()
	.optional()
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
	.pipe(z.string().url().optional())

const schema = z.object({
	NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
	DATABASE_URL: databaseUrl,
	/** A PostgreSQL read replica for report queries (optional). */
	DATABASE_REPLICA_URL: databaseUrl,
	/** Public origin (https://hocvuso.sonla.gov.vn) when behind a proxy; used for CSRF and links. */
	APP_ORIGIN: optionalUrl,
	VNEID_ISSUER: optionalUrl,
	VNEID_CLIENT_ID: z.string().optional(),
	VNEID_CLIENT_SECRET: z.string().optional(),
	/** Seed the demo data when the database has no users yet (default on for the embedded database). */
	SEED_DEMO: z.enum(['0', '1']).optional(),
})

export type Env = z.infer<typeof schema>

export function parseEnv(source: Record<string, string | undefined>): Env {
	const result = schema.safeParse(source)
	if (!result.success) {
		const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
		throw new Error(`Invalid configuration:\n${lines.join('\n')}\nSee .env.example.`)
	}
	return result.data
}

export const env = parseEnv(process.env)
