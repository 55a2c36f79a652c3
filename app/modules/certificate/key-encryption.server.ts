import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { type JWK } from 'jose'

/**
 * The credential-signing private key at rest (issue #16): sealed with AES-256-GCM under the
 * key-encryption key CREDENTIAL_KEY_ENCRYPTION_KEY (32 bytes, base64url), with the key id as
 * additional data so a sealed key cannot be passed off under another id. A copy of the database
 * alone then cannot sign credentials.
 */
export interface SealedJwk {
	sealed: 'A256GCM'
	iv: string
	ciphertext: string
	tag: string
}

export class KeyEncryptionError extends Error {}

export function isSealed(value: unknown): value is SealedJwk {
	return typeof value === 'object' && value !== null && (value as { sealed?: unknown }).sealed === 'A256GCM'
}

/**
 * The key-encryption key from its setting (`env.CREDENTIAL_KEY_ENCRYPTION_KEY`, which the
 * environment schema has already checked), or null; a value that is not 32 bytes of base64url is an error.
 */
export function keyEncryptionKey(source: string | undefined): Buffer | null {
	const value = source?.trim()
	if (!value) return null
	const key = /^[A-Za-z0-9_-]+$/.test(value) ? Buffer.from(value, 'base64url') : Buffer.alloc(0)
	if (key.length !== 32)
		throw new KeyEncryptionError(
			"CREDENTIAL_KEY_ENCRYPTION_KEY must be 32 bytes in base64url (43 characters); make one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64url'))\"",
		)
	return key
}

export function sealJwk(jwk: JWK, kid: string, kek: Buffer): SealedJwk {
	const iv = randomBytes(12)
	const cipher = createCipheriv('aes-256-gcm', kek, iv)
	cipher.setAAD(Buffer.from(kid))
	const ciphertext = Buffer.concat([cipher.update(JSON.stringify(jwk), 'utf8'), cipher.final()])
	return { sealed: 'A256GCM', iv: iv.toString('base64url'), ciphertext: ciphertext.toString('base64url'), tag: cipher.getAuthTag().toString('base64url') }
}

export function openJwk(sealed: SealedJwk, kid: string, kek: Buffer | null): JWK {
	if (!kek)
		throw new KeyEncryptionError(
			`The credential signing key ${kid} in the database is encrypted, but CREDENTIAL_KEY_ENCRYPTION_KEY is not set. Set it to the key it was encrypted with.`,
		)
	try {
		const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(sealed.iv, 'base64url'))
		decipher.setAAD(Buffer.from(kid))
		decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'))
		return JSON.parse(Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64url')), decipher.final()]).toString('utf8')) as JWK
	} catch {
		throw new KeyEncryptionError(
			`The credential signing key ${kid} in the database cannot be decrypted: CREDENTIAL_KEY_ENCRYPTION_KEY is not the key it was encrypted with.`,
		)
	}
}
