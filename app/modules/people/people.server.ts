import { FieldError } from '#app/kernel/errors.ts'
import { type RegisteredVia } from '#app/generated/prisma/client.ts'
import { isUniqueViolation } from '#app/utils/db-errors.ts'
import { prisma } from '#app/utils/db.server.ts'
import { hashSecret } from '#app/utils/password.server.ts'
import { bumpRollups } from '#app/modules/counting/rollup.server.ts'
import { type Tx } from '#app/utils/db.server.ts'
import { ETHNICITY_NOT_STATED, statesEthnicGroup } from '#app/kernel/demographics.ts'
import { channelOf, recordRegistrationConsents } from './consent.server.ts'
import { type Profile } from './people.schema.ts'

export { FieldError } from '#app/kernel/errors.ts'

/** Throws FieldError('communeCode') when the commune is unknown or not in the province given. */
export async function requireCommuneInProvince(db: Tx | typeof prisma, communeCode: string, provinceCode?: string) {
	const commune = await db.commune.findUnique({ where: { code: communeCode }, select: { code: true, provinceCode: true } })
	if (!commune || (provinceCode && commune.provinceCode !== provinceCode)) {
		throw new FieldError('communeCode', 'auth:errors.communeUnknown')
	}
	return commune
}

/**
 * The user columns for a profile, with the commune checked against the official list. An ethnic
 * group is kept only with its consent (sensitive data, ADR 018); without one it is "not stated".
 */
export async function profileData(db: Tx, profile: Profile) {
	const commune = await requireCommuneInProvince(db, profile.communeCode, profile.provinceCode)
	return {
		fullName: profile.fullName,
		birthYear: profile.birthYear,
		sex: profile.sex,
		ethnicGroup: statesEthnicGroup(profile.ethnicGroup) && profile.ethnicityConsent ? profile.ethnicGroup : ETHNICITY_NOT_STATED,
		learnerGroup: profile.learnerGroup,
		communeCode: commune.code,
		provinceCode: commune.provinceCode,
		village: profile.village || null,
	}
}

/** Whether an account already uses this (normalised) phone number. */
export async function phoneRegistered(phone: string, db: Tx | typeof prisma = prisma) {
	return (await db.user.count({ where: { phone } })) > 0
}

/**
 * Creates a resident, records the consents they gave to the notice (through the channel they came
 * by; staff and imports: the staff member who gave it) and counts the registration in their
 * commune, in one transaction: a failure leaves nothing behind. Throws FieldError for a taken phone
 * number or an unknown commune.
 */
export async function registerResident({
	phone,
	profile,
	secret,
	via,
	registeredById,
	passwordHash,
	at = new Date(),
	tx,
}: {
	phone: string | null
	profile: Profile
	secret?: { kind: 'PIN' | 'PASSWORD'; value: string }
	/** A precomputed hash (demo data, imports); otherwise `secret` is hashed. */
	passwordHash?: { kind: 'PIN' | 'PASSWORD'; hash: string }
	via: RegisteredVia
	registeredById?: string
	at?: Date
	tx?: Tx
}) {
	// A taken phone is answered before argon2 runs: refusing a duplicate must not cost the server a hash.
	// (The unique index below still decides between two registrations racing for one phone.)
	if (secret && !passwordHash && phone && (await phoneRegistered(phone, tx))) throw new FieldError('phone', 'auth:errors.phoneTaken')
	const hash = passwordHash ?? (secret ? { kind: secret.kind, hash: await hashSecret(secret.value) } : undefined)
	const run = async (db: Tx) => {
		const profileColumns = await profileData(db, profile)
		const data = {
			phone,
			...profileColumns,
			registeredCommuneCode: profileColumns.communeCode,
			registeredProvinceCode: profileColumns.provinceCode,
			passwordHash: hash?.hash ?? null,
			credentialKind: hash?.kind ?? null,
			registeredVia: via,
			registeredById: registeredById ?? null,
			createdAt: at,
		}
		try {
			const user = await db.user.create({ data, select: { id: true } })
			await recordRegistrationConsents(db, { userId: user.id, channel: channelOf(via), givenById: registeredById, ethnicGroup: data.ethnicGroup, at })
			await bumpRollups(db, { learner: data, at, metric: 'registered' })
			return user
		} catch (error) {
			if (isUniqueViolation(error)) {
				throw new FieldError('phone', 'auth:errors.phoneTaken')
			}
			throw error
		}
	}
	return tx ? run(tx) : prisma.$transaction(run)
}
