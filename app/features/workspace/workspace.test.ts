import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, test } from 'vitest'
import { getCourseById } from '#app/modules/course/course.server.ts'
import { exportResidents } from '#app/modules/people/residents-export.server.ts'
import { grantRole } from '#app/modules/people/staff.server.ts'
import { getFixedT } from '#app/utils/i18n.server.ts'
import { enrolResident, getMyLearning, recordQuizAttempt } from '#app/modules/progress/progress.server.ts'
import { getIndicators } from '#app/modules/reporting/indicators.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { completeCourse } from '#tests/fixtures/learning.ts'
import { resident, sessionCookie, staff as staffMember } from '#tests/utils/factories.ts'
import { callRoute } from '#tests/utils/route.ts'
import * as newClassRoute from '#app/routes/staff+/classes.new.tsx'
import { vietnamDay } from '#app/kernel/calendar.ts'
import { recordClassSession } from './classes.server.ts'
import { communeDashboard, enrolOnBehalf, helpByPerson, residentsNeedingHelp, searchResidents, WorkspaceError } from './workspace.server.ts'

// Province 19 and its first two communes belong to this file only.
const PROVINCE = '19'
let C = ''
let OTHER = ''
const staff = () => ({ admin: false, provinceCodes: [], communeCodes: [C] })
const learner = (communeCode: string, fullName = 'Hà Thị Mai', village = 'Bản Nà Sản', at?: Date) =>
	resident({ fullName, birthYear: 1970, provinceCode: PROVINCE, communeCode, village, at })

beforeAll(async () => {
	const communes = await prisma.commune.findMany({ where: { provinceCode: PROVINCE }, orderBy: { code: 'asc' }, take: 2 })
	C = communes[0]!.code
	OTHER = communes[1]!.code
})

const wrong = (quiz: { id: string; options: { id: string; correct?: boolean }[] }[]) =>
	Object.fromEntries(quiz.map((q) => [q.id, q.options.find((o) => !o.correct)!.id]))

