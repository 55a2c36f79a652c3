import { statesEthnicGroup } from '#app/kernel/demographics.ts'
import { FieldError } from '#app/kernel/errors.ts'
import { prisma } from '#app/utils/db.server.ts'
import { recordAudit } from '../audit/audit.server.ts'
import { settleEthnicityConsent } from './consent.server.ts'
import { type Profile } from './people.schema.ts'
import { profileData } from './people.server.ts'

/**
 * Corrections of a person's profile (Law 91/2025/QH15: the right to correct; ADR 018): by the person
 * on /me/profile, or by staff of their commune on request. Every change is in the audit log as
 * `resident.update` with the fields before and after (the ethnic group is named as changed, never
 * written there: it is sensitive). Ticking off the ethnicity consent, or "Không muốn trả lời",
 * withdraws that consent and clears the group.
 *
 * Counting (docs/indicators.md): a correction changes nothing already counted. A move to another
 * commune leaves the registration, every enrolment made before it and what follows from those
 * (completions, certificates) in the commune where they happened; what happens from the move on
 * (new enrolments, basic skills reached, activity in a period not yet counted) is counted in the
 * new commune. So no rollup is touched here, and the rollups still equal a recount of the raw rows.
 */

const FIELDS = ['fullName', 'birthYear', 'sex', 'ethnicGroup', 'learnerGroup', 'provinceCode', 'communeCode', 'village'] as const
type Field = (typeof FIELDS)[number]

export type Corrector = { kind: 'self' } | { kind: 'staff'; staffId: string }

/** The profile as the correction form shows it. */
export async function getProfile(userId: string) {
	return prisma.user.findUnique({
		where: { id: userId },
		select: {
			id: true,
			fullName: true,
			birthYear: true,
			sex: true,
			ethnicGroup: true,
			learnerGroup: true,
			provinceCode: true,
			communeCode: true,
			village: true,
		},
	})
}

/** The correction form's starting values (the same for the resident and for staff). */
export function profileFormDefaults(profile: NonNullable<Awaited<ReturnType<typeof getProfile>>>) {
	return {
		fullName: profile.fullName,
		birthYear: profile.birthYear ? String(profile.birthYear) : '',
		sex: profile.sex ?? '',
		ethnicGroup: profile.ethnicGroup ?? '',
		ethnicityConsent: statesEthnicGroup(profile.ethnicGroup) ? 'on' : '',
		learnerGroup: profile.learnerGroup,
		provinceCode: profile.provinceCode ?? '',
		communeCode: profile.communeCode ?? '',
		village: profile.village ?? '',
	}
}

export async function correctProfile({ userId, profile, by }: { userId: string; profile: Profile; by: Corrector }) {
	return prisma.$transaction(async (tx) => {
		// The row lock orders this after (or before) any progress write of the person, which reads their commune.
		const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`
		if (!locked) throw new FieldError('fullName', 'common:errors.badInput', 404)
		const before = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: Object.fromEntries(FIELDS.map((f) => [f, true])) as Record<Field, true> })
		if (!before.communeCode) throw new FieldError('communeCode', 'auth:errors.badRequest')
		const after = await profileData(tx, profile)
		const changed = FIELDS.filter((f) => (before[f] ?? null) !== (after[f] ?? null))
		if (changed.length) await tx.user.update({ where: { id: userId }, data: after })
		const actorId = by.kind === 'staff' ? by.staffId : userId
		const ethnicityConsent = await settleEthnicityConsent(tx, {
			userId,
			ethnicGroup: after.ethnicGroup,
			channel: by.kind === 'staff' ? 'STAFF' : 'SELF',
			givenById: by.kind === 'staff' ? by.staffId : null,
		})
		if (!changed.length && !ethnicityConsent) return { changed, moved: false }
		const shown = changed.filter((f) => f !== 'ethnicGroup')
		await recordAudit(
			{
				actorId,
				action: 'resident.update',
				targetUserId: userId,
				communeCode: before.communeCode,
				provinceCode: before.provinceCode,
				details: {
					by: by.kind,
					changed,
					before: Object.fromEntries(shown.map((f) => [f, before[f] ?? null])),
					after: Object.fromEntries(shown.map((f) => [f, after[f] ?? null])),
					...(ethnicityConsent ? { ethnicityConsent } : {}),
				},
			},
			tx,
		)
		return { changed, moved: changed.includes('communeCode') }
	})
}
