import { randomUUID } from 'node:crypto'
import { getCourseById } from '#app/modules/course/course.server.ts'
import { previewImport } from '#app/modules/people/import.server.ts'
import { assignStatusEntry } from '#app/modules/certificate/status-list.server.ts'
import { recordClassSession } from '#app/features/workspace/classes.server.ts'
import { grantRole } from '#app/modules/people/staff.server.ts'
import { acceptNotice } from '#app/modules/people/consent.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { resident, sessionCookie } from '#tests/utils/factories.ts'
import { completeCourse } from '../fixtures/learning.ts'

/**
 * The people every route is tried with. "Right" means: in scope of the fixture data (commune
 * 03646 Phường Tô Hiệu, province 14 Sơn La); "other" means: staff of another commune / an
 * officer of another province.
 */
export const PERSONAS = ['anonymous', 'learner', 'staffOther', 'staffRight', 'officerOther', 'officerRight', 'admin'] as const
export type Persona = (typeof PERSONAS)[number]

/**
 * The kinds of person a route can act on: residents of this and of another scope, and holders of each
 * role of this and of another scope. Scope by commune alone once let commune staff reset the
 * administrator's PIN: every route that takes a person is tried on every kind.
 */
export const TARGET_KINDS = [
	'residentRight',
	'residentOtherCommune',
	'residentOtherProvince',
	'staffRight',
	'staffOther',
	'officerRight',
	'officerOther',
	'admin',
] as const
export type TargetKind = (typeof TARGET_KINDS)[number]

export interface Fixture {
	cookies: Record<Persona, string | null>
	/** A new session for the persona (for routes that end the session they are called with). */
	freshCookie(persona: Persona): Promise<string | null>
	ids: Record<Exclude<Persona, 'anonymous'>, string> & {
		/** A resident of the right commune, whom staffRight may help. */
		residentRight: string
		/** A resident of another commune of the same province. */
		residentOtherCommune: string
		/** A resident of another province. */
		residentOtherProvince: string
	}
	/** The people a route that takes a person is tried on (tests/authorization/matrix.ts TARGET_KINDS). */
	targets: Record<TargetKind, string>
	/** Their phone numbers (routes that take a person by phone). */
	targetPhones: Record<TargetKind, string>
	/** A certificate of the learner (course "smartphone", commune 03646, province 14). */
	certificateCode: string
	/** The W3C status list that certificate's credential is listed in. */
	statusListId: number
	/** An import preview of commune 03646 with nobody new in it (confirming it adds nobody). */
	importJobId: string
	/** A class of commune 03646 (staffRight taught residentRight the first lesson of "vneid"). */
	classId: string
}

const person = (communeCode: string, provinceCode: string) =>
	resident({ fullName: 'Lò Văn Ma Trận', birthYear: 1975, sex: 'MALE', provinceCode, communeCode, via: 'SEED' })

async function personWithPhone(communeCode: string, provinceCode: string) {
	const id = await person(communeCode, provinceCode)
	const { phone } = await prisma.user.findUniqueOrThrow({ where: { id }, select: { phone: true } })
	return { id, phone: phone! }
}

