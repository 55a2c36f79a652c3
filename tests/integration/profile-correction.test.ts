import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, test } from 'vitest'
import { ETHNICITY_NOT_STATED } from '#app/kernel/demographics.ts'
import { getCourseById } from '#app/modules/course/course.server.ts'
import { getCertificateForVerification, listCertificatesWithOldName, reissueCertificateName } from '#app/modules/certificate/certificate.server.ts'
import { correctProfile } from '#app/modules/people/profile.server.ts'
import { enrolResident, recordLessonCompletion, recordQuizAttempt } from '#app/modules/progress/progress.server.ts'
import * as myProfile from '#app/routes/me+/profile.tsx'
import * as staffProfile from '#app/routes/staff+/residents.$residentId_.profile.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { completeCourse, rightAnswers } from '#tests/fixtures/learning.ts'
import { resident, sessionCookie, staff } from '#tests/utils/factories.ts'
import { yearlyDrift } from '#tests/utils/load-check.ts'
import { callRoute } from '#tests/utils/route.ts'

/**
 * Corrections (ADR 018): the resident on /me/profile, staff of their commune on request, each in the
 * audit log with before and after; the ethnicity consent follows the field; a move to another
 * commune keeps what was counted where it happened and counts what follows in the new commune, so
 * the rollups still equal a recount of the raw rows; certificates keep their name until reissued.
 */
const form = (fields: Record<string, string>) => ({ body: new URLSearchParams(fields), contentType: 'application/x-www-form-urlencoded' })
const fields = (over: Record<string, string> = {}) => ({
	fullName: 'Lò Thị Sửa',
	birthYear: '1961',
	sex: 'FEMALE',
	ethnicGroup: '03',
	ethnicityConsent: 'on',
	learnerGroup: 'RESIDENT',
	provinceCode: '14',
	communeCode: '03808',
	...over,
})
const audits = (userId: string) => prisma.auditLog.findMany({ where: { targetUserId: userId, action: 'resident.update' }, orderBy: { id: 'asc' } })

/** Passes every lesson of a course the learner is already enrolled in. */
async function finishCourse(userId: string, courseId: string, at?: Date) {
	for (const lesson of getCourseById(courseId)!.lessons) {
		if (lesson.quiz.vi?.length)
			await recordQuizAttempt({ userId, lessonId: lesson.id, clientEventId: randomUUID(), answers: rightAnswers(lesson.quiz.vi), occurredAt: at })
		else await recordLessonCompletion({ userId, lessonId: lesson.id, clientEventId: randomUUID(), occurredAt: at })
	}
}

