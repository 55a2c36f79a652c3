import { hash, verify } from '@node-rs/argon2'

// argon2id with OWASP's second recommended profile (19 MiB, 2 passes): ~40 ms on a 2-core server.
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const

export function hashSecret(secret: string): Promise<string> {
	return hash(secret, options)
}

export async function verifySecret(hashed: string, secret: string): Promise<boolean> {
	try {
		return await verify(hashed, secret)
	} catch {
		return false
	}
}

// Compared against when the account does not exist, so both paths take the same time.
let dummy: Promise<string> | undefined
export function dummyHash() {
	dummy ??= hashSecret('not-a-real-password')
	return dummy
}
