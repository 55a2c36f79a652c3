import { type Profile } from '#app/modules/people/people.schema.ts'
import { ETHNICITY_NOT_STATED } from '#app/kernel/demographics.ts'
import { registerResident } from '#app/modules/people/people.server.ts'
import { grantRole } from '#app/modules/people/staff.server.ts'
import { acceptNotice } from '#app/modules/people/consent.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { hashSecret } from '#app/utils/password.server.ts'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { getManifest } from '#app/modules/course/course.server.ts'
import { rightAnswers } from '#app/modules/course/quiz-answers.server.ts'
import { enrolResident, recordLessonCompletion, recordQuizAttempt } from '#app/modules/progress/progress.server.ts'
import { DEMO_LOGINS, DEMO_THUAN_CHAU_RESIDENT, demoResidentPhone } from './demo-logins.ts'

/**
 * The Sơn La demo: the documented logins (./demo-logins.ts), 300 generated residents with varied
 * progress, and denominators, all written through the domain functions. Run by ./index.ts.
 */
export { DEMO_LOGINS }

const DEMO_COMMUNES = ['03646', '03721', '03808', '03820', '03664'] as const

// Deterministic so that every fresh demo looks the same.
function rng(seed: number) {
	return () => {
		seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
		return seed / 2_147_483_648
	}
}

const FAMILY = {
	'03': ['Lò', 'Cầm', 'Quàng', 'Lường', 'Hà', 'Vì', 'Tòng'],
	'01': ['Nguyễn', 'Trần', 'Lê', 'Phạm'],
	'08': ['Giàng', 'Sồng', 'Mùa', 'Thào'],
	'06': ['Đinh', 'Bùi', 'Quách'],
} as const
const MALE = ['Văn Minh', 'Văn Thắng', 'Văn Ún', 'Văn Pánh', 'A Dua', 'A Chứ', 'Văn Hùng', 'Văn Xôm', 'Văn Khiêm']
const FEMALE = ['Thị Xuân', 'Thị Ơn', 'Thị Bun', 'Thị Pảng', 'Thị Mai', 'Thị Hoa', 'Thị Dung', 'Thị Lả']
const VILLAGES = ['Bản Hụm', 'Bản Mòng', 'Bản Nà Ngùa', 'Bản Co Phường', 'Tổ 3', 'Bản Pá Khoang', 'Bản Huổi Hin']