describe('the resident corrects their own details (/me/profile)', () => {
	test('a correction is saved and audited with before and after; bad input changes nothing', async () => {
		const id = await resident({ fullName: 'Lò Thị Sai', communeCode: '03808' })
		const cookie = await sessionCookie(id)
		const refused = await callRoute(myProfile, 'action', { url: '/me/profile', cookie, ...form(fields({ fullName: 'Lò 2', birthYear: '1850' })) })
		expect(refused.status).toBe(400)
		expect((await prisma.user.findUniqueOrThrow({ where: { id } })).fullName).toBe('Lò Thị Sai')
		expect(await audits(id)).toEqual([])

		const saved = await callRoute(myProfile, 'action', { url: '/me/profile', cookie, ...form(fields({ fullName: 'Lò Thị Sửa', village: 'Bản Nà Lốc' })) })
		expect(saved.location).toBe('/me/profile?saved=1')
		expect(await prisma.user.findUniqueOrThrow({ where: { id }, select: { fullName: true, village: true } })).toEqual({
			fullName: 'Lò Thị Sửa',
			village: 'Bản Nà Lốc',
		})
		const [audit] = await audits(id)
		expect(audit).toMatchObject({
			actorId: id,
			communeCode: '03808',
			details: {
				by: 'self',
				changed: ['fullName', 'village'],
				before: { fullName: 'Lò Thị Sai', village: null },
				after: { fullName: 'Lò Thị Sửa', village: 'Bản Nà Lốc' },
			},
		})
		// Saving the same details again records nothing.
		await callRoute(myProfile, 'action', { url: '/me/profile', cookie, ...form(fields({ fullName: 'Lò Thị Sửa', village: 'Bản Nà Lốc' })) })
		expect(await audits(id)).toHaveLength(1)
	})

	test('"Không muốn trả lời" withdraws the ethnicity consent and clears the group; stating it again gives a new one', async () => {
		const id = await resident({ communeCode: '03808' })
		const cookie = await sessionCookie(id)
		expect((await prisma.consent.findMany({ where: { userId: id, purpose: 'ETHNICITY' } })).map((c) => c.withdrawnAt)).toEqual([null])
		await callRoute(myProfile, 'action', {
			url: '/me/profile',
			cookie,
			...form(fields({ fullName: 'Lò Thị Học', ethnicGroup: ETHNICITY_NOT_STATED, ethnicityConsent: '' })),
		})
		expect((await prisma.user.findUniqueOrThrow({ where: { id } })).ethnicGroup).toBe(ETHNICITY_NOT_STATED)
		const withdrawn = await prisma.consent.findMany({ where: { userId: id, purpose: 'ETHNICITY' } })
		expect(withdrawn).toHaveLength(1)
		expect(withdrawn[0]!.withdrawnAt).toBeInstanceOf(Date)
		const [audit] = await audits(id)
		// The ethnic group is named as changed, never written into the log (sensitive data).
		expect(audit!.details).toEqual({ by: 'self', changed: ['ethnicGroup'], before: {}, after: {}, ethnicityConsent: 'withdrawn' })

		// Unticking the consent box alone withdraws it too: a group is never kept without it.
		await callRoute(myProfile, 'action', { url: '/me/profile', cookie, ...form(fields({ fullName: 'Lò Thị Học', ethnicGroup: '01' })) })
		expect((await prisma.consent.findMany({ where: { userId: id, purpose: 'ETHNICITY', withdrawnAt: null } })).length).toBe(1)
		const refused = await callRoute(myProfile, 'action', {
			url: '/me/profile',
			cookie,
			...form(fields({ fullName: 'Lò Thị Học', ethnicGroup: '01', ethnicityConsent: '' })),
		})
		expect(refused.status).toBe(400)
		expect((await prisma.user.findUniqueOrThrow({ where: { id } })).ethnicGroup).toBe('01')
	})
})

describe('staff correct a resident at their request', () => {
	let staffCookie: string
	let otherCookie: string
	let staffId: string
	beforeAll(async () => {
		staffId = await staff('03646')
		staffCookie = await sessionCookie(staffId)
		otherCookie = await sessionCookie(await staff('03721'))
	})

	test('only with the request confirmed; audited as the staff member; staff of another commune do not find the resident', async () => {
		const id = await resident({ fullName: 'Cầm Văn Nhầm', communeCode: '03646' })
		const call = (cookie: string, over: Record<string, string>) =>
			callRoute(staffProfile, 'action', {
				url: `/staff/residents/${id}/profile`,
				params: { residentId: id },
				cookie,
				...form(fields({ communeCode: '03646', fullName: 'Cầm Văn Đúng', ...over })),
			})
		const unconfirmed = await call(staffCookie, {})
		expect(unconfirmed.status).toBe(400)
		expect((await prisma.user.findUniqueOrThrow({ where: { id } })).fullName).toBe('Cầm Văn Nhầm')
		expect((await call(otherCookie, { requested: 'on' })).status).toBe(404)
		expect((await prisma.user.findUniqueOrThrow({ where: { id } })).fullName).toBe('Cầm Văn Nhầm')

		const saved = await call(staffCookie, { requested: 'on' })
		expect(saved.location).toBe(`/staff/residents/${id}?corrected=1`)
		const [audit] = await audits(id)
		expect(audit).toMatchObject({
			actorId: staffId,
			communeCode: '03646',
			details: { by: 'staff', before: { fullName: 'Cầm Văn Nhầm' }, after: { fullName: 'Cầm Văn Đúng' } },
		})
	})

	test('moving the resident to another commune takes them out of this workspace', async () => {
		const id = await resident({ communeCode: '03646' })
		const moved = await callRoute(staffProfile, 'action', {
			url: `/staff/residents/${id}/profile`,
			params: { residentId: id },
			cookie: staffCookie,
			...form(fields({ communeCode: '03721', fullName: 'Lò Thị Học', requested: 'on' })),
		})
		expect(moved.location).toBe('/staff/residents?moved=1')
		expect(await prisma.user.findUniqueOrThrow({ where: { id }, select: { communeCode: true, registeredCommuneCode: true } })).toEqual({
			communeCode: '03721',
			registeredCommuneCode: '03646',
		})
		expect((await callRoute(staffProfile, 'loader', { url: `/staff/residents/${id}/profile`, params: { residentId: id }, cookie: staffCookie })).status).toBe(
			404,
		)
		expect((await callRoute(staffProfile, 'loader', { url: `/staff/residents/${id}/profile`, params: { residentId: id }, cookie: otherCookie })).status).toBe(
			200,
		)
	})
})

