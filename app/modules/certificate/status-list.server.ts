import { createHmac, randomBytes } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { prisma, type Tx } from '#app/utils/db.server.ts'
import { getSigningKey, signVcJwt } from './signing-key.server.ts'

/**
 * Revocation that any verifier can check: a W3C Bitstring Status List v1.0 (ADR 016). Every
 * downloaded credential carries a `BitstringStatusListEntry` (statusPurpose "revocation") naming a
 * position in a list of 131,072 bits; the list is served as a signed `BitstringStatusListCredential`
 * (VC-JWT, the same key and issuer as the certificates) at /credentials/status/<id>. Revoking sets
 * the bit in the same transaction as the revocation.
 */

/** Bits per list: the W3C minimum (2^17), so one revoked credential hides among at least this many. Never change it: entry numbers map to lists by it. */
export const STATUS_LIST_LENGTH = 131_072
export const STATUS_PURPOSE = 'revocation'
/** How long a verifier (and any cache) may keep a list before fetching it again. */
export const STATUS_LIST_TTL_SECONDS = 300

export interface StatusEntry {
	listId: number
	index: number
}

export function statusListUrl(origin: string, listId: number) {
	return `${origin}/credentials/status/${listId}`
}

/** The `credentialStatus` of a credential (W3C Bitstring Status List v1.0, §2.1). */
export function credentialStatus(origin: string, { listId, index }: StatusEntry) {
	const url = statusListUrl(origin, listId)
	return {
		id: `${url}#${index}`,
		type: 'BitstringStatusListEntry',
		statusPurpose: STATUS_PURPOSE,
		statusListIndex: String(index),
		statusListCredential: url,
	}
}

/**
 * Gives a certificate its entry, once: entry number n (a database sequence, so no row is a queue) goes
 * to list n / 131,072 + 1, at a position drawn by the list's keyed permutation. Returns null when the
 * certificate was revoked meanwhile; a concurrent download that got there first wins (its entry is
 * returned).
 */
export async function assignStatusEntry(certificateId: string): Promise<StatusEntry | null> {
	return prisma.$transaction(async (tx) => {
		const [{ n }] = (await tx.$queryRaw<{ n: bigint }[]>`SELECT nextval('"StatusListEntrySeq"') AS n`) as [{ n: bigint }]
		const number = Number(n)
		const listId = Math.floor(number / STATUS_LIST_LENGTH) + 1
		await tx.$executeRaw`INSERT INTO "StatusList" (id, length, seed, bits)
			VALUES (${listId}::int, ${STATUS_LIST_LENGTH}::int, ${randomBytes(32).toString('hex')}, decode(repeat('00', ${STATUS_LIST_LENGTH / 8}::int), 'hex'))
			ON CONFLICT (id) DO NOTHING`
		const [list] = await tx.$queryRaw<{ seed: string }[]>`SELECT seed FROM "StatusList" WHERE id = ${listId}::int`
		const index = statusListPosition(list!.seed, number % STATUS_LIST_LENGTH)
		await tx.$executeRaw`UPDATE "Certificate" SET "statusListId" = ${listId}::int, "statusListIndex" = ${index}::int
			WHERE id = ${certificateId} AND "statusListId" IS NULL AND "revokedAt" IS NULL`
		const [cert] = await tx.$queryRaw<{ statusListId: number | null; statusListIndex: number | null; revokedAt: Date | null }[]>`
			SELECT "statusListId", "statusListIndex", "revokedAt" FROM "Certificate" WHERE id = ${certificateId}`
		if (!cert || cert.revokedAt || cert.statusListId === null || cert.statusListIndex === null) return null
		return { listId: cert.statusListId, index: cert.statusListIndex }
	})
}

/** Sets a credential's revocation bit; called inside the revocation's transaction. */
export async function setRevokedBit(tx: Tx, { listId, index }: StatusEntry) {
	// PostgreSQL numbers a bytea's bits from the right of each byte; the W3C list from the left.
	const position = Math.floor(index / 8) * 8 + (7 - (index % 8))
	await tx.$executeRaw`UPDATE "StatusList" SET bits = set_bit(bits, ${position}::int, 1), revision = revision + 1, "updatedAt" = ${new Date()}::timestamp
		WHERE id = ${listId}::int`
}

interface SignedList {
	jwt: string
	etag: string
}
/** Signed lists by origin and list, made again only when the list's revision or the signing key changed. */
const signed = new Map<string, SignedList & { revision: number; kid: string }>()

/** The signed `BitstringStatusListCredential` of a list (null: no such list). */
export async function getSignedStatusList(listId: number, origin: string): Promise<SignedList | null> {
	const list = await prisma.statusList.findUnique({ where: { id: listId }, select: { revision: true } })
	if (!list) return null
	const { kid } = await getSigningKey()
	const cacheKey = `${origin} ${listId}`
	const hit = signed.get(cacheKey)
	if (hit && hit.revision === list.revision && hit.kid === kid) return hit
	const full = await prisma.statusList.findUniqueOrThrow({ where: { id: listId } })
	const id = statusListUrl(origin, listId)
	const credential = {
		'@context': ['https://www.w3.org/ns/credentials/v2'],
		id,
		type: ['VerifiableCredential', 'BitstringStatusListCredential'],
		issuer: { id: `${origin}/`, type: ['Profile'], name: 'Học Vụ Số' },
		validFrom: full.updatedAt.toISOString(),
		credentialSubject: {
			id: `${id}#list`,
			type: 'BitstringStatusList',
			statusPurpose: full.purpose,
			encodedList: encodeList(full.bits),
			ttl: STATUS_LIST_TTL_SECONDS * 1000,
		},
	}
	const jwt = await signVcJwt(credential, { issuedAt: full.updatedAt })
	const made = { jwt, etag: `"${listId}-${full.revision}-${kid}"`, revision: full.revision, kid }
	signed.set(cacheKey, made)
	return made
}

/** W3C Bitstring Status List v1.0 §3.1: GZIP, then base64url without padding, with the multibase prefix "u". */
export function encodeList(bits: Uint8Array) {
	return `u${gzipSync(bits).toString('base64url')}`
}

/**
 * A pseudo-random permutation of [0, length) keyed by `seed`: a four-round Feistel network over the
 * next even number of bits, walked until it lands inside the list (expected under two steps). Entry
 * numbers follow issuance; their positions do not, so neighbouring bits are not neighbouring people.
 */
export function statusListPosition(seed: string, n: number, length = STATUS_LIST_LENGTH) {
	const bits = Math.log2(length)
	if (!Number.isInteger(bits) || n < 0 || n >= length) throw new RangeError(`No position for ${n} in a list of ${length}`)
	const half = Math.ceil(bits / 2)
	const mask = (1 << half) - 1
	let x = n
	do {
		let left = x >>> half
		let right = x & mask
		for (let round = 0; round < 4; round++) {
			const f = createHmac('sha256', seed).update(`${round}:${right}`).digest().readUInt32BE(0) & mask
			;[left, right] = [right, left ^ f]
		}
		x = (left << half) | right
	} while (x >= length)
	return x
}