export async function seedDemo({ residents = 300 } = {}) {
	const random = rng(14)
	const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!

	const staffAccounts = [
		['admin', 'Quản trị hệ thống', DEMO_LOGINS.admin.password, [{ role: 'ADMIN' as const }]],
		['provinceOfficer', 'Cầm Thị Hương', DEMO_LOGINS.provinceOfficer.password, [{ role: 'PROVINCE_OFFICER' as const, provinceCode: '14' }]],
		['otherProvinceOfficer', 'Lò Văn Tiến', DEMO_LOGINS.otherProvinceOfficer.password, [{ role: 'PROVINCE_OFFICER' as const, provinceCode: '12' }]],
		['staffToHieu', 'Lường Văn Quân', DEMO_LOGINS.staffToHieu.password, [{ role: 'COMMUNE_STAFF' as const, communeCode: '03646' }]],
		['staffThuanChau', 'Quàng Thị Lan', DEMO_LOGINS.staffThuanChau.password, [{ role: 'COMMUNE_STAFF' as const, communeCode: '03721' }]],
		[
			'staffMuongLa',
			'Hà Văn Sơn',
			DEMO_LOGINS.staffMuongLa.password,
			[
				{ role: 'COMMUNE_STAFF' as const, communeCode: '03808' },
				{ role: 'COMMUNE_STAFF' as const, communeCode: '03820' },
			],
		],
	] as const
	const staffIds: Record<string, string> = {}
	const staffHash = new Map<string, string>()
	for (const [key, fullName, password, roles] of staffAccounts) {
		const login = DEMO_LOGINS[key]
		if (!staffHash.has(password)) staffHash.set(password, await hashSecret(password))
		const home = 'communeCodes' in login ? login.communeCodes[0] : key === 'otherProvinceOfficer' ? '03388' : '03646'
		const user = await registerResident({
			phone: login.phone,
			profile: {
				fullName,
				birthYear: 1985,
				sex: fullName.includes('Thị') ? 'FEMALE' : 'MALE',
				ethnicGroup: '03',
				ethnicityConsent: true,
				learnerGroup: 'OFFICIAL',
				provinceCode: key === 'otherProvinceOfficer' ? '12' : '14',
				communeCode: home,
			},
			passwordHash: { kind: 'PASSWORD', hash: staffHash.get(password)! },
			via: 'SEED',
		})
		staffIds[key] = user.id
		for (const role of roles) await grantRole({ userId: user.id, ...role, grantedById: null })
		// Demo staff have read the staff notice (ADR 028), as demo residents agreed to theirs.
		await acceptNotice({ userId: user.id, kind: 'staff', channel: 'SEED' })
	}

	const pinHash = await hashSecret(DEMO_LOGINS.resident.pin)
	const learners: { id: string; registeredAt: Date; staffId?: string }[] = []
	const now = Date.now()
	let created = 0
	for (let i = 0; i < residents; i++) {
		// The random draw stays in sequence so the rest of the demo data is unchanged; resident 1 lives in
		// Xã Thuận Châu, where the import test expects one "already registered" phone (an import shows
		// only its own commune's residents as registered: SECURITY.md, import preview).
		const drawn = pick(DEMO_COMMUNES)
		const communeCode = i === 0 ? DEMO_LOGINS.resident.communeCode : i === 1 ? DEMO_THUAN_CHAU_RESIDENT.communeCode : drawn
		const ethnic = random() < 0.55 ? '03' : random() < 0.4 ? '01' : random() < 0.6 ? '08' : '06'
		const sex = random() < 0.52 ? 'FEMALE' : 'MALE'
		const profile: Profile = {
			fullName: `${pick(FAMILY[ethnic as keyof typeof FAMILY])} ${pick(sex === 'FEMALE' ? FEMALE : MALE)}`,
			birthYear: 1945 + Math.floor(random() * 63),
			sex,
			// One resident in twelve prefers not to state an ethnic group (ADR 018); no extra draw, so the rest is unchanged.
			ethnicGroup: i % 12 === 11 ? ETHNICITY_NOT_STATED : ethnic,
			ethnicityConsent: i % 12 !== 11,
			learnerGroup: random() < 0.8 ? 'RESIDENT' : pick(['OFFICIAL', 'STUDENT', 'WORKER'] as const),
			provinceCode: '14',
			communeCode,
			village: pick(VILLAGES),
		}
		// Registrations spread over the last five months, a third of them by commune staff.
		const at = new Date(now - Math.floor(random() * 150) * 86_400_000)
		const byStaff = i > 0 && random() < 0.33
		const staffKey = communeCode === '03646' ? 'staffToHieu' : communeCode === '03721' ? 'staffThuanChau' : 'staffMuongLa'
		const registeredAt = i === 0 ? new Date(now - 20 * 86_400_000) : at
		const { id } = await registerResident({
			phone: i === 0 ? DEMO_LOGINS.resident.phone : demoResidentPhone(i),
			profile,
			passwordHash: { kind: 'PIN', hash: pinHash },
			via: byStaff ? 'STAFF' : 'SEED',
			registeredById: byStaff ? staffIds[staffKey] : undefined,
			at: registeredAt,
		})
		learners.push({ id, registeredAt, staffId: byStaff ? staffIds[staffKey] : undefined })
		created++
	}
	const progress = await seedProgress(learners, random, now)
	const denominators = await seedDenominators(staffIds.provinceOfficer!)
	return { staff: staffAccounts.length, residents: created, ...progress, ...denominators, users: await prisma.user.count() }
}

/**
 * Varied progress through the domain functions (so the rollups agree): some residents untouched,
 * some mid-course, some finished with certificates, some with every core course (basic skills),
 * one who failed a quiz twice, some inactive for weeks; and some in one of the courses that are not
 * core (drawn from their own random sequence, so adding courses leaves the rest of the demo as it was).
 */
