import { DomainError } from '#app/kernel/errors.ts'
import { getCommuneInScope } from '#app/modules/units/units.server.ts'
import { Prisma } from '#app/generated/prisma/client.ts'
import { prisma } from '#app/utils/db.server.ts'
import { foldForSearch } from '#app/kernel/search-fold.ts'
import { containsText } from '#app/utils/input.ts'
import { communesInScope, residentsInScope, type Scope } from '#app/kernel/scope.ts'
import { recordAudit } from '#app/modules/audit/audit.server.ts'
import { getCourseById, getManifest } from '#app/modules/course/course.server.ts'
import { enrolResident } from '#app/modules/progress/progress.server.ts'
import { getIndicators, type Row } from '#app/modules/reporting/indicators.server.ts'
import { previousMonth, vietnamDay } from '#app/kernel/calendar.ts'

/**
 * The commune workspace (issue #5): what staff see and do for the residents of their communes.
 * Figures come from `getIndicators`, the function behind the province dashboard, so the two agree.
 */
export class WorkspaceError extends DomainError {
	constructor(key: string, status = 400) {
		super(key, { status })
	}
}

/** The communes a staff member may pick, as codes; a province officer's are every commune of their provinces. */
export async function communesForStaff(scope: Scope) {
	return prisma.commune.findMany({
		where: communesInScope(scope),
		select: { code: true, provinceCode: true },
		orderBy: { code: 'asc' },
	})
}

export async function requireCommune(scope: Scope, communeCode: string) {
	const commune = await getCommuneInScope(scope, communeCode)
	if (!commune) throw new WorkspaceError('workspace:errors.commune', 404)
	return commune
}

export interface CommuneDashboard {
	thisMonth: Row
	lastMonth: Row
	coreCourseIds: string[]
}

/** This month and last month for one commune, with cumulative figures (from the shared indicators). */
export async function communeDashboard(commune: { code: string; provinceCode: string }, now = new Date()): Promise<CommuneDashboard> {
	const month = vietnamDay(now).slice(0, 7)
	const report = await getIndicators({
		provinceCode: commune.provinceCode,
		communeCodes: [commune.code],
		from: previousMonth(month),
		to: month,
		granularity: 'month',
	})
	return {
		lastMonth: report.rows[0]!,
		thisMonth: report.rows[1]!,
		coreCourseIds: getManifest()
			.courses.filter((c) => c.core)
			.map((c) => c.id),
	}
}

export interface HelpItem {
	userId: string
	fullName: string
	village: string | null
	phone: string | null
	reason: 'stalled' | 'failedQuiz'
	courseId: string
	lessonId?: string
	since: string
	count?: number
}

export const STALLED_DAYS = 14

/**
 * Residents who need help: enrolled in a course they have not finished with no learning activity
 * for 14 days, or who failed the same quiz at least twice without passing it since.
 */
export async function residentsNeedingHelp(communeCode: string, now = new Date(), limit = 50): Promise<HelpItem[]> {
	const cutoff = new Date(now.getTime() - STALLED_DAYS * 86_400_000)
	const stalled = await prisma.$queryRaw<{ userId: string; fullName: string; village: string | null; phone: string | null; courseId: string; last: Date }[]>`
		SELECT e."userId", u."fullName", u."village", u."phone", e."courseId",
		       GREATEST(e."createdAt", MAX(lp."openedAt"), MAX(lp."completedAt")) AS "last"
		FROM "Enrolment" e
		JOIN "User" u ON u."id" = e."userId"
		LEFT JOIN "LessonProgress" lp ON lp."enrolmentId" = e."id"
		WHERE u."communeCode" = ${communeCode} AND e."completedAt" IS NULL AND u."erasedAt" IS NULL
		  AND NOT EXISTS (SELECT 1 FROM "RoleAssignment" r WHERE r."userId" = u."id")
		GROUP BY e."id", e."userId", u."fullName", u."village", u."phone", e."courseId", e."createdAt"
		HAVING GREATEST(e."createdAt", MAX(lp."openedAt"), MAX(lp."completedAt")) < ${cutoff}
		ORDER BY 6 ASC
		LIMIT ${limit}`
	const failed = await prisma.$queryRaw<
		{ userId: string; fullName: string; village: string | null; phone: string | null; lessonId: string; count: number; last: Date }[]
	>`
		SELECT q."userId", u."fullName", u."village", u."phone", q."lessonId", COUNT(*)::int AS "count", MAX(q."occurredAt") AS "last"
		FROM "QuizAttempt" q
		JOIN "User" u ON u."id" = q."userId"
		WHERE u."communeCode" = ${communeCode} AND NOT q."passed" AND u."erasedAt" IS NULL
		  AND NOT EXISTS (SELECT 1 FROM "RoleAssignment" r WHERE r."userId" = u."id")
		  AND NOT EXISTS (SELECT 1 FROM "LessonProgress" lp WHERE lp."userId" = q."userId" AND lp."lessonId" = q."lessonId" AND lp."completedAt" IS NOT NULL)
		GROUP BY q."userId", u."fullName", u."village", u."phone", q."lessonId"
		HAVING COUNT(*) >= 2
		ORDER BY 7 DESC
		LIMIT ${limit}`
	const lessonCourse = new Map(getManifest().courses.flatMap((c) => c.lessons.map((l) => [l.id, c.id] as const)))
	return [
		...failed.map((f) => ({
			userId: f.userId,
			fullName: f.fullName,
			village: f.village,
			phone: f.phone,
			reason: 'failedQuiz' as const,
			courseId: lessonCourse.get(f.lessonId) ?? '',
			lessonId: f.lessonId,
			since: vietnamDay(f.last),
			count: f.count,
		})),
		...stalled.map((s) => ({
			userId: s.userId,
			fullName: s.fullName,
			village: s.village,
			phone: s.phone,
			reason: 'stalled' as const,
			courseId: s.courseId,
			since: vietnamDay(s.last),
		})),
	]
}

