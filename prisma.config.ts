import path from 'node:path'
import { defineConfig } from 'prisma/config'

// The JS engine needs nothing but npm (docs/decisions/001-stack.md). `.env` loading is off:
// export variables yourself. With no DATABASE_URL the CLI works on an in-memory PGlite, so
// `prisma migrate diff` never opens a data folder that a running server holds.
export default defineConfig({
	experimental: { adapter: true },
	engine: 'js',
	schema: path.join('prisma', 'schema.prisma'),
	migrations: { path: path.join('prisma', 'migrations') },
	async adapter() {
		const url = process.env.DATABASE_URL ?? ''
		if (/^postgres(ql)?:\/\//.test(url)) {
			const { PrismaPg } = await import('@prisma/adapter-pg')
			return new PrismaPg({ connectionString: url })
		}
		const { PGlite } = await import('@electric-sql/pglite')
		const { PrismaPGlite } = await import('pglite-prisma-adapter')
		const dir = url.startsWith('file:') ? url.slice('file:'.length) : 'memory://'
		return new PrismaPGlite(new PGlite(dir)) as any
	},
})