async function seedProgress(learners: { id: string; registeredAt: Date; staffId?: string }[], random: () => number, now: number) {
	const core = getManifest().courses.filter((c) => c.core)
	const others = getManifest().courses.filter((c) => !c.core)
	const day = 86_400_000
	let enrolments = 0
	let lessons = 0
	const wrong = (quiz: { id: string; options: { id: string; correct?: boolean }[] }[]) =>
		Object.fromEntries(quiz.map((q) => [q.id, q.options.find((o) => !o.correct)!.id]))
	for (const [index, learner] of learners.entries()) {
		const roll = random()
		if (index > 0 && roll < 0.5) continue // registered, not started
		const everything = index > 0 && roll > 0.93
		const take = everything ? core : core.slice(0, 1 + Math.floor(random() * 2))
		for (const course of take) {
			const age = Math.max(1, Math.floor((now - learner.registeredAt.getTime()) / day))
			let at = new Date(learner.registeredAt.getTime() + Math.floor(random() * Math.min(age, 10)) * day + 3_600_000)
			await enrolResident({ userId: learner.id, courseId: course.id, enrolledById: learner.staffId ?? null, at })
			enrolments++
			// Stuck residents enrolled long ago and did nothing since.
			const target = everything ? course.lessons.length : Math.floor(random() * (course.lessons.length + 1))
			for (const lesson of course.lessons.slice(0, target)) {
				at = new Date(Math.min(now - day, at.getTime() + Math.floor(random() * 3) * day + 600_000))
				const quiz = lesson.quiz.vi ?? []
				if (index === 1 && lessons === 0) {
					// One resident who failed the first quiz twice (shows up as needing help).
					for (let k = 0; k < 2; k++)
						await recordQuizAttempt({ userId: learner.id, lessonId: lesson.id, clientEventId: randomUUID(), answers: wrong(quiz), occurredAt: at })
					lessons++
					break
				}
				if (quiz.length)
					await recordQuizAttempt({ userId: learner.id, lessonId: lesson.id, clientEventId: randomUUID(), answers: rightAnswers(quiz), occurredAt: at })
				else await recordLessonCompletion({ userId: learner.id, lessonId: lesson.id, clientEventId: randomUUID(), occurredAt: at })
				lessons++
			}
		}
	}
	// About one resident in seven also takes a course that is not core, some to its certificate.
	const more = rng(21)
	for (const [index, learner] of learners.entries()) {
		if (index === 0 || index % 7 !== 3 || !others.length) continue
		const course = others[index % others.length]!
		let at = new Date(Math.max(learner.registeredAt.getTime(), now - 60 * day) + 7_200_000)
		await enrolResident({ userId: learner.id, courseId: course.id, enrolledById: learner.staffId ?? null, at })
		enrolments++
		for (const lesson of course.lessons.slice(0, Math.floor(more() * (course.lessons.length + 1)))) {
			at = new Date(Math.min(now - day, at.getTime() + Math.floor(more() * 3) * day + 600_000))
			const quiz = lesson.quiz.vi ?? []
			if (quiz.length)
				await recordQuizAttempt({ userId: learner.id, lessonId: lesson.id, clientEventId: randomUUID(), answers: rightAnswers(quiz), occurredAt: at })
			else await recordLessonCompletion({ userId: learner.id, lessonId: lesson.id, clientEventId: randomUUID(), occurredAt: at })
			lessons++
		}
	}
	return { enrolments, lessonsCompleted: lessons, certificates: await prisma.certificate.count() }
}

/**
 * Demo denominators for Sơn La: the source (sapnhap.bando.com.vn, data/admin-units) gives total
 * population only, so the demo enters 70 % of it as an *estimate* of the population aged 15+ and
 * says so in the source. Units the source flags as missing stay missing. Targets: the 2025/2026
 * coverage targets of the movement (80 % and 100 %).
 */
async function seedDenominators(officerId: string) {
	const file = path.join('data', 'admin-units', 'son_la_14_population_sapnhap_bando.csv')
	if (!fs.existsSync(file)) return { populations: 0, targets: 0 }
	const rows = parse(fs.readFileSync(file, 'utf8'), { columns: true, bom: true }) as { code: string; population_total: string; quality_flag: string }[]
	let populations = 0
	for (const r of rows) {
		const total = Number(r.population_total)
		if (!Number.isFinite(total) || total <= 0 || r.quality_flag === 'missing_in_source') continue
		await prisma.communePopulation.create({
			data: {
				communeCode: r.code,
				provinceCode: '14',
				adultPopulation: Math.round(total * 0.7),
				source: 'Ước tính demo: 70% tổng dân số (sapnhap.bando.com.vn)',
				asOf: new Date('2025-07-01'),
				enteredById: officerId,
			},
		})
		populations++
	}
	const communes = rows.map((r) => r.code)
	const targets = [
		...communes.map((communeCode) => ({ provinceCode: '14', communeCode, indicator: 'coverage', year: 2025, value: 80, setById: officerId })),
		...communes.map((communeCode) => ({ provinceCode: '14', communeCode, indicator: 'coverage', year: 2026, value: 100, setById: officerId })),
	]
	await prisma.target.createMany({ data: targets })
	return { populations, targets: targets.length }
}
