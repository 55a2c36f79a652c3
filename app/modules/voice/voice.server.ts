import { vietnamDay } from '#app/kernel/calendar.ts'
import { DomainError } from '#app/kernel/errors.ts'
import { URLS } from '#app/kernel/offline-constants.ts'
import { canActInProvince, isProvinceLevel, type Scope } from '#app/kernel/scope.ts'
import { isVoiceLanguage, VOICE_LIMITS, voiceLanguageName } from '#app/kernel/voices.ts'
import { recordAudit } from '#app/modules/audit/audit.server.ts'
import { getLessonById, getManifest } from '#app/modules/course/course.server.ts'
import { type ManifestLesson } from '#app/modules/course/compile.server.ts'
import { requireUser, type SessionUser } from '#app/utils/auth.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { LIMITS, takeAttempt } from '#app/utils/rate-limit.server.ts'
import { normalisePhone } from '#app/modules/people/phone.ts'
import { encodeNarration } from './audio.server.ts'

/**
 * Local voices (issue #23, ADR 034): who may narrate, recordings from upload to publication, what
 * learners hear, and the anonymous play counts. Every rule about who may do what is in the `where`
 * of the query that does it.
 */

// ---- Narrators ----------------------------------------------------------------------------------

export interface NarratorGrantRef {
	id: string
	provinceCode: string
	communeCode: string | null
}

/** The narrator permissions this person holds now (revoked ones are history). */
export async function activeGrantsOf(userId: string): Promise<NarratorGrantRef[]> {
	return prisma.narratorGrant.findMany({
		where: { userId, revokedAt: null },
		select: { id: true, provinceCode: true, communeCode: true },
		orderBy: [{ communeCode: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }],
	})
}

/** The signed-in narrator and their grants; anyone else is refused (403, with why). */
export async function requireNarrator(request: Request): Promise<{ user: SessionUser; grants: NarratorGrantRef[] }> {
	const user = await requireUser(request)
	const grants = await activeGrantsOf(user.id)
	if (!grants.length) throw Response.json({ message: 'voice:errors.notNarrator' }, { status: 403 })
	return { user, grants }
}

/**
 * A province officer (or an administrator) lets a person narrate for one commune of their province
 * or for the whole province. The person is found by phone and must already have an account.
 */
export async function grantNarrator({
	scope,
	actorId,
	phone,
	provinceCode,
	communeCode,
}: {
	scope: Scope
	actorId: string
	phone: string
	provinceCode: string
	communeCode: string | null
}) {
	if (!canActInProvince(scope, provinceCode)) throw new DomainError('voice:errors.notYourProvince', { status: 403 })
	if (communeCode) {
		const commune = await prisma.commune.findFirst({ where: { code: communeCode, provinceCode }, select: { code: true } })
		if (!commune) throw new DomainError('voice:errors.badCommune', { field: 'communeCode' })
	}
	const normalised = normalisePhone(phone)
	// Only a person of the grant's province (and commune): an officer cannot reach, nor learn whether
	// a phone is registered, anywhere outside the place they act for.
	const person = normalised
		? await prisma.user.findFirst({
				where: { phone: normalised, erasedAt: null, provinceCode, ...(communeCode ? { communeCode } : {}) },
				select: { id: true },
			})
		: null
	if (!person) throw new DomainError('voice:errors.noSuchPerson', { field: 'phone' })
	const existing = await prisma.narratorGrant.findFirst({ where: { userId: person.id, provinceCode, communeCode, revokedAt: null }, select: { id: true } })
	if (existing) return existing
	return prisma.$transaction(async (tx) => {
		const grant = await tx.narratorGrant.create({ data: { userId: person.id, provinceCode, communeCode, grantedById: actorId }, select: { id: true } })
		await recordAudit({ actorId, action: 'narrator.grant', targetUserId: person.id, provinceCode, communeCode, details: { grantId: grant.id } }, tx)
		return grant
	})
}

export async function revokeNarrator({ scope, actorId, grantId }: { scope: Scope; actorId: string; grantId: string }) {
	const grant = await prisma.narratorGrant.findFirst({
		where: { id: grantId, revokedAt: null },
		select: { id: true, userId: true, provinceCode: true, communeCode: true },
	})
	if (!grant || !canActInProvince(scope, grant.provinceCode)) throw new DomainError('voice:errors.noSuchGrant')
	await prisma.$transaction(async (tx) => {
		await tx.narratorGrant.update({ where: { id: grant.id }, data: { revokedAt: new Date(), revokedById: actorId } })
		await recordAudit(
			{
				actorId,
				action: 'narrator.revoke',
				targetUserId: grant.userId,
				provinceCode: grant.provinceCode,
				communeCode: grant.communeCode,
				details: { grantId },
			},
			tx,
		)
	})
}

