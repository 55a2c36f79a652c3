import { createHash } from 'node:crypto'
import { z } from 'zod'
import { prisma } from '#app/utils/db.server.ts'
import { isUniqueViolation } from '#app/utils/db-errors.ts'
import { foldForSearch } from '#app/kernel/search-fold.ts'
import { containsText, freeText } from '#app/utils/input.ts'
import { residentsInScope, type Scope } from '#app/kernel/scope.ts'
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
		if (heldOn.getTime() > now.getTime() + 86_400_000) throw new WorkspaceError('workspace:classes.errors.future')
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
	const occurredAt = new Date(`${session.heldOn.toISOString().slice(0, 10)}T12:00:00+07:00`)
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
