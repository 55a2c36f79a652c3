import { createHash } from 'node:crypto'
import { z } from 'zod'
import { prisma, type Tx } from '#app/utils/db.server.ts'
import { DomainError } from '#app/kernel/errors.ts'
import { isUniqueViolation } from '#app/utils/db-errors.ts'
import { foldForSearch } from '#app/kernel/search-fold.ts'
import { containsText, freeText } from '#app/utils/input.ts'
import { residentsInScope, type Scope } from '#app/kernel/scope.ts'
import { vietnamDay } from '#app/kernel/calendar.ts'
import { recordAudit } from '#app/modules/audit/audit.server.ts'
import { getCourseById } from '#app/modules/course/course.server.ts'
import { enrolResident, recordLessonCompletion } from '#app/modules/progress/progress.server.ts'
import { requireCommune, WorkspaceError } from './workspace.server.ts'

/**
 * Group classes: staff record a class (date, place, course, lessons covered) and tick who came;
 * each attendee is enrolled if needed and the lessons are recorded as "completed in class" by that
 * staff member. Idempotent: the form carries a client id, and every completion a client event id
 * derived from it, so submitting twice (or retrying after a dropped connection) changes nothing.
 */
export const ClassSessionSchema = z.object({
	clientId: z.string({ message: 'workspace:classes.errors.retry' }).uuid('workspace:classes.errors.retry'),
	communeCode: z.string({ message: 'workspace:errors.commune' }).regex(/^\d{5}$/, 'workspace:errors.commune'),
	courseId: z.string({ message: 'workspace:errors.course' }).min(1, 'workspace:errors.course').max(60, 'workspace:errors.course'),
	heldOn: z
		.string({ message: 'workspace:classes.errors.date' })
		.regex(/^\d{4}-\d{2}-\d{2}$/, 'workspace:classes.errors.date')
		.refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && d >= '2025-01-01', 'workspace:classes.errors.date'),
	place: freeText({
		min: 2,
		max: 200,
		messages: { tooShort: 'workspace:classes.errors.place', tooLong: 'workspace:classes.errors.place', invalid: 'workspace:classes.errors.placeInvalid' },
	}),
	lessonIds: z.array(z.string().max(80), { message: 'workspace:classes.errors.lessons' }).min(1, 'workspace:classes.errors.lessons').max(50),
	attendeeIds: z
		.array(z.string().max(40), { message: 'workspace:classes.errors.attendees' })
		.min(1, 'workspace:classes.errors.attendees')
		.max(300, 'workspace:classes.errors.tooMany'),
})
export type ClassSessionInput = z.infer<typeof ClassSessionSchema>

/** A completion's client event id: the same class, learner and lesson always give the same id. */
export function classEventId(classClientId: string, userId: string, lessonId: string) {
	return `class:${createHash('sha256').update(`${classClientId}|${userId}|${lessonId}`).digest('base64url').slice(0, 32)}`
}