/** The narrators of the provinces this officer acts for, with what they recorded. */
export async function listNarrators(scope: Scope) {
	const rows = await prisma.narratorGrant.findMany({
		where: { revokedAt: null, ...(scope.admin ? {} : { provinceCode: { in: scope.provinceCodes } }) },
		select: { id: true, userId: true, provinceCode: true, communeCode: true, createdAt: true },
		orderBy: { createdAt: 'desc' },
		take: 500,
	})
	const people = await prisma.user.findMany({ where: { id: { in: rows.map((r) => r.userId) } }, select: { id: true, fullName: true, phone: true } })
	const counts = await prisma.recording.groupBy({ by: ['narratorId'], where: { narratorId: { in: rows.map((r) => r.userId) } }, _count: { _all: true } })
	return rows.map((r) => {
		const p = people.find((x) => x.id === r.userId)
		return { ...r, fullName: p?.fullName ?? '', phone: p?.phone ?? '', recordings: counts.find((c) => c.narratorId === r.userId)?._count._all ?? 0 }
	})
}

// ---- Recordings ---------------------------------------------------------------------------------

/** The version of a lesson's text a narration is read from: its compiled Vietnamese source. */
export function contentVersionOf(lesson: Pick<ManifestLesson, 'hash'>): string {
	return lesson.hash.vi ?? ''
}

/**
 * A narrator uploads a recording of a lesson (or one of its sections). It is checked by content,
 * encoded and stored in one go, PENDING until someone else approves it; any failure stores nothing.
 */
export async function uploadRecording({
	narratorId,
	lessonId,
	language,
	dialectNote,
	section,
	grantId,
	file,
}: {
	narratorId: string
	lessonId: string
	language: string
	dialectNote: string
	section: number | null
	grantId: string | null
	file: Uint8Array
}) {
	const found = getLessonById(lessonId)
	if (!found) throw new DomainError('common:errors.status.404', { status: 404 })
	if (!isVoiceLanguage(language)) throw new DomainError('voice:errors.badLanguage', { field: 'language' })
	const grants = await activeGrantsOf(narratorId)
	const grant = grantId ? grants.find((g) => g.id === grantId) : grants[0]
	if (!grant) throw new DomainError('voice:errors.notNarrator', { status: 403 })
	if (await takeAttempt([LIMITS.voiceUploadPerUser, narratorId])) throw new DomainError('voice:errors.quota', { status: 429 })
	const encoded = await encodeNarration(file, { maxSeconds: VOICE_LIMITS.maxSecondsFor(found.lesson.minutes) })
	if (!encoded.ok) throw new DomainError(encoded.error, { field: 'audio', status: encoded.error === 'voice:errors.tooLarge' ? 413 : 400 })
	return prisma.$transaction(async (tx) => {
		const recording = await tx.recording.create({
			data: {
				courseId: found.course.id,
				lessonId,
				section,
				language,
				dialectNote,
				narratorId,
				provinceCode: grant.provinceCode,
				communeCode: grant.communeCode,
				contentVersion: contentVersionOf(found.lesson),
				durationMs: encoded.durationMs,
				bytes: encoded.data.byteLength,
				sha256: encoded.sha256,
				uploadedBytes: file.byteLength,
			},
			select: { id: true, durationMs: true, bytes: true },
		})
		// As base64 decoded by the database: the embedded database's driver adapter refuses a bytea parameter.
		await tx.$executeRaw`INSERT INTO "RecordingAudio" ("recordingId", "mimeType", data)
			VALUES (${recording.id}, ${encoded.mimeType}, decode(${encoded.data.toString('base64')}, 'base64'))`
		await recordAudit(
			{
				actorId: narratorId,
				action: 'recording.upload',
				provinceCode: grant.provinceCode,
				communeCode: grant.communeCode,
				details: { recordingId: recording.id, lessonId, language, section, bytes: recording.bytes },
			},
			tx,
		)
		return recording
	})
}

const listSelect = {
	id: true,
	courseId: true,
	lessonId: true,
	section: true,
	language: true,
	dialectNote: true,
	narratorId: true,
	provinceCode: true,
	communeCode: true,
	contentVersion: true,
	status: true,
	durationMs: true,
	bytes: true,
	sha256: true,
	createdAt: true,
	publishedAt: true,
} as const

/** The narrator's own recordings, newest first. */
export async function listOwnRecordings(narratorId: string) {
	return prisma.recording.findMany({ where: { narratorId }, select: listSelect, orderBy: { createdAt: 'desc' }, take: 200 })
}

