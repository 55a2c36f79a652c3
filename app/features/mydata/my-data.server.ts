import { ethnicGroupName } from '#app/kernel/demographics.ts'
import { accessHistoryOf } from '#app/modules/audit/access-log.server.ts'
import { getCourseById, getLessonById } from '#app/modules/course/course.server.ts'
import { communeName, provinceName } from '#app/modules/units/units.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { type Lng } from '#app/utils/i18n.ts'

/**
 * Everything the platform keeps about one person (issue #18 item 2): the page /me/data shows this
 * document and "Tải dữ liệu của tôi" downloads it as JSON. One builder for both, so the page and
 * the file never disagree. Schema: docs/personal-data-export.md and
 * docs/schemas/personal-data-export.schema.json (bump SCHEMA_VERSION on any change of shape).
 *
 * What it never contains (ADR 019): anybody else's personal data. Other people appear only as the
 * staff member or officer who acted — their role, full name and unit, nothing else (no phone, no
 * account id) —, and lists the person appeared in are described by their filter and the person's
 * own place in them, never by the other rows. Secrets are left out (PIN hash, session and setup-code
 * hashes); their existence and dates are in.
 */
export const SCHEMA_VERSION = 1
export const SCHEMA_ID = 'https://hocvuso.gov.vn/schemas/personal-data-export/v1.json'

export type ActorKind = 'self' | 'system' | 'visitor' | 'COMMUNE_STAFF' | 'PROVINCE_OFFICER' | 'ADMIN' | 'former-staff'

/** Who did something: the person themselves, the platform, or a staff member by role, name and unit. */
export interface Actor {
	kind: ActorKind
	name: string | null
	unit: string | null
}

export interface MyData {
	$schema: string
	schemaVersion: number
	generatedAt: string
	language: Lng
	person: {
		fullName: string
		phone: string | null
		birthYear: number | null
		sex: string | null
		ethnicGroup: { code: string; name: string } | null
		learnerGroup: string
		province: { code: string; name: string } | null
		commune: { code: string; name: string } | null
		village: string | null
		signInWith: string | null
		vneidLinked: boolean
		createdAt: string
		updatedAt: string
	}
	registration: { via: string; at: string; by: Actor | null }
	roles: { role: string; unit: string | null; since: string }[]
	sessions: { createdAt: string; expiresAt: string }[]
	setupCodes: { purpose: string; createdAt: string; expiresAt: string; usedAt: string | null; createdBy: Actor | null }[]
	enrolments: {
		courseId: string
		course: string
		enrolledAt: string
		enrolledBy: Actor | null
		completedAt: string | null
		communeCode: string | null
		lessons: { lessonId: string; lesson: string; openedAt: string; completedAt: string | null; source: string; recordedBy: Actor | null }[]
	}[]
	quizAttempts: { lessonId: string; lesson: string; correct: number; total: number; passed: boolean; answers: unknown; occurredAt: string }[]
	certificates: {
		code: string
		courseId: string
		course: string
		nameOnCertificate: string
		issuedAt: string
		revokedAt: string | null
		revocationReason: string | null
	}[]
	classes: { heldOn: string; place: string; courseId: string; course: string }[]
	deviceEvents: { kind: string; occurredAt: string; receivedAt: string }[]
	/** Every view, search, export and change of this person's record by anyone (ADR 019). */
	accessLog: {
		action: string
		at: string
		by: Actor
		/** Searches and exports: the filter used and this person's place in the results. */
		filter: Record<string, unknown> | null
		place: number | null
		/** Changes: what the record shows about the change (never other people). */
		details: Record<string, unknown> | null
	}[]
	/**
	 * Further sections (consents, correction requests…): each adds its own key, documented in
	 * docs/personal-data-export.md, through `SECTIONS` below.
	 */
	[section: string]: unknown
}

/**
 * Sections added by other parts of the platform: a key and a function of the person's id. The
 * consent record plugs in here (issue #18 item 1) without changing the page or the builder.
 */
export const SECTIONS: Record<string, (userId: string, lng: Lng) => Promise<unknown>> = {}

