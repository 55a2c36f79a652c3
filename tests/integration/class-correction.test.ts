import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, test } from 'vitest'
import { periodsOf, vietnamDay } from '#app/kernel/calendar.ts'
import { getCourseById } from '#app/modules/course/course.server.ts'
import { correctClassSession, recordClassSession } from '#app/features/workspace/classes.server.ts'
import * as classRoute from '#app/routes/staff+/classes.$classId.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { resident, sessionCookie, staff } from '#tests/utils/factories.ts'
import { yearlyDrift } from '#tests/utils/load-check.ts'
import { callRoute } from '#tests/utils/route.ts'

/**
 * Correcting a saved class (issue #20 item 13, ADR 031): date, place, notes and attendees,
 * audited before/after, and the completions "in class" and every figure that follows recounted:
 * never a completion twice, never one lost.
 */
const C = '03808' // Xã Mường La
const scope = { admin: false, provinceCodes: [], communeCodes: [C] }
let staffId = ''
let cookie = ''
beforeAll(async () => {
	staffId = await staff(C)
	cookie = await sessionCookie(staffId)
})
const person = (fullName: string) => resident({ fullName, communeCode: C, birthYear: 1960, sex: 'FEMALE' })
const day = (offset: number) => vietnamDay(new Date(Date.now() + offset * 86_400_000))

async function figures(courseId: string, period: string) {
	const row = await prisma.periodStat.findFirst({
		where: { communeCode: C, period, courseId },
		select: { enrolments: true, completions: true, certificates: true },
	})
	return row ?? { enrolments: 0, completions: 0, certificates: 0 }
}
const completedAt = async (userId: string, lessonId: string) =>
	(await prisma.lessonProgress.findUnique({ where: { userId_lessonId: { userId, lessonId } } }))?.completedAt ?? null