/**
 * Where this person may review: as an officer, every recording of their provinces; as a narrator,
 * those of the places of their grants (a province grant covers all its communes). Never their own.
 */
async function reviewableWhere(user: { id: string; scope: Scope }) {
	const grants = await activeGrantsOf(user.id)
	const places = [
		...(user.scope.admin ? [{}] : user.scope.provinceCodes.map((provinceCode) => ({ provinceCode }))),
		...grants.map((g) => (g.communeCode ? { provinceCode: g.provinceCode, communeCode: g.communeCode } : { provinceCode: g.provinceCode })),
	]
	if (!places.length) return null
	return { narratorId: { not: user.id }, OR: places }
}

/** May this person review recordings at all (an officer or a narrator)? */
export async function canReviewAny(user: { id: string; scope: Scope }) {
	return isProvinceLevel(user.scope) || (await activeGrantsOf(user.id)).length > 0
}

/** Recordings waiting for this reviewer, and the published ones they may take down. */
export async function listForReview(user: { id: string; scope: Scope }) {
	await flagOutdatedRecordings()
	const where = await reviewableWhere(user)
	if (!where) return []
	return prisma.recording.findMany({
		where: { ...where, status: { in: ['PENDING', 'NEEDS_REVIEW', 'PUBLISHED'] } },
		select: listSelect,
		orderBy: [{ status: 'asc' }, { createdAt: 'asc' }],
		take: 200,
	})
}

/**
 * Approve (publish) or take down, by someone other than the narrator. A recording of an older text
 * cannot be approved: it must be recorded again from the lesson as it is now.
 */
export async function reviewRecording({
	user,
	recordingId,
	decision,
}: {
	user: { id: string; scope: Scope }
	recordingId: string
	decision: 'approve' | 'take-down'
}) {
	const where = await reviewableWhere(user)
	const recording = where
		? await prisma.recording.findFirst({
				where: { ...where, id: recordingId },
				select: { id: true, lessonId: true, contentVersion: true, status: true, provinceCode: true, communeCode: true },
			})
		: null
	if (!recording) throw new DomainError('voice:errors.noSuchRecording', { status: 404 })
	const now = new Date()
	if (decision === 'approve') {
		const found = getLessonById(recording.lessonId)
		if (!found || contentVersionOf(found.lesson) !== recording.contentVersion) throw new DomainError('voice:errors.outdated')
		if (recording.status === 'TAKEN_DOWN') throw new DomainError('voice:errors.takenDown')
	}
	await prisma.$transaction(async (tx) => {
		const changed = await tx.recording.updateMany({
			where: { id: recording.id, status: recording.status },
			data:
				decision === 'approve'
					? { status: 'PUBLISHED', reviewedById: user.id, reviewedAt: now, publishedAt: now }
					: { status: 'TAKEN_DOWN', reviewedById: user.id, reviewedAt: now, takenDownAt: now },
		})
		if (changed.count !== 1) throw new DomainError('voice:errors.changedMeanwhile', { status: 409 })
		await recordAudit(
			{
				actorId: user.id,
				action: decision === 'approve' ? 'recording.publish' : 'recording.take-down',
				provinceCode: recording.provinceCode,
				communeCode: recording.communeCode,
				details: { recordingId: recording.id, lessonId: recording.lessonId, from: recording.status },
			},
			tx,
		)
	})
}

/**
 * Recordings of a text that has since changed are flagged NEEDS_REVIEW (at start, and before a
 * review list is shown), so nobody approves or hears the old words; learners' queries also match
 * the current version, so not even a moment passes in which they could.
 */
export async function flagOutdatedRecordings() {
	let flagged = 0
	for (const course of getManifest().courses) {
		for (const lesson of course.lessons) {
			const r = await prisma.recording.updateMany({
				where: { lessonId: lesson.id, status: { in: ['PENDING', 'PUBLISHED'] }, contentVersion: { not: contentVersionOf(lesson) } },
				data: { status: 'NEEDS_REVIEW' },
			})
			flagged += r.count
		}
	}
	return flagged
}

// ---- Learners -----------------------------------------------------------------------------------

export interface PublishedVoice {
	id: string
	language: string
	dialectNote: string
	section: number | null
	durationMs: number
	bytes: number
	url: string
}

/** The URL of a recording's audio: its hash makes it safe to cache for good. */
export function audioUrl(r: { id: string; sha256: string }) {
	return `${URLS.voices}${r.id}/${r.sha256.slice(0, 16)}.webm`
}

/** What learners of this lesson may hear: published recordings of its current text, one per language, section and dialect (the newest). */
export async function publishedVoicesFor(lesson: Pick<ManifestLesson, 'id' | 'hash'>): Promise<PublishedVoice[]> {
	return (await publishedVoicesOf([lesson])).get(lesson.id) ?? []
}