export async function recordClassSession({ scope, staffId, input, now = new Date() }: { scope: Scope; staffId: string; input: ClassSessionInput; now?: Date }) {
	const commune = await requireCommune(scope, input.communeCode)
	let session = await prisma.classSession.findUnique({ where: { clientId: input.clientId }, include: { attendees: true } })
	if (session && session.communeCode !== commune.code) throw new WorkspaceError('workspace:classes.errors.retry', 409)
	if (!session) {
		const course = getCourseById(input.courseId)
		if (!course) throw new WorkspaceError('workspace:errors.course')
		const lessonIds = [...new Set(input.lessonIds)]
		if (lessonIds.some((id) => !course.lessons.some((l) => l.id === id))) throw new WorkspaceError('workspace:classes.errors.lessons')
		const heldOn = new Date(`${input.heldOn}T00:00:00Z`)
		// Not after today in Vietnam (a class is recorded once held), whatever the server's time zone.
		if (input.heldOn > vietnamDay(now)) throw new WorkspaceError('workspace:classes.errors.future')
		const attendeeIds = [...new Set(input.attendeeIds)]
		const found = await prisma.user.findMany({
			where: { AND: [{ id: { in: attendeeIds } }, residentsInScope(scope), { communeCode: commune.code }] },
			select: { id: true },
		})
		if (found.length !== attendeeIds.length) throw new WorkspaceError('workspace:classes.errors.attendees')
		try {
			session = await prisma.$transaction(async (tx) => {
				const created = await tx.classSession.create({
					data: {
						clientId: input.clientId,
						communeCode: commune.code,
						provinceCode: commune.provinceCode,
						courseId: course.id,
						heldOn,
						place: input.place,
						lessonIds,
						createdById: staffId,
						attendees: { create: attendeeIds.map((userId) => ({ userId })) },
					},
					include: { attendees: true },
				})
				await recordAudit(
					{
						actorId: staffId,
						action: 'class.record',
						communeCode: commune.code,
						provinceCode: commune.provinceCode,
						details: { classId: created.id, courseId: course.id, lessons: lessonIds.length, attendees: attendeeIds.length },
					},
					tx,
				)
				return created
			})
		} catch (error) {
			// The same form submitted twice at once: the other request created it.
			if (!isUniqueViolation(error)) throw error
			session = await prisma.classSession.findUniqueOrThrow({ where: { clientId: input.clientId }, include: { attendees: true } })
		}
	}
	// Completions run (again) for the stored class: a retry finishes what an interrupted one began.
	// Dated at noon of the class day, or now for a class held this morning: the enrolment and the
	// completions share that time, so an enrolment is never stored after its own completion.
	const noon = new Date(`${session.heldOn.toISOString().slice(0, 10)}T12:00:00+07:00`)
	const occurredAt = noon < now ? noon : now
	let certificates = 0
	// An attendee erased since (ADR 020) is not recorded again: their identity is gone from the class.
	const present = new Set(
		(await prisma.user.findMany({ where: { id: { in: session.attendees.map((a) => a.userId) }, erasedAt: null }, select: { id: true } })).map((u) => u.id),
	)
	for (const { userId } of session.attendees.filter((a) => present.has(a.userId))) {
		await enrolResident({ userId, courseId: session.courseId, enrolledById: staffId, at: occurredAt })
		for (const lessonId of session.lessonIds) {
			const result = await recordLessonCompletion({
				userId,
				lessonId,
				clientEventId: classEventId(session.clientId, userId, lessonId),
				occurredAt,
				source: 'CLASS',
				recordedById: staffId,
			})
			if (result.certificateCode) certificates++
		}
	}
	return { classId: session.id, attendees: session.attendees.length, lessons: session.lessonIds.length, certificates }
}

export async function listClassSessions(scope: Scope, communeCode: string) {
	await requireCommune(scope, communeCode)
	return prisma.classSession.findMany({
		where: { communeCode },
		orderBy: [{ heldOn: 'desc' }, { createdAt: 'desc' }],
		take: 100,
		select: { id: true, courseId: true, heldOn: true, place: true, lessonIds: true, _count: { select: { attendees: true } } },
	})
}

export async function getClassSession(scope: Scope, classId: string) {
	const session = await prisma.classSession.findUnique({ where: { id: classId }, include: { attendees: true } })
	if (!session) return null
	try {
		await requireCommune(scope, session.communeCode)
	} catch {
		return null
	}
	const people = await prisma.user.findMany({
		where: { id: { in: session.attendees.map((a) => a.userId) }, erasedAt: null },
		select: { id: true, fullName: true, village: true },
		orderBy: { fullName: 'asc' },
	})
	return { ...session, people }
}

/** Residents who can be ticked on a class form: the commune's residents (optionally one village), by name. */
export async function classCandidates(scope: Scope, communeCode: string, village?: string) {
	await requireCommune(scope, communeCode)
	const place = containsText(village)
	return prisma.user.findMany({
		where: {
			AND: [residentsInScope(scope), { communeCode }, place ? { villageFolded: { contains: foldForSearch(place) } } : {}],
		},
		select: { id: true, fullName: true, village: true },
		orderBy: [{ fullName: 'asc' }, { id: 'asc' }],
		take: 300,
	})
}