describe('commune workspace', () => {
	test("the learner's page, the commune dashboard and the province indicators read the same record", async () => {
		const a = await learner(C)
		const b = await learner(C)
		await completeCourse(a, 'smartphone')
		await enrolResident({ userId: b, courseId: 'vneid' })
		const mine = await getMyLearning(a)
		expect(mine.find((c) => c.courseId === 'smartphone')?.completedAt).toBeTruthy()
		const dash = await communeDashboard({ code: C, provinceCode: PROVINCE })
		const month = dash.thisMonth.period
		const province = await getIndicators({ provinceCode: PROVINCE, from: month, to: month, granularity: 'month' })
		const row = province.rows.find((r) => r.communeCode === C)!
		expect(dash.thisMonth.cumulative).toEqual(row.cumulative)
		expect(dash.thisMonth.figures).toEqual(row.figures)
		// And both equal the raw tables.
		expect(row.cumulative.registered).toBe(await prisma.user.count({ where: { communeCode: C } }))
		expect(row.cumulative.enrolments).toBe(await prisma.enrolment.count({ where: { communeCode: C } }))
		expect(row.cumulative.completionsByCourse.smartphone).toBe(
			await prisma.enrolment.count({ where: { communeCode: C, courseId: 'smartphone', completedAt: { not: null } } }),
		)
		expect(row.cumulative.certificates).toBe(await prisma.certificate.count({ where: { communeCode: C } }))
	})

	test('needs help: no progress for 14 days, or the same quiz failed twice', async () => {
		const old = new Date(Date.now() - 20 * 86_400_000)
		const stalled = await learner(C, 'Lò Văn Chậm', 'Bản Mòng', old)
		await enrolResident({ userId: stalled, courseId: 'scam-safety', at: old })
		const struggling = await learner(C, 'Quàng Thị Khó')
		await enrolResident({ userId: struggling, courseId: 'vneid' })
		const lesson = getCourseById('vneid')!.lessons.find((l) => l.quiz.vi?.length)!
		for (let i = 0; i < 2; i++)
			await recordQuizAttempt({ userId: struggling, lessonId: lesson.id, clientEventId: randomUUID(), answers: wrong(lesson.quiz.vi!) })
		const fresh = await learner(C, 'Cầm Văn Mới')
		await enrolResident({ userId: fresh, courseId: 'vneid' })
		const help = await residentsNeedingHelp(C)
		expect(help.find((h) => h.userId === stalled)).toMatchObject({ reason: 'stalled', courseId: 'scam-safety' })
		expect(help.find((h) => h.userId === struggling)).toMatchObject({ reason: 'failedQuiz', courseId: 'vneid', count: 2 })
		expect(help.find((h) => h.userId === fresh)).toBeUndefined()
	})

	test('the help list names each person once, with every reason, and the commune staff get their number to call', async () => {
		const old = new Date(Date.now() - 20 * 86_400_000)
		const twice = await learner(C, 'Lường Văn Hai Lý Do', 'Bản Mòng', old)
		await enrolResident({ userId: twice, courseId: 'scam-safety', at: old })
		await enrolResident({ userId: twice, courseId: 'vneid' })
		const lesson = getCourseById('vneid')!.lessons.find((l) => l.quiz.vi?.length)!
		for (let i = 0; i < 2; i++) await recordQuizAttempt({ userId: twice, lessonId: lesson.id, clientEventId: randomUUID(), answers: wrong(lesson.quiz.vi!) })
		const people = helpByPerson(await residentsNeedingHelp(C))
		const person = people.filter((p) => p.userId === twice)
		expect(person).toHaveLength(1)
		expect(person[0]!.reasons.map((r) => r.reason).sort()).toEqual(['failedQuiz', 'stalled'])
		expect(person[0]!.phone).toMatch(/^0\d{9}$/)
		expect(new Set(people.map((p) => p.userId)).size).toBe(people.length)
	})

	test("people who hold a role are nobody's resident: not in needs help, the list, the export, classes or enrolment on behalf", async () => {
		const old = new Date(Date.now() - 20 * 86_400_000)
		const official = await learner(C, 'Cán Bộ Đã Trượt', 'Bản Mòng', old)
		await enrolResident({ userId: official, courseId: 'scam-safety', at: old })
		await enrolResident({ userId: official, courseId: 'vneid' })
		const lesson = getCourseById('vneid')!.lessons.find((l) => l.quiz.vi?.length)!
		for (let i = 0; i < 2; i++) await recordQuizAttempt({ userId: official, lessonId: lesson.id, clientEventId: randomUUID(), answers: wrong(lesson.quiz.vi!) })
		expect((await residentsNeedingHelp(C)).filter((h) => h.userId === official)).toHaveLength(2)
		await grantRole({ userId: official, role: 'ADMIN', grantedById: null })
		expect((await residentsNeedingHelp(C)).filter((h) => h.userId === official)).toEqual([])
		expect((await searchResidents(staff(), { q: 'Cán Bộ Đã Trượt' })).total).toBe(0)
		await expect(enrolOnBehalf({ scope: staff(), staffId: 'staff-1', residentId: official, courseIds: ['public-services'] })).rejects.toBeInstanceOf(
			WorkspaceError,
		)
		const t = await getFixedT('vi')
		const file = await exportResidents({ scope: staff(), actorId: 'staff-1', communeCode: C, format: 'csv', lng: 'vi', t })
		expect(String((file as { body: string }).body)).not.toContain('Cán Bộ Đã Trượt')
		await expect(
			recordClassSession({
				scope: staff(),
				staffId: 'staff-1',
				input: {
					clientId: randomUUID(),
					communeCode: C,
					courseId: 'vneid',
					heldOn: '2026-01-05',
					place: 'Nhà văn hoá',
					lessonIds: [lesson.id],
					attendeeIds: [official],
				},
			}),
		).rejects.toBeInstanceOf(WorkspaceError)
	})

	test('resident list: search by name or phone, filter by course, status and village, paginated', async () => {
		const id = await learner(C, 'Điêu Chính Tìm', 'Bản Tìm Thấy')
		await enrolOnBehalf({ scope: staff(), staffId: 'staff-1', residentId: id, courseIds: ['public-services'] })
		const byName = await searchResidents(staff(), { q: 'chính tìm' })
		expect(byName.rows.map((r) => r.id)).toEqual([id])
		const phone = (await prisma.user.findUniqueOrThrow({ where: { id } })).phone!
		expect((await searchResidents(staff(), { q: `+84 ${phone.slice(1)}` })).rows.map((r) => r.id)).toEqual([id])
		expect((await searchResidents(staff(), { courseId: 'public-services', status: 'learning', village: 'tìm thấy' })).rows.map((r) => r.id)).toEqual([id])
		expect((await searchResidents(staff(), { courseId: 'public-services', status: 'completed' })).rows).toHaveLength(0)
		for (let i = 0; i < 26; i++) await learner(C, `Người Xếp Trang ${String(i).padStart(2, '0')}`, 'Bản Trang')
		const p1 = await searchResidents(staff(), { village: 'Bản Trang' })
		const p2 = await searchResidents(staff(), { village: 'Bản Trang', page: 2 })
		expect([p1.total, p1.pages, p1.rows.length, p2.rows.length]).toEqual([26, 2, 25, 1])
		// Staff of another commune see none of them.
		const other = { admin: false, provinceCodes: [], communeCodes: [OTHER] }
		expect((await searchResidents(other, { q: 'chính tìm' })).total).toBe(0)
		await expect(enrolOnBehalf({ scope: other, staffId: 'x', residentId: id, courseIds: ['vneid'] })).rejects.toThrow(WorkspaceError)
	})

	test('staff enrolment is recorded with who enrolled, once', async () => {
		const id = await learner(C)
		expect(await enrolOnBehalf({ scope: staff(), staffId: 'staff-9', residentId: id, courseIds: ['vneid', 'vneid', 'smartphone'] })).toEqual([
			'vneid',
			'smartphone',
		])
		expect(await enrolOnBehalf({ scope: staff(), staffId: 'staff-9', residentId: id, courseIds: ['vneid'] })).toEqual([])
		const rows = await prisma.enrolment.findMany({ where: { userId: id } })
		expect(rows).toHaveLength(2)
		expect(rows.every((r) => r.enrolledById === 'staff-9' && r.communeCode === C)).toBe(true)
		await expect(enrolOnBehalf({ scope: staff(), staffId: 'x', residentId: id, courseIds: ['no-such-course'] })).rejects.toThrow('workspace:errors.course')
	})

	test('a class for three residents records completions in class once, even submitted twice at the same time', async () => {
		const people = [await learner(C), await learner(C), await learner(C)]
		const course = getCourseById('smartphone')!
		const input = {
			clientId: randomUUID(),
			communeCode: C,
			courseId: 'smartphone',
			heldOn: new Date().toISOString().slice(0, 10),
			place: 'Nhà văn hoá bản',
			lessonIds: course.lessons.slice(0, 2).map((l) => l.id),
			attendeeIds: people,
		}
		const [r1, r2] = await Promise.all([
			recordClassSession({ scope: staff(), staffId: 'staff-1', input }),
			recordClassSession({ scope: staff(), staffId: 'staff-1', input }),
		])
		expect(r1.classId).toBe(r2.classId)
		await recordClassSession({ scope: staff(), staffId: 'staff-1', input })
		expect(await prisma.classSession.count({ where: { clientId: input.clientId } })).toBe(1)
		const progress = await prisma.lessonProgress.findMany({ where: { userId: { in: people } } })
		expect(progress).toHaveLength(6)
		expect(progress.every((p) => p.source === 'CLASS' && p.recordedById === 'staff-1' && p.completedAt)).toBe(true)
		expect(await prisma.enrolment.count({ where: { userId: { in: people }, courseId: 'smartphone' } })).toBe(3)
		// Someone from another commune cannot be ticked, and nothing is recorded.
		const outsider = await learner(OTHER)
		await expect(
			recordClassSession({ scope: staff(), staffId: 'staff-1', input: { ...input, clientId: randomUUID(), attendeeIds: [outsider] } }),
		).rejects.toThrow(WorkspaceError)
		expect(await prisma.lessonProgress.count({ where: { userId: outsider } })).toBe(0)
	})
})