describe('correcting a class', () => {
	test('place, notes, an earlier date, one removed and one added: completions move, withdraw and appear exactly once', async () => {
		const course = getCourseById('scam-safety')!
		const lesson = course.lessons[0]!.id
		const [a, b, c] = [await person('Lò Thị Sửa'), await person('Lò Thị Bỏ'), await person('Lò Thị Thêm')]
		const { classId } = await recordClassSession({
			scope,
			staffId,
			input: { clientId: randomUUID(), communeCode: C, courseId: course.id, heldOn: day(0), place: 'Nhà văn hoá', lessonIds: [lesson], attendeeIds: [a, b] },
		})
		expect(await completedAt(b, lesson)).not.toBeNull()
		const result = await correctClassSession({
			scope,
			staffId,
			classId,
			input: { heldOn: day(-3), place: 'Nhà văn hoá bản Mé', notes: 'Cô Hoa dạy', attendeeIds: [a, c] },
		})
		expect(result).toMatchObject({ added: 1, removed: 1 })
		const noon = new Date(`${day(-3)}T12:00:00+07:00`)
		// Moved to the corrected day, for the one who stayed and the one added; withdrawn for the one removed.
		expect(await completedAt(a, lesson)).toEqual(noon)
		expect(await completedAt(c, lesson)).toEqual(noon)
		expect(await completedAt(b, lesson)).toBeNull()
		expect(await prisma.lessonProgress.count({ where: { userId: { in: [a, b, c] }, lessonId: lesson } })).toBe(3)
		const saved = await prisma.classSession.findUniqueOrThrow({ where: { id: classId }, include: { attendees: true } })
		expect(saved).toMatchObject({ place: 'Nhà văn hoá bản Mé', notes: 'Cô Hoa dạy' })
		expect(saved.heldOn.toISOString().slice(0, 10)).toBe(day(-3))
		expect(saved.attendees.map((x) => x.userId).sort()).toEqual([a, c].sort())
		expect(await prisma.auditLog.findFirst({ where: { action: 'class.correct', actorId: staffId }, orderBy: { id: 'desc' } })).toMatchObject({
			communeCode: C,
			details: {
				classId,
				before: { heldOn: day(0), place: 'Nhà văn hoá', notes: '', attendees: 2 },
				after: { heldOn: day(-3), place: 'Nhà văn hoá bản Mé', notes: 'Cô Hoa dạy', attendees: 2 },
				added: [c],
				removed: [b],
			},
		})
		// Added back: recorded again, once.
		await correctClassSession({ scope, staffId, classId, input: { heldOn: day(-3), place: 'Nhà văn hoá bản Mé', notes: '', attendeeIds: [a, b, c] } })
		expect(await completedAt(b, lesson)).not.toBeNull()
		expect(await prisma.lessonProgress.count({ where: { userId: b, lessonId: lesson } })).toBe(1)
		expect(await yearlyDrift(prisma, [C])).toEqual([])
	})

	test('a class that completed a course: the completion moves to the earlier corrected month (−1, +1); its attendee cannot be removed', async () => {
		const course = getCourseById('smartphone')!
		const d = await person('Lò Thị Chứng')
		const { classId } = await recordClassSession({
			scope,
			staffId,
			input: {
				clientId: randomUUID(),
				communeCode: C,
				courseId: course.id,
				heldOn: day(0),
				place: 'Trường',
				lessonIds: course.lessons.map((l) => l.id),
				attendeeIds: [d],
			},
		})
		const thisMonth = periodsOf(new Date())[0]!
		// 40 days back is always another month.
		const earlier = day(-40)
		const earlierMonth = periodsOf(new Date(`${earlier}T12:00:00+07:00`))[0]!
		const before = { now: await figures(course.id, thisMonth), past: await figures(course.id, earlierMonth) }
		expect(await prisma.enrolment.findFirst({ where: { userId: d, courseId: course.id } })).toMatchObject({ completedAt: expect.any(Date) })

		await expect(
			correctClassSession({ scope, staffId, classId, input: { heldOn: day(0), place: 'Trường', attendeeIds: [await person('Ai Đó')] } }),
		).rejects.toMatchObject({
			key: 'workspace:classes.errors.removeCompleted',
			values: { name: 'Lò Thị Chứng' },
		})
		expect((await prisma.classSession.findUniqueOrThrow({ where: { id: classId }, include: { attendees: true } })).attendees).toHaveLength(1)

		await correctClassSession({ scope, staffId, classId, input: { heldOn: earlier, place: 'Trường', attendeeIds: [d] } })
		const after = { now: await figures(course.id, thisMonth), past: await figures(course.id, earlierMonth) }
		expect(after.now.completions).toBe(before.now.completions - 1)
		expect(after.past.completions).toBe(before.past.completions + 1)
		expect(after.now.enrolments).toBe(before.now.enrolments - 1)
		expect(after.past.enrolments).toBe(before.past.enrolments + 1)
		// A certificate keeps the day it was issued (docs/indicators.md): it does not move, nor is it issued twice.
		expect(after.now.certificates).toBe(before.now.certificates)
		expect(await prisma.certificate.count({ where: { userId: d } })).toBe(1)
		// Moving it later again is refused: the course counts on the earlier day because of this class.
		await expect(correctClassSession({ scope, staffId, classId, input: { heldOn: day(0), place: 'Trường', attendeeIds: [d] } })).rejects.toMatchObject({
			key: 'workspace:classes.errors.laterDate',
		})
		expect(await yearlyDrift(prisma, [C])).toEqual([])
	})

	test('through the page: bad input gets a localised message and changes nothing', async () => {
		const course = getCourseById('scam-safety')!
		const e = await person('Lò Thị Trang')
		const { classId } = await recordClassSession({
			scope,
			staffId,
			input: {
				clientId: randomUUID(),
				communeCode: C,
				courseId: course.id,
				heldOn: day(0),
				place: 'Nhà văn hoá',
				lessonIds: [course.lessons[0]!.id],
				attendeeIds: [e],
			},
		})
		const post = (fields: [string, string][]) => {
			const body = new FormData()
			for (const [k, v] of fields) body.append(k, v)
			return callRoute(classRoute, 'action', { url: `/staff/classes/${classId}?edit=1`, params: { classId }, cookie, body })
		}
		expect(
			await post([
				['intent', 'correct'],
				['heldOn', day(1)],
				['place', 'Nhà văn hoá'],
				['attendeeId', e],
			]),
		).toMatchObject({
			status: 400,
			body: { errors: [{ key: 'workspace:classes.errors.future' }] },
		})
		expect(
			await post([
				['intent', 'correct'],
				['heldOn', day(0)],
				['place', 'x'],
				['attendeeId', e],
			]),
		).toMatchObject({ status: 400 })
		expect(await prisma.classSession.findUniqueOrThrow({ where: { id: classId } })).toMatchObject({ place: 'Nhà văn hoá' })
		const ok = await post([
			['intent', 'correct'],
			['heldOn', day(0)],
			['place', 'Nhà văn hoá mới'],
			['notes', 'Mang sạc'],
			['attendeeId', e],
		])
		expect(ok.status).toBe(302)
		expect(await prisma.classSession.findUniqueOrThrow({ where: { id: classId } })).toMatchObject({ place: 'Nhà văn hoá mới', notes: 'Mang sạc' })
	})
})