/** The whole document for one person; null when the account no longer exists. */
export async function collectMyData(userId: string, lng: Lng, now = new Date()): Promise<MyData | null> {
	const user = await prisma.user.findUnique({
		where: { id: userId },
		select: {
			fullName: true,
			phone: true,
			birthYear: true,
			sex: true,
			ethnicGroup: true,
			learnerGroup: true,
			provinceCode: true,
			communeCode: true,
			village: true,
			credentialKind: true,
			vneidSubject: true,
			registeredVia: true,
			registeredById: true,
			createdAt: true,
			updatedAt: true,
			roles: { select: { role: true, communeCode: true, provinceCode: true, createdAt: true } },
			sessions: { select: { createdAt: true, expiresAt: true }, orderBy: { createdAt: 'desc' } },
			setupCodes: { select: { purpose: true, createdAt: true, expiresAt: true, usedAt: true, createdById: true }, orderBy: { createdAt: 'desc' } },
			enrolments: {
				select: {
					courseId: true,
					createdAt: true,
					completedAt: true,
					enrolledById: true,
					communeCode: true,
					lessons: { select: { lessonId: true, openedAt: true, completedAt: true, source: true, recordedById: true }, orderBy: { openedAt: 'asc' } },
				},
				orderBy: { createdAt: 'asc' },
			},
			quizAttempts: { select: { lessonId: true, correct: true, total: true, passed: true, answers: true, occurredAt: true }, orderBy: { occurredAt: 'asc' } },
			certificates: {
				select: { code: true, courseId: true, recipientName: true, issuedAt: true, revokedAt: true, revocationReason: true },
				orderBy: { issuedAt: 'asc' },
			},
		},
	})
	if (!user) return null
	const [classes, events, history, extra] = await Promise.all([
		prisma.classAttendance.findMany({
			where: { userId },
			select: { classSession: { select: { heldOn: true, place: true, courseId: true } } },
			orderBy: { classSession: { heldOn: 'asc' } },
		}),
		prisma.clientEvent.findMany({ where: { userId }, select: { kind: true, occurredAt: true, receivedAt: true }, orderBy: { receivedAt: 'asc' } }),
		accessHistoryOf(userId),
		Promise.all(Object.entries(SECTIONS).map(async ([key, section]) => [key, await section(userId, lng)] as const)),
	])
	const actorIds = [
		user.registeredById,
		...user.setupCodes.map((s) => s.createdById),
		...user.enrolments.flatMap((e) => [e.enrolledById, ...e.lessons.map((l) => l.recordedById)]),
	]
	const actors = await actorsByIds(userId, actorIds, lng)
	const actor = (id: string | null) => (id ? (actors.get(id) ?? FORMER) : null)
	const courseTitle = (id: string) => getCourseById(id)?.title[lng] ?? id
	const lessonTitle = (id: string) => getLessonById(id)?.lesson.title[lng] ?? id
	const iso = (d: Date) => d.toISOString()
	const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null)
	const historyActors = await actorsFromHistory(userId, history, lng)
	return {
		$schema: SCHEMA_ID,
		schemaVersion: SCHEMA_VERSION,
		generatedAt: iso(now),
		language: lng,
		person: {
			fullName: user.fullName,
			phone: user.phone,
			birthYear: user.birthYear,
			sex: user.sex,
			ethnicGroup: user.ethnicGroup ? { code: user.ethnicGroup, name: ethnicGroupName(user.ethnicGroup, lng) } : null,
			learnerGroup: user.learnerGroup,
			province: user.provinceCode ? { code: user.provinceCode, name: await provinceName(user.provinceCode, lng) } : null,
			commune: user.communeCode ? { code: user.communeCode, name: await communeName(user.communeCode, lng) } : null,
			village: user.village,
			signInWith: user.credentialKind,
			vneidLinked: Boolean(user.vneidSubject),
			createdAt: iso(user.createdAt),
			updatedAt: iso(user.updatedAt),
		},
		registration: { via: user.registeredVia, at: iso(user.createdAt), by: actor(user.registeredById) },
		roles: await Promise.all(
			user.roles.map(async (r) => ({
				role: r.role,
				unit: r.communeCode ? await communeName(r.communeCode, lng) : r.provinceCode ? await provinceName(r.provinceCode, lng) : null,
				since: iso(r.createdAt),
			})),
		),
		sessions: user.sessions.map((s) => ({ createdAt: iso(s.createdAt), expiresAt: iso(s.expiresAt) })),
		setupCodes: user.setupCodes.map((s) => ({
			purpose: s.purpose,
			createdAt: iso(s.createdAt),
			expiresAt: iso(s.expiresAt),
			usedAt: isoOrNull(s.usedAt),
			createdBy: actor(s.createdById),
		})),
		enrolments: user.enrolments.map((e) => ({
			courseId: e.courseId,
			course: courseTitle(e.courseId),
			enrolledAt: iso(e.createdAt),
			enrolledBy: actor(e.enrolledById),
			completedAt: isoOrNull(e.completedAt),
			communeCode: e.communeCode,
			lessons: e.lessons.map((l) => ({
				lessonId: l.lessonId,
				lesson: lessonTitle(l.lessonId),
				openedAt: iso(l.openedAt),
				completedAt: isoOrNull(l.completedAt),
				source: l.source,
				recordedBy: actor(l.recordedById),
			})),
		})),
		quizAttempts: user.quizAttempts.map((q) => ({
			lessonId: q.lessonId,
			lesson: lessonTitle(q.lessonId),
			correct: q.correct,
			total: q.total,
			passed: q.passed,
			answers: typeof q.answers === 'string' ? JSON.parse(q.answers) : q.answers,
			occurredAt: iso(q.occurredAt),
		})),
		certificates: user.certificates.map((c) => ({
			code: c.code,
			courseId: c.courseId,
			course: courseTitle(c.courseId),
			nameOnCertificate: c.recipientName,
			issuedAt: iso(c.issuedAt),
			revokedAt: isoOrNull(c.revokedAt),
			revocationReason: c.revocationReason,
		})),
		classes: classes.map((c) => ({
			heldOn: c.classSession.heldOn.toISOString().slice(0, 10),
			place: c.classSession.place,
			courseId: c.classSession.courseId,
			course: courseTitle(c.classSession.courseId),
		})),
		deviceEvents: events.map((e) => ({ kind: e.kind, occurredAt: iso(e.occurredAt), receivedAt: iso(e.receivedAt) })),
		accessLog: history.map((h) => ({
			action: h.action,
			at: iso(h.at),
			by: historyActors.get(h.id)!,
			filter: h.rank !== null ? filterOf(h.details) : null,
			place: h.rank,
			details: h.rank === null ? detailsOf(h.details) : null,
		})),
		...Object.fromEntries(extra),
	}
}