/** A correction of a saved class (ADR 031): the whole corrected form, as on the class page. */
export const ClassCorrectionSchema = z.object({
	heldOn: ClassSessionSchema.shape.heldOn,
	place: ClassSessionSchema.shape.place,
	notes: freeText({
		min: 0,
		max: 500,
		messages: { tooShort: 'workspace:classes.errors.notes', tooLong: 'workspace:classes.errors.notes', invalid: 'workspace:classes.errors.notesInvalid' },
	}).optional(),
	attendeeIds: ClassSessionSchema.shape.attendeeIds,
})
export type ClassCorrection = z.infer<typeof ClassCorrectionSchema>

/** When a class's completions happen: noon of its day (Vietnam), or now for a class held this morning. */
function classTime(heldOn: Date, now: Date) {
	const noon = new Date(`${heldOn.toISOString().slice(0, 10)}T12:00:00+07:00`)
	return noon < now ? noon : now
}

/**
 * Corrects a saved class: place and notes freely; the date earlier (its completions move earlier with
 * every figure that follows from them, by the rules for events in any order), or later only while none
 * of its completions is the one that counts; attendees added (recorded like the class) or removed
 * (their completions from this class withdrawn, falling back to a passed quiz or another class; refused
 * for someone whose course this class completed: a certificate was issued). Audited with before and after.
 */
export async function correctClassSession({
	scope,
	staffId,
	classId,
	input,
	now = new Date(),
}: {
	scope: Scope
	staffId: string
	classId: string
	input: ClassCorrection
	now?: Date
}) {
	const session = await prisma.classSession.findUnique({ where: { id: classId }, include: { attendees: true } })
	if (!session) throw new WorkspaceError('workspace:classes.errors.notFound', 404)
	const commune = await requireCommune(scope, session.communeCode)
	if (input.heldOn > vietnamDay(now)) throw new WorkspaceError('workspace:classes.errors.future')
	const before = {
		heldOn: session.heldOn.toISOString().slice(0, 10),
		place: session.place,
		notes: session.notes ?? '',
		attendees: session.attendees.map((a) => a.userId).sort(),
	}
	const wanted = [...new Set(input.attendeeIds)]
	const added = wanted.filter((id) => !before.attendees.includes(id))
	const removed = before.attendees.filter((id) => !wanted.includes(id))
	if (added.length) {
		const found = await prisma.user.findMany({
			where: { AND: [{ id: { in: added } }, residentsInScope(scope), { communeCode: commune.code }] },
			select: { id: true },
		})
		if (found.length !== added.length) throw new WorkspaceError('workspace:classes.errors.attendees')
	}
	const oldTime = classTime(session.heldOn, session.createdAt)
	const heldOn = new Date(`${input.heldOn}T00:00:00Z`)
	const later = input.heldOn > before.heldOn
	const kept = before.attendees.filter((id) => !removed.includes(id))
	// A later date would take completions away from the day they count on: only while none counts.
	if (later && (await completionsFromClass(prisma, session, kept)).length) throw new WorkspaceError('workspace:classes.errors.laterDate')
	// Removals first, each refused as a whole before anything changes.
	for (const userId of removed) await withdrawFromClass(session, userId, { check: true })
	for (const userId of removed) await withdrawFromClass(session, userId, { check: false })
	const newTime = classTime(heldOn, now < oldTime ? oldTime : now)
	await prisma.$transaction(async (tx) => {
		await tx.classSession.update({
			where: { id: session.id },
			data: {
				heldOn,
				place: input.place,
				notes: input.notes || null,
				attendees: { deleteMany: { userId: { in: removed } }, create: added.map((userId) => ({ userId })) },
			},
		})
		await recordAudit(
			{
				actorId: staffId,
				action: 'class.correct',
				communeCode: commune.code,
				provinceCode: commune.provinceCode,
				details: {
					classId: session.id,
					before: { heldOn: before.heldOn, place: before.place, notes: before.notes, attendees: before.attendees.length },
					after: { heldOn: input.heldOn, place: input.place, notes: input.notes ?? '', attendees: wanted.length },
					added,
					removed,
				},
			},
			tx,
		)
	})
	// New attendees are recorded like the class itself. A new date records everyone again at its time
	// under the same event ids (the old events go first): the rules for events in any order date each
	// completion by its earliest event, so an earlier date moves them and every figure that follows.
	const moved = input.heldOn !== before.heldOn
	if (moved)
		await prisma.clientEvent.deleteMany({ where: { id: { in: kept.flatMap((u) => session.lessonIds.map((l) => classEventId(session.clientId, u, l))) } } })
	for (const userId of moved ? wanted : added) {
		await enrolResident({ userId, courseId: session.courseId, enrolledById: staffId, at: newTime })
		for (const lessonId of session.lessonIds) {
			await recordLessonCompletion({
				userId,
				lessonId,
				clientEventId: classEventId(session.clientId, userId, lessonId),
				occurredAt: newTime,
				source: 'CLASS',
				recordedById: staffId,
			})
		}
	}
	return { classId: session.id, added: added.length, removed: removed.length }
}

