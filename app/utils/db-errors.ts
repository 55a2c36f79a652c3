import { Prisma } from '#app/generated/prisma/client.ts'

/**
 * A unique-constraint violation, whichever adapter reports it: adapter-pg maps it to P2002,
 * the pg driver reports SQLSTATE 23505, pglite-prisma-adapter 0.6 passes PostgreSQL's error (SQLSTATE 23505) through as a DriverAdapterError.
 */
export function isUniqueViolation(error: unknown): boolean {
	if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return true
	// The pg driver itself (the write path of ADR 009): its DatabaseError carries the SQLSTATE.
	if ((error as { code?: unknown })?.code === '23505') return true
	const e = error as { name?: string; cause?: { originalCode?: string; code?: string; kind?: string }; message?: string }
	if (e?.name === 'DriverAdapterError') {
		const c = e.cause
		return c?.originalCode === '23505' || c?.code === '23505' || c?.kind === 'UniqueConstraintViolation' || /duplicate key value/.test(e.message ?? '')
	}
	return false
}