/** A download name without the person's name in it (it is saved on a shared phone). */
export function myDataFileName(now = new Date()) {
	return `hoc-vu-so_du-lieu-cua-toi_${now.toISOString().slice(0, 10)}.json`
}

const FORMER: Actor = { kind: 'former-staff', name: null, unit: null }

/**
 * Staff named by role, full name and unit only. Anyone else who acted on the record is either the
 * person (self) or not named: a resident never appears in another resident's data.
 */
async function actorsByIds(selfId: string, ids: (string | null)[], lng: Lng): Promise<Map<string, Actor>> {
	const wanted = [...new Set(ids.filter((id): id is string => Boolean(id) && id !== selfId))]
	const map = new Map<string, Actor>([[selfId, { kind: 'self', name: null, unit: null }]])
	if (!wanted.length) return map
	const people = await prisma.user.findMany({
		where: { id: { in: wanted } },
		select: { id: true, fullName: true, roles: { select: { role: true, communeCode: true, provinceCode: true }, orderBy: { createdAt: 'asc' } } },
	})
	for (const p of people) {
		map.set(p.id, await actorFrom(p.fullName, p.roles, lng))
	}
	return map
}

const ROLE_ORDER = ['ADMIN', 'PROVINCE_OFFICER', 'COMMUNE_STAFF'] as const

async function actorFrom(fullName: string, roles: { role: string; communeCode: string | null; provinceCode: string | null }[], lng: Lng): Promise<Actor> {
	const role = ROLE_ORDER.map((r) => roles.find((x) => x.role === r)).find(Boolean)
	// Not (or no longer) staff: someone who once acted for the commune; their name is not ours to give.
	if (!role) return FORMER
	const unit =
		role.role === 'COMMUNE_STAFF'
			? await communeName(role.communeCode, lng)
			: role.role === 'PROVINCE_OFFICER'
				? await provinceName(role.provinceCode, lng)
				: null
	return { kind: role.role as Actor['kind'], name: fullName, unit: unit || null }
}

async function actorsFromHistory(selfId: string, history: Awaited<ReturnType<typeof accessHistoryOf>>, lng: Lng) {
	const map = new Map<string, Actor>()
	for (const h of history) {
		// Someone checked a certificate on the public page: nothing about who is kept (ADR 028).
		if (!h.actorId && h.action === 'certificate.verify') map.set(h.id, { kind: 'visitor', name: null, unit: null })
		else if (!h.actorId) map.set(h.id, { kind: 'system', name: null, unit: null })
		else if (h.actorId === selfId) map.set(h.id, { kind: 'self', name: null, unit: null })
		else map.set(h.id, h.actorName ? await actorFrom(h.actorName, h.actorRoles, lng) : FORMER)
	}
	return map
}

/** The recorded filter of a search or export (what matched this person); never its result count of others. */
function filterOf(details: Record<string, unknown> | null) {
	if (!details) return null
	const { count: _count, ...filter } = details
	return filter
}

/**
 * What a change record says, minus keys that could name someone else. Today's records hold codes,
 * course ids and before/after values of this person's own fields.
 */
const HIDDEN_DETAIL_KEYS = new Set(['tokenId', 'phone', 'staffPhone', 'actorPhone'])
function detailsOf(details: Record<string, unknown> | null) {
	if (!details) return null
	const kept = Object.entries(details).filter(([key]) => !HIDDEN_DETAIL_KEYS.has(key))
	return kept.length ? Object.fromEntries(kept) : null
}
