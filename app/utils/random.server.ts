import { randomBytes } from 'node:crypto'

/**
 * Random bytes for ids and nonces on the hot path, drawn from a pool refilled 4 KB at a time (one
 * call into OpenSSL per 4 KB instead of one per id, as `randomUUID` does for its own ids). The same
 * CSPRNG as `randomBytes`; a byte is never handed out twice.
 */
let pool: Buffer = Buffer.alloc(0)
let at = 0
const POOL_BYTES = 4096

/** `size` (≤ 256) fresh random bytes, as `encoding` text. */
export function pooledRandom(size: number, encoding: 'hex' | 'base64' | 'base64url'): string {
	if (size > 256) return randomBytes(size).toString(encoding)
	if (at + size > pool.length) {
		pool = randomBytes(POOL_BYTES)
		at = 0
	}
	const text = pool.toString(encoding, at, at + size)
	at += size
	return text
}
