import { randomBytes } from 'node:crypto'
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose'
import { type Prisma } from '#app/generated/prisma/client.ts'
import { prisma } from '#app/utils/db.server.ts'
import { env } from '#app/utils/env.server.ts'
import { isSealed, keyEncryptionKey, openJwk, sealJwk } from './key-encryption.server.ts'

/**
 * The platform's credential-signing key (ES256), whose public half is published at
 * /.well-known/jwks.json, and the one way a credential is signed with it: a VC-JWT.
 */
interface KeyPair {
	kid: string
	privateJwk: JWK
	publicJwk: JWK
}
let keyPromise: Promise<KeyPair> | undefined

/**
 * CREDENTIAL_PRIVATE_JWK (an ES256 private JWK with a kid) if set; else one generated once and kept
 * in the database, encrypted when CREDENTIAL_KEY_ENCRYPTION_KEY is set. A plain key stored before
 * a KEK was configured is encrypted in place on first use; an encrypted key without the right KEK
 * throws KeyEncryptionError (the server calls this at start-up, so it refuses to start).
 */
export function getSigningKey(
	settings: { privateJwk?: string; keyEncryptionKey?: string } = {
		privateJwk: env.CREDENTIAL_PRIVATE_JWK,
		keyEncryptionKey: env.CREDENTIAL_KEY_ENCRYPTION_KEY,
	},
): Promise<KeyPair> {
	keyPromise ??= (async () => {
		const configured = settings.privateJwk
		if (configured) {
			const privateJwk = JSON.parse(configured) as JWK
			const { d: _d, ...publicJwk } = privateJwk
			return { kid: privateJwk.kid ?? 'configured', privateJwk, publicJwk: { ...publicJwk, use: 'sig', alg: 'ES256' } }
		}
		const kek = keyEncryptionKey(settings.keyEncryptionKey)
		const stored = await prisma.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } })
		if (stored) return storedKey(stored, kek)
		const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
		const kid = `hvs-${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`
		const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256' }
		const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }
		try {
			const atRest = kek ? sealJwk(privateJwk, kid, kek) : privateJwk
			await prisma.signingKey.create({ data: { kid, algorithm: 'ES256', privateJwk: atRest as unknown as Prisma.InputJsonValue, publicJwk } })
			return { kid, privateJwk, publicJwk }
		} catch {
			// Another instance created one at the same moment: use theirs.
			const other = await prisma.signingKey.findFirstOrThrow({ where: { retiredAt: null }, orderBy: { createdAt: 'asc' } })
			return storedKey(other, kek)
		}
	})().catch((error) => {
		keyPromise = undefined
		throw error
	})
	return keyPromise
}

/** Opens a stored key; a plain one is sealed in place when a KEK is configured (conditional update). */
async function storedKey(stored: { kid: string; privateJwk: unknown; publicJwk: unknown }, kek: Buffer | null): Promise<KeyPair> {
	const publicJwk = stored.publicJwk as JWK
	if (isSealed(stored.privateJwk)) return { kid: stored.kid, privateJwk: openJwk(stored.privateJwk, stored.kid, kek), publicJwk }
	const privateJwk = stored.privateJwk as JWK
	if (kek) {
		await prisma.$executeRaw`UPDATE "SigningKey" SET "privateJwk" = ${JSON.stringify(sealJwk(privateJwk, stored.kid, kek))}::jsonb
			WHERE kid = ${stored.kid} AND "privateJwk" = ${JSON.stringify(stored.privateJwk)}::jsonb`
	}
	return { kid: stored.kid, privateJwk, publicJwk }
}

/** Forgets the key read so far (tests; a restart does the same). */
export function forgetSigningKey() {
	keyPromise = undefined
}

export async function getJwks() {
	const keys = await prisma.signingKey.findMany({ select: { publicJwk: true } })
	const current = await getSigningKey()
	const all = [current.publicJwk, ...keys.map((k) => k.publicJwk as JWK).filter((k) => k.kid !== current.kid)]
	return { keys: all }
}

/**
 * Signs a credential as a VC-JWT (ES256, `typ: vc+jwt`): the claims are the credential itself (VC-JOSE),
 * also under `vc` for verifiers of the older VC-JWT form; `iss` is the credential's issuer id.
 */
export async function signVcJwt(credential: { id: string; issuer: string | { id: string } }, { issuedAt, notBefore }: { issuedAt: Date; notBefore?: Date }) {
	const key = await getSigningKey()
	return new SignJWT({ vc: credential, ...credential })
		.setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'vc+jwt' })
		.setIssuer(typeof credential.issuer === 'string' ? credential.issuer : credential.issuer.id)
		.setJti(credential.id)
		.setNotBefore(Math.floor((notBefore ?? issuedAt).getTime() / 1000))
		.setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
		.sign(await importJWK(key.privateJwk, 'ES256'))
}