describe('class dates (issue #17)', () => {
	const input = (attendeeIds: string[], heldOn: string) => ({
		clientId: randomUUID(),
		communeCode: C,
		courseId: 'scam-safety',
		heldOn,
		place: 'Nhà văn hoá bản',
		lessonIds: [getCourseById('scam-safety')!.lessons[0]!.id],
		attendeeIds,
	})

	test('a class is not dated after today in Vietnam, whatever the server time: tomorrow is refused and nothing is stored', async () => {
		const a = await learner(C)
		// 17:00 on 1 April in Vietnam (10:00 UTC): 2 April is tomorrow.
		const tomorrow = input([a], '2026-04-02')
		await expect(recordClassSession({ scope: staff(), staffId: 'staff-1', input: tomorrow, now: new Date('2026-04-01T10:00:00Z') })).rejects.toThrow(
			'workspace:classes.errors.future',
		)
		// 20:00 UTC on 31 March is already 1 April in Vietnam.
		const now = new Date('2026-03-31T20:00:00Z')
		expect(await prisma.classSession.count({ where: { clientId: tomorrow.clientId } })).toBe(0)
		expect(await prisma.enrolment.count({ where: { userId: a } })).toBe(0)
		// Today in Vietnam is accepted; recorded at that moment, not at a noon still to come.
		await recordClassSession({ scope: staff(), staffId: 'staff-1', input: input([a], '2026-04-01'), now })
		const enrolment = await prisma.enrolment.findFirstOrThrow({ where: { userId: a }, include: { lessons: true } })
		expect(enrolment.createdAt).toEqual(now)
		expect(enrolment.lessons[0]!.completedAt).toEqual(now)
	})

	test('enrolments from a class are dated by the class, never after its completions, also for a resident who enrolled online since', async () => {
		const [a, b] = [await learner(C), await learner(C)]
		await enrolResident({ userId: b, courseId: 'scam-safety' })
		const day = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10)
		await recordClassSession({ scope: staff(), staffId: 'staff-1', input: input([a, b], day) })
		const classTime = new Date(`${day}T12:00:00+07:00`)
		for (const userId of [a, b]) {
			const enrolment = await prisma.enrolment.findFirstOrThrow({ where: { userId, courseId: 'scam-safety' }, include: { lessons: true } })
			expect(enrolment.createdAt).toEqual(classTime)
			expect(enrolment.lessons.every((l) => l.completedAt! >= enrolment.createdAt)).toBe(true)
		}
	})

	test('the class form refuses a date after today with the localised message, in both languages', async () => {
		const a = await learner(C)
		const cookie = await sessionCookie(await staffMember(C, { provinceCode: PROVINCE }))
		const tomorrow = vietnamDay(new Date(Date.now() + 86_400_000))
		const body = new URLSearchParams({ clientId: randomUUID(), communeCode: C, courseId: 'scam-safety', heldOn: tomorrow, place: 'Nhà văn hoá bản' })
		body.append('lessonId', getCourseById('scam-safety')!.lessons[0]!.id)
		body.append('attendeeId', a)
		const refused = await callRoute(newClassRoute, 'action', {
			url: `/staff/classes/new?commune=${C}&course=scam-safety`,
			cookie,
			body,
			contentType: 'application/x-www-form-urlencoded',
		})
		expect(refused.status).toBe(400)
		expect(refused.body).toMatchObject({ errors: ['workspace:classes.errors.future'] })
		expect(await prisma.enrolment.count({ where: { userId: a } })).toBe(0)
		expect((await getFixedT('vi'))('workspace:classes.errors.future')).toBe('Ngày học không thể sau hôm nay: chọn hôm nay hoặc một ngày đã qua.')
		expect((await getFixedT('en'))('workspace:classes.errors.future')).toBe('The class cannot be dated after today: choose today or an earlier day.')
	})
})
