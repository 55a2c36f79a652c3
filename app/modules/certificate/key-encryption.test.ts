import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parseEnv } from '#app/utils/env.server.ts'
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { forgetSigningKey, getSigningKey } from './certificate.server.ts'
import { isSealed, KeyEncryptionError, keyEncryptionKey } from './key-encryption.server.ts'

/**
 * Issue #16: the credential-signing key is encrypted at rest under CREDENTIAL_KEY_ENCRYPTION_KEY.
 * The SigningKey table is shared by the worker's files: each test starts and ends without keys.
 */
const kek = () => randomBytes(32).toString('base64url')
/** The settings the server would read from the environment, with this key-encryption key. */
const withKek = (keyEncryptionKey?: string) => ({ keyEncryptionKey })

beforeEach(async () => {
	await prisma.signingKey.deleteMany({})
	forgetSigningKey()
})
afterEach(async () => {
	await prisma.signingKey.deleteMany({})
	forgetSigningKey()
})

async function signsAndVerifies(settings: ReturnType<typeof withKek>) {
	const key = await getSigningKey(settings)
	const jwt = await new SignJWT({ x: 1 }).setProtectedHeader({ alg: 'ES256', kid: key.kid }).sign(await importJWK(key.privateJwk, 'ES256'))
	await jwtVerify(jwt, await importJWK(key.publicJwk, 'ES256'))
}

test('with a KEK, a generated key is stored encrypted (no private part in the database) and signs', async () => {
	const settings = withKek(kek())
	const key = await getSigningKey(settings)
	const row = await prisma.signingKey.findUniqueOrThrow({ where: { kid: key.kid } })
	expect(isSealed(row.privateJwk)).toBe(true)
	expect(JSON.stringify(row.privateJwk)).not.toContain(key.privateJwk.d!)
	await signsAndVerifies(settings)
	// Read back after a restart with the same KEK: the same key.
	forgetSigningKey()
	expect((await getSigningKey(settings)).privateJwk.d).toBe(key.privateJwk.d)
})

test('a plain key stored before a KEK was configured is encrypted in place on first start with the KEK', async () => {
	const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
	const privateJwk = { ...(await exportJWK(privateKey)), kid: 'old-plain', alg: 'ES256' }
	await prisma.signingKey.create({
		data: { kid: 'old-plain', algorithm: 'ES256', privateJwk, publicJwk: { ...(await exportJWK(publicKey)), kid: 'old-plain', alg: 'ES256', use: 'sig' } },
	})
	const settings = withKek(kek())
	const key = await getSigningKey(settings)
	expect(key.kid).toBe('old-plain')
	expect(key.privateJwk.d).toBe(privateJwk.d)
	const row = await prisma.signingKey.findUniqueOrThrow({ where: { kid: 'old-plain' } })
	expect(isSealed(row.privateJwk)).toBe(true)
	expect(JSON.stringify(row.privateJwk)).not.toContain(privateJwk.d)
	forgetSigningKey()
	expect((await getSigningKey(settings)).privateJwk.d).toBe(privateJwk.d)
})

test('an encrypted stored key with the KEK missing or wrong: a clear error, nothing changed', async () => {
	const { kid } = await getSigningKey(withKek(kek()))
	const before = await prisma.signingKey.findUniqueOrThrow({ where: { kid } })
	forgetSigningKey()
	await expect(getSigningKey(withKek(undefined))).rejects.toThrow(/encrypted, but CREDENTIAL_KEY_ENCRYPTION_KEY is not set/)
	await expect(getSigningKey(withKek(kek()))).rejects.toThrow(/cannot be decrypted: CREDENTIAL_KEY_ENCRYPTION_KEY is not the key/)
	expect(await prisma.signingKey.findUniqueOrThrow({ where: { kid } })).toEqual(before)
	expect(await prisma.signingKey.count()).toBe(1)
})

test('the key-encryption key is a setting of the one environment schema: a bad one stops the start naming it', () => {
	for (const bad of ['short', randomBytes(31).toString('base64url'), randomBytes(32).toString('base64')]) {
		expect(() => parseEnv({ CREDENTIAL_KEY_ENCRYPTION_KEY: bad }), bad).toThrow(/CREDENTIAL_KEY_ENCRYPTION_KEY: expected 32 bytes in base64url/)
	}
	const good = kek()
	expect(parseEnv({ CREDENTIAL_KEY_ENCRYPTION_KEY: good }).CREDENTIAL_KEY_ENCRYPTION_KEY).toBe(good)
	expect(parseEnv({}).CREDENTIAL_KEY_ENCRYPTION_KEY).toBeUndefined()
	// Nothing reads it from process.env behind the schema's back.
	for (const file of ['key-encryption.server.ts', 'certificate.server.ts']) {
		expect(readFileSync(new URL(`./${file}`, import.meta.url), 'utf8')).not.toMatch(/process\.env/)
	}
})

test('a KEK that is not 32 bytes of base64url is refused with a message', () => {
	for (const bad of ['short', randomBytes(31).toString('base64url'), randomBytes(32).toString('base64'), `${randomBytes(32).toString('base64url')}!`]) {
		expect(() => keyEncryptionKey(bad), bad).toThrow(KeyEncryptionError)
	}
	expect(keyEncryptionKey('')).toBeNull()
	expect(keyEncryptionKey(randomBytes(32).toString('base64url'))).toHaveLength(32)
})