/** Targets apart from the personas: acting on them (a reset ends their sessions) leaves the personas signed in. */
async function createTargets(ids: { residentRight: string; residentOtherCommune: string; residentOtherProvince: string }) {
	const people = {
		staffRight: await personWithPhone('03646', '14'),
		staffOther: await personWithPhone('03721', '14'),
		officerRight: await personWithPhone('03646', '14'),
		officerOther: await personWithPhone('03388', '12'),
		admin: await personWithPhone('03646', '14'),
	}
	await grantRole({ userId: people.staffRight.id, role: 'COMMUNE_STAFF', communeCode: '03646', grantedById: null })
	await grantRole({ userId: people.staffOther.id, role: 'COMMUNE_STAFF', communeCode: '03721', grantedById: null })
	await grantRole({ userId: people.officerRight.id, role: 'PROVINCE_OFFICER', provinceCode: '14', grantedById: null })
	await grantRole({ userId: people.officerOther.id, role: 'PROVINCE_OFFICER', provinceCode: '12', grantedById: null })
	await grantRole({ userId: people.admin.id, role: 'ADMIN', grantedById: null })
	const phones = await prisma.user.findMany({
		where: { id: { in: [ids.residentRight, ids.residentOtherCommune, ids.residentOtherProvince] } },
		select: { id: true, phone: true },
	})
	const phoneOf = (id: string) => phones.find((p) => p.id === id)!.phone!
	const targets = { ...ids, ...Object.fromEntries(Object.entries(people).map(([k, v]) => [k, v.id])) } as Record<TargetKind, string>
	const targetPhones = {
		residentRight: phoneOf(ids.residentRight),
		residentOtherCommune: phoneOf(ids.residentOtherCommune),
		residentOtherProvince: phoneOf(ids.residentOtherProvince),
		...Object.fromEntries(Object.entries(people).map(([k, v]) => [k, v.phone])),
	} as Record<TargetKind, string>
	return { targets, targetPhones }
}

export async function createFixture(): Promise<Fixture> {
	const ids = {
		learner: await person('03646', '14'),
		staffOther: await person('03721', '14'),
		staffRight: await person('03646', '14'),
		officerOther: await person('03388', '12'),
		officerRight: await person('03646', '14'),
		admin: await person('03646', '14'),
		residentRight: await person('03646', '14'),
		residentOtherCommune: await person('03721', '14'),
		residentOtherProvince: await person('03388', '12'),
	}
	await grantRole({ userId: ids.staffOther, role: 'COMMUNE_STAFF', communeCode: '03721', grantedById: null })
	await grantRole({ userId: ids.staffRight, role: 'COMMUNE_STAFF', communeCode: '03646', grantedById: null })
	await grantRole({ userId: ids.officerOther, role: 'PROVINCE_OFFICER', provinceCode: '12', grantedById: null })
	await grantRole({ userId: ids.officerRight, role: 'PROVINCE_OFFICER', provinceCode: '14', grantedById: null })
	await grantRole({ userId: ids.admin, role: 'ADMIN', grantedById: null })
	// Role holders have read the staff notice (ADR 028); /me/notice itself is tried in the matrix.
	for (const p of ['staffOther', 'staffRight', 'officerOther', 'officerRight', 'admin'] as const)
		await acceptNotice({ userId: ids[p], kind: 'staff', channel: 'SEED' })
	const freshCookie = async (p: Persona) => (p === 'anonymous' ? null : sessionCookie(ids[p]))
	const cookies = { anonymous: null } as Record<Persona, string | null>
	for (const p of PERSONAS) cookies[p] = await freshCookie(p)
	const { certificateCode } = await completeCourse(ids.learner, 'smartphone')
	const certificate = await prisma.certificate.findUniqueOrThrow({ where: { code: certificateCode! }, select: { id: true } })
	const { listId: statusListId } = (await assignStatusEntry(certificate.id))!
	const importJob = await previewImport({
		scope: { admin: false, provinceCodes: [], communeCodes: ['03646'] },
		staffId: ids.staffRight,
		communeCode: '03646',
		fileName: 'matrix.csv',
		bytes: new TextEncoder().encode('Họ và tên,Số điện thoại\nLò Văn Sai,123\n'),
	})
	const { classId } = await recordClassSession({
		scope: { admin: false, provinceCodes: [], communeCodes: ['03646'] },
		staffId: ids.staffRight,
		input: {
			clientId: randomUUID(),
			communeCode: '03646',
			courseId: 'vneid',
			heldOn: '2026-01-05',
			place: 'Nhà văn hoá tổ 1',
			lessonIds: [getCourseById('vneid')!.lessons[0]!.id],
			attendeeIds: [ids.residentRight],
		},
	})
	const { targets, targetPhones } = await createTargets(ids)
	return { cookies, ids, targets, targetPhones, freshCookie, certificateCode: certificateCode!, statusListId, importJobId: importJob!.id, classId }
}