/** The (user, lesson) completions that stand because of this class: CLASS, at the class's time, with its event. */
async function completionsFromClass(db: Tx, session: { clientId: string; lessonIds: string[] }, userIds: string[]) {
	if (!userIds.length) return []
	const ids = userIds.flatMap((u) => session.lessonIds.map((l) => classEventId(session.clientId, u, l)))
	const events = await db.clientEvent.findMany({ where: { id: { in: ids } }, select: { userId: true, occurredAt: true } })
	const rows = await db.lessonProgress.findMany({
		where: { userId: { in: userIds }, lessonId: { in: session.lessonIds }, source: 'CLASS' },
		select: { userId: true, lessonId: true, completedAt: true },
	})
	return rows.filter((r) => r.completedAt && events.some((e) => e.userId === r.userId && e.occurredAt.getTime() === r.completedAt!.getTime()))
}

/**
 * Takes one attendee's completions from this class back, under their row lock: each falls back to their
 * earliest passed quiz of that lesson, or another class they attended with it, or becomes not completed.
 * A course this class completed is refused (its certificate was issued: a province officer revokes it).
 */
async function withdrawFromClass(
	session: { id: string; clientId: string; courseId: string; lessonIds: string[] },
	userId: string,
	{ check }: { check: boolean },
) {
	await prisma.$transaction(async (tx) => {
		const [user] = await tx.$queryRaw<{ fullName: string }[]>`SELECT "fullName" FROM "User" WHERE id = ${userId} FOR UPDATE`
		const fromClass = await completionsFromClass(tx, session, [userId])
		const enrolment = await tx.enrolment.findUnique({ where: { userId_courseId: { userId, courseId: session.courseId } }, select: { completedAt: true } })
		if (fromClass.length && enrolment?.completedAt) {
			throw new DomainError('workspace:classes.errors.removeCompleted', { status: 409, values: { name: user?.fullName ?? '' } })
		}
		if (check) return
		for (const { lessonId } of fromClass) {
			const quiz = await tx.quizAttempt.findFirst({ where: { userId, lessonId, passed: true }, orderBy: { occurredAt: 'asc' }, select: { occurredAt: true } })
			const others = await tx.classSession.findMany({
				where: { id: { not: session.id }, lessonIds: { has: lessonId }, attendees: { some: { userId } } },
				select: { clientId: true },
			})
			const otherEvents = others.length
				? await tx.clientEvent.findMany({ where: { id: { in: others.map((o) => classEventId(o.clientId, userId, lessonId)) } }, select: { occurredAt: true } })
				: []
			const fallbacks = [
				...(quiz ? [{ at: quiz.occurredAt, source: 'SELF' as const }] : []),
				...otherEvents.map((e) => ({ at: e.occurredAt, source: 'CLASS' as const })),
			].sort((a, b) => a.at.getTime() - b.at.getTime())
			const next = fallbacks[0]
			await tx.lessonProgress.updateMany({
				where: { userId, lessonId },
				data: next
					? { completedAt: next.at, source: next.source, ...(next.source === 'SELF' ? { recordedById: null } : {}) }
					: { completedAt: null, source: 'SELF', recordedById: null },
			})
		}
		// Adding the person back later records them again.
		await tx.clientEvent.deleteMany({ where: { id: { in: session.lessonIds.map((l) => classEventId(session.clientId, userId, l)) } } })
	})
}
