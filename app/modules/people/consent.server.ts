import { statesEthnicGroup } from '#app/kernel/demographics.ts'
import { type ConsentChannel, type ConsentPurpose, NOTICE_VERSION, type NoticeKind, purposeOfNotice } from '#app/kernel/privacy.ts'
import { prisma, type Tx } from '#app/utils/db.server.ts'

/**
 * Consents as the law asks them to be kept (Law 91/2025/QH15 Art. 9; ADR 018): for each person,
 * which purpose, which notice version, through which channel, which staff member gave the notice,
 * when it was given and when withdrawn. Rows are added and closed, never rewritten.
 */

/** The channel a registration came through is the channel its notice was given through. */
export function channelOf(via: 'SELF' | 'STAFF' | 'IMPORT' | 'VNEID' | 'SEED'): ConsentChannel {
	return via
}

/** The consents of a new account: learning always, ethnicity when a group is kept. */
export function consentsAtRegistration({
	userId,
	channel,
	givenById,
	ethnicGroup,
	at,
}: {
	userId: string
	channel: ConsentChannel
	givenById?: string | null
	ethnicGroup: string | null
	at: Date
}) {
	const purposes: ConsentPurpose[] = statesEthnicGroup(ethnicGroup) ? ['LEARNING', 'ETHNICITY'] : ['LEARNING']
	return purposes.map((purpose) => ({ userId, purpose, noticeVersion: NOTICE_VERSION, channel, givenById: givenById ?? null, givenAt: at }))
}

export async function recordRegistrationConsents(db: Tx, consent: Parameters<typeof consentsAtRegistration>[0]) {
	await db.consent.createMany({ data: consentsAtRegistration(consent) })
}

/**
 * After a correction: an ethnic group kept needs a live ETHNICITY consent (one is added when there
 * is none); "not stated" withdraws any live one. Returns what changed, for the audit log.
 */
export async function settleEthnicityConsent(
	db: Tx,
	{
		userId,
		ethnicGroup,
		channel,
		givenById,
		at = new Date(),
	}: { userId: string; ethnicGroup: string | null; channel: ConsentChannel; givenById?: string | null; at?: Date },
): Promise<'given' | 'withdrawn' | null> {
	const live = await db.consent.findFirst({ where: { userId, purpose: 'ETHNICITY', withdrawnAt: null }, select: { id: true } })
	if (statesEthnicGroup(ethnicGroup)) {
		if (live) return null
		await db.consent.create({ data: { userId, purpose: 'ETHNICITY', noticeVersion: NOTICE_VERSION, channel, givenById: givenById ?? null, givenAt: at } })
		return 'given'
	}
	if (!live) return null
	await db.consent.updateMany({ where: { userId, purpose: 'ETHNICITY', withdrawnAt: null }, data: { withdrawnAt: at } })
	return 'withdrawn'
}

/** Every consent of a person, newest first (for /me/profile and /me/data). */
export async function listConsents(userId: string, db: Tx | typeof prisma = prisma) {
	return db.consent.findMany({
		where: { userId },
		orderBy: [{ givenAt: 'desc' }, { purpose: 'asc' }],
		select: { id: true, purpose: true, noticeVersion: true, channel: true, givenById: true, givenAt: true, withdrawnAt: true },
	})
}

/**
 * The person agreed to the current notice on `/me/notice` (ADR 028): a resident to the notice
 * for learners (a new `LEARNING` consent at this version), a role holder to the staff notice
 * (`STAFF`). Earlier rows stay as they were: they say what was agreed to then. Agreeing twice
 * (two tabs) adds nothing.
 */
export async function acceptNotice({
	userId,
	kind,
	channel = 'SELF',
	at = new Date(),
}: {
	userId: string
	kind: NoticeKind
	channel?: ConsentChannel
	at?: Date
}) {
	const purpose = purposeOfNotice(kind)
	return prisma.$transaction(async (tx) => {
		// One agreement per person at a time: the lock orders two tabs agreeing at once.
		await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`
		const live = await tx.consent.findFirst({ where: { userId, purpose, noticeVersion: NOTICE_VERSION, withdrawnAt: null }, select: { id: true } })
		if (live) return false
		await tx.consent.create({ data: { userId, purpose, noticeVersion: NOTICE_VERSION, channel, givenAt: at } })
		return true
	})
}

/** Did this person agree to an earlier notice (so the page says it changed)? */
export async function hasAgreedBefore(userId: string) {
	return (await prisma.consent.count({ where: { userId, purpose: 'LEARNING' } })) > 0
}