/** One person who needs help, once, with every reason (a person stuck in two courses is one call). */
export interface HelpPerson {
	userId: string
	fullName: string
	village: string | null
	phone: string | null
	reasons: Omit<HelpItem, 'userId' | 'fullName' | 'village' | 'phone'>[]
}

/** The help list by person, in the order each person first appears (failed quizzes first, then the longest stalled). */
export function helpByPerson(items: readonly HelpItem[]): HelpPerson[] {
	const people = new Map<string, HelpPerson>()
	for (const { userId, fullName, village, phone, ...reason } of items) {
		const person = people.get(userId) ?? { userId, fullName, village, phone, reasons: [] }
		person.reasons.push(reason)
		people.set(userId, person)
	}
	return [...people.values()]
}

import { type ResidentStatus } from './constants.ts'
export { RESIDENT_STATUSES, type ResidentStatus } from './constants.ts'
export const PAGE_SIZE = 25

export interface ResidentSearch {
	communeCode?: string
	q?: string
	courseId?: string
	status?: ResidentStatus
	village?: string
	learnerGroup?: string
	page?: number
}

function statusWhere(status: ResidentStatus | undefined, courseId: string | undefined): Prisma.UserWhereInput {
	if (!status) return courseId ? { enrolments: { some: { courseId } } } : {}
	if (status === 'not-activated') return { credentialKind: null, ...(courseId ? { enrolments: { some: { courseId } } } : {}) }
	if (courseId) {
		if (status === 'not-enrolled') return { enrolments: { none: { courseId } } }
		if (status === 'learning') return { enrolments: { some: { courseId, completedAt: null } } }
		return { enrolments: { some: { courseId, completedAt: { not: null } } } }
	}
	if (status === 'not-enrolled') return { enrolments: { none: {} } }
	if (status === 'learning') return { enrolments: { some: { completedAt: null } } }
	// Completed, without a course: every core course (basic digital skills).
	const core = getManifest()
		.courses.filter((c) => c.core)
		.map((c) => c.id)
	return { AND: core.map((id) => ({ enrolments: { some: { courseId: id, completedAt: { not: null } } } })) }
}

/** The resident list: scoped, searched, filtered and paginated in the database. */
export async function searchResidents(scope: Scope, search: ResidentSearch) {
	const page = Math.max(1, Math.min(10_000, Math.floor(search.page ?? 1)))
	// Accents and case do not matter: "lo thi mai" finds "Lò Thị Mai" (app/kernel/search-fold.ts).
	const q = containsText(search.q)
	const name = q ? foldForSearch(q) : null
	const village = containsText(search.village)
	const digits = q?.replace(/\D/g, '') ?? ''
	const where: Prisma.UserWhereInput = {
		AND: [
			residentsInScope(scope),
			search.communeCode ? { communeCode: search.communeCode } : {},
			q
				? {
						OR: [
							{ nameFolded: { contains: name! } },
							...(digits.length >= 3 ? [{ phone: { contains: digits.startsWith('84') && digits.length > 9 ? `0${digits.slice(2)}` : digits } }] : []),
						],
					}
				: {},
			village ? { villageFolded: { contains: foldForSearch(village) } } : {},
			search.learnerGroup ? { learnerGroup: search.learnerGroup as never } : {},
			statusWhere(search.status, search.courseId),
		],
	}
	const [total, rows] = await Promise.all([
		prisma.user.count({ where }),
		prisma.user.findMany({
			where,
			orderBy: [{ fullName: 'asc' }, { id: 'asc' }],
			skip: (page - 1) * PAGE_SIZE,
			take: PAGE_SIZE,
			select: {
				id: true,
				fullName: true,
				phone: true,
				village: true,
				communeCode: true,
				learnerGroup: true,
				credentialKind: true,
				enrolments: { select: { courseId: true, completedAt: true, _count: { select: { lessons: { where: { completedAt: { not: null } } } } } } },
			},
		}),
	])
	return { total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), rows }
}

/** Staff enrol a resident of their commune in courses (idempotent; audit-logged once per new enrolment). */
export async function enrolOnBehalf({ scope, staffId, residentId, courseIds }: { scope: Scope; staffId: string; residentId: string; courseIds: string[] }) {
	const resident = await prisma.user.findFirst({
		where: { AND: [{ id: residentId }, residentsInScope(scope)] },
		select: { id: true, communeCode: true, provinceCode: true },
	})
	if (!resident) throw new WorkspaceError('common:errors.status.404', 404)
	const unique = [...new Set(courseIds)]
	if (!unique.length || unique.some((id) => !getCourseById(id))) throw new WorkspaceError('workspace:errors.course')
	const created: string[] = []
	for (const courseId of unique) {
		const result = await enrolResident({ userId: resident.id, courseId, enrolledById: staffId })
		if (result.created) {
			created.push(courseId)
			await recordAudit({
				actorId: staffId,
				action: 'resident.enrol',
				targetUserId: resident.id,
				communeCode: resident.communeCode,
				provinceCode: resident.provinceCode,
				details: { courseId },
			})
		}
	}
	return created
}