describe('a move to another commune (docs/indicators.md)', () => {
	test('what happened stays where it happened, what follows counts in the new commune, and the rollups equal a recount', async () => {
		// Two communes of Lai Châu no other test writes to.
		const [a, b] = (await prisma.commune.findMany({ where: { provinceCode: '12' }, orderBy: { code: 'desc' }, take: 2, select: { code: true } })).map(
			(c) => c.code,
		)
		expect(await yearlyDrift(prisma, [a!, b!])).toEqual([])
		const id = await resident({ fullName: 'Giàng Thị Chuyển', provinceCode: '12', communeCode: a!, at: new Date('2025-03-10T03:00:00Z') })
		const before = new Date('2025-05-01T03:00:00Z')
		await completeCourse(id, 'smartphone', before)
		await completeCourse(id, 'public-services', before)
		await enrolResident({ userId: id, courseId: 'scam-safety', at: before })

		await correctProfile({
			userId: id,
			profile: {
				fullName: 'Giàng Thị Chuyển',
				birthYear: 1961,
				sex: 'FEMALE',
				ethnicGroup: '08',
				ethnicityConsent: true,
				learnerGroup: 'RESIDENT',
				provinceCode: '12',
				communeCode: b!,
			},
			by: { kind: 'self' },
		})
		// After the move: a course enrolled before it is finished (counted where it was enrolled), a new
		// one is enrolled and finished (the new commune), and basic skills are reached (the new commune).
		await finishCourse(id, 'scam-safety')
		await completeCourse(id, 'vneid')

		expect(await yearlyDrift(prisma, [a!, b!])).toEqual([])
		const year = String(new Date(Date.now() + 7 * 3_600_000).getUTCFullYear())
		const figures = async (communeCode: string, period: string) =>
			(
				await prisma.periodStat.aggregate({
					where: { communeCode, period },
					_sum: { registered: true, enrolments: true, completions: true, certificates: true, basicSkills: true, active: true },
				})
			)._sum
		expect(await figures(a!, '2025')).toEqual({ registered: 1, enrolments: 3, completions: 2, certificates: 2, basicSkills: 0, active: 1 })
		expect(await figures(a!, year)).toEqual({ registered: 0, enrolments: 0, completions: 1, certificates: 1, basicSkills: 0, active: 0 })
		expect(await figures(b!, year)).toEqual({ registered: 0, enrolments: 1, completions: 1, certificates: 1, basicSkills: 1, active: 1 })
	})
})

describe('certificates keep their name until the holder asks for a reissue', () => {
	test('a name correction leaves the certificate as issued; the reissue carries the current name, once, and only for its holder', async () => {
		const id = await resident({ fullName: 'Lò Thị Tên Cũ', communeCode: '03808' })
		const other = await resident({ communeCode: '03808' })
		const { certificateCode } = await completeCourse(id, 'smartphone')
		const code = certificateCode!
		await correctProfile({
			userId: id,
			profile: {
				fullName: 'Lò Thị Tên Mới',
				birthYear: 1961,
				sex: 'FEMALE',
				ethnicGroup: '03',
				ethnicityConsent: true,
				learnerGroup: 'RESIDENT',
				provinceCode: '14',
				communeCode: '03808',
			},
			by: { kind: 'self' },
		})
		expect((await getCertificateForVerification(code))!.recipientName).toBe('Lò Thị Tên Cũ')
		expect(await listCertificatesWithOldName(id)).toEqual([expect.objectContaining({ code, recipientName: 'Lò Thị Tên Cũ', currentName: 'Lò Thị Tên Mới' })])

		expect(await reissueCertificateName({ userId: other, code })).toBe(false)
		const cookie = await sessionCookie(id)
		const reissued = await callRoute(myProfile, 'action', { url: '/me/profile', cookie, ...form({ intent: 'reissue', code }) })
		expect(reissued.location).toBe('/me/profile?reissued=1')
		expect((await getCertificateForVerification(code))!.recipientName).toBe('Lò Thị Tên Mới')
		expect(await listCertificatesWithOldName(id)).toEqual([])
		expect(await reissueCertificateName({ userId: id, code })).toBe(false)
		expect(await prisma.auditLog.count({ where: { targetUserId: id, action: 'certificate.reissue' } })).toBe(1)
	})
})