/**
 * A course's recordings as saving it for offline use takes them (the lesson pages name them): their
 * count and bytes, shown before saving, and a key that changes when one is published or taken down.
 */
export async function courseVoices(course: { lessons: Pick<ManifestLesson, 'id' | 'hash'>[] }) {
	const all = [...(await publishedVoicesOf(course.lessons)).values()].flat()
	return { count: all.length, bytes: all.reduce((n, v) => n + v.bytes, 0), key: all.map((v) => v.id).join(',') }
}

async function publishedVoicesOf(lessons: Pick<ManifestLesson, 'id' | 'hash'>[]): Promise<Map<string, PublishedVoice[]>> {
	const rows = await prisma.recording.findMany({
		where: { status: 'PUBLISHED', OR: lessons.map((l) => ({ lessonId: l.id, contentVersion: contentVersionOf(l) })) },
		select: { id: true, lessonId: true, language: true, dialectNote: true, section: true, durationMs: true, bytes: true, sha256: true },
		orderBy: [{ language: 'asc' }, { section: { sort: 'asc', nulls: 'first' } }, { publishedAt: 'desc' }],
		take: 50 * lessons.length,
	})
	const seen = new Set<string>()
	const out = new Map<string, PublishedVoice[]>()
	for (const r of rows) {
		const key = `${r.lessonId}:${r.language}:${r.section ?? ''}:${r.dialectNote}`
		if (seen.has(key)) continue
		seen.add(key)
		const list = out.get(r.lessonId) ?? []
		list.push({ id: r.id, language: r.language, dialectNote: r.dialectNote, section: r.section, durationMs: r.durationMs, bytes: r.bytes, url: audioUrl(r) })
		out.set(r.lessonId, list)
	}
	return out
}

/** The lesson page's part: published voices with their language named in the page's language. */
export async function lessonVoices(lesson: Pick<ManifestLesson, 'id' | 'hash'>, lng: string) {
	return (await publishedVoicesFor(lesson)).map(({ language, ...v }) => ({ ...v, name: voiceLanguageName(language, lng) }))
}

/**
 * The audio of a recording for the /voices route. A learner gets it only while it is published and
 * of the lesson's current text; its narrator and its reviewers get it in any state (to listen first).
 */
export async function readAudio({ recordingId, hashPrefix, user }: { recordingId: string; hashPrefix: string; user: { id: string; scope: Scope } | null }) {
	const row = await prisma.recording.findUnique({
		where: { id: recordingId },
		select: { id: true, status: true, lessonId: true, contentVersion: true, sha256: true, narratorId: true, audio: { select: { mimeType: true, data: true } } },
	})
	if (!row?.audio || !row.sha256.startsWith(hashPrefix) || hashPrefix.length !== 16) return null
	const found = getLessonById(row.lessonId)
	const live = row.status === 'PUBLISHED' && found !== null && contentVersionOf(found.lesson) === row.contentVersion
	if (!live) {
		if (!user) return null
		const mine = row.narratorId === user.id
		const where = mine ? null : await reviewableWhere(user)
		if (!mine && !(where && (await prisma.recording.count({ where: { ...where, id: row.id } })))) return null
	}
	return { id: row.id, live, mimeType: row.audio.mimeType, data: Buffer.from(row.audio.data), sha256: row.sha256 }
}

/** One more play of a published recording today (Vietnam time). Anonymous: no user, no address. */
export async function countPlay(recordingId: string, at = new Date()) {
	const day = vietnamDay(at)
	await prisma.$executeRaw`
		INSERT INTO "RecordingPlayDay" ("recordingId", "day", "plays") VALUES (${recordingId}, ${day}, 1)
		ON CONFLICT ("recordingId", "day") DO UPDATE SET "plays" = "RecordingPlayDay"."plays" + 1`
}

// ---- Province view ------------------------------------------------------------------------------

/**
 * Per lesson, the languages it has recordings in (by status) for the places of this officer's
 * provinces, and how many times learners played the published ones.
 */
export async function voicesOverview(scope: Scope) {
	const rows = await prisma.recording.findMany({
		where: scope.admin ? {} : { provinceCode: { in: scope.provinceCodes } },
		select: {
			id: true,
			lessonId: true,
			courseId: true,
			language: true,
			status: true,
			provinceCode: true,
			communeCode: true,
			plays: { select: { plays: true } },
		},
		take: 5000,
	})
	return rows.map((r) => ({ ...r, plays: r.plays.reduce((n, p) => n + p.plays, 0) }))
}
