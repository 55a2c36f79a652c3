import { beforeAll, describe, expect, test } from 'vitest'
import { getCatalogue, getManifest } from '#app/modules/course/course.server.ts'
import { searchResidents } from '#app/features/workspace/workspace.server.ts'
import { toAdx, toDhis2 } from '#app/modules/reporting/export.server.ts'
import { getIndicators } from '#app/modules/reporting/indicators.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { completeCourse } from '#tests/fixtures/learning.ts'
import { resident } from '#tests/utils/factories.ts'

/**
 * Issue #21 item 4: four courses added to the four of the "basic digital skills" (docs/indicators.md,
 * decision of 2026-12-01). The new ones are counted per course like any other, and change nobody's
 * basic skills: neither someone who already had them, nor someone who completes only new courses.
 */
const CORE = ['smartphone', 'vneid', 'public-services', 'scam-safety']
const NEW = ['cashless', 'zalo-safety', 'health', 'info-ai']
const PROVINCE = '14'
let COMMUNE = ''
const at = (iso: string) => new Date(`${iso}T10:00:00+07:00`)

beforeAll(async () => {
	// A commune no other test writes to (events before 2025 are counted on 1 January 2025), so every figure here is this file's own.
	const commune = await prisma.commune.findFirst({ where: { provinceCode: PROVINCE, code: { not: '03808' } }, orderBy: { code: 'desc' } })
	COMMUNE = commune!.code
})

describe('the catalogue with eight courses', () => {
	test('eight courses in catalogue order; the core ones are still exactly the first four', () => {
		const catalogue = getCatalogue('vi')
		expect(catalogue.map((c) => c.id)).toEqual([...CORE, ...NEW])
		expect(catalogue.filter((c) => c.core).map((c) => c.id)).toEqual(CORE)
		for (const course of getManifest().courses.filter((c) => NEW.includes(c.id))) {
			expect(course.lessons.length).toBeGreaterThanOrEqual(5)
			for (const lesson of course.lessons) expect(lesson.quiz.vi).toHaveLength(4)
		}
	})

	test('completing the new courses counts completions and certificates per course, never basic skills', async () => {
		const already = await resident({ fullName: 'Lò Văn Đủ', communeCode: COMMUNE, at: at('2025-03-01') })
		for (const id of CORE) await completeCourse(already, id, at('2025-03-05'))
		const onlyNew = await resident({ fullName: 'Quàng Thị Mới', communeCode: COMMUNE, at: at('2025-03-01') })
		for (const id of NEW) {
			await completeCourse(already, id, at('2025-04-10'))
			await completeCourse(onlyNew, id, at('2025-04-10'))
		}
		const report = await getIndicators({ provinceCode: PROVINCE, communeCodes: [COMMUNE], from: '2025-03', to: '2025-04', granularity: 'month' })
		const row = (period: string) => report.rows.find((r) => r.communeCode === COMMUNE && r.period === period)!
		expect(row('2025-03').figures).toMatchObject({ completions: 4, basicSkills: 1, certificates: 4 })
		expect(row('2025-04').figures).toMatchObject({ completions: 8, basicSkills: 0, certificates: 8 })
		expect(row('2025-04').figures.completionsByCourse).toEqual(Object.fromEntries(NEW.map((id) => [id, 2])))
		expect(row('2025-04').cumulative.basicSkills).toBe(1)

		// DHIS2 and ADX carry a course option for each new course (HVS_COURSE_ZALO_SAFETY …).
		const april = toDhis2(report).dataValues.filter((v) => v.period === '202504' && v.dataElement === 'HVS_COMPLETIONS' && 'categoryOptionCombo' in v)
		// Completions go per course only (every course, zeros included: docs/dhis2.md), never also as a total.
		expect(
			april
				.filter((v) => v.value !== '0')
				.map((v) => [v.categoryOptionCombo, v.value])
				.sort(),
		).toEqual([
			['HVS_COURSE_CASHLESS', '2'],
			['HVS_COURSE_HEALTH', '2'],
			['HVS_COURSE_INFO_AI', '2'],
			['HVS_COURSE_ZALO_SAFETY', '2'],
		])
		expect(april).toHaveLength(CORE.length + NEW.length)
		expect(toAdx(report)).toContain('<dataValue dataElement="HVS_COMPLETIONS" HVS_COURSE="HVS_COURSE_ZALO_SAFETY" value="2"/>')

		// The commune's "has basic digital skills" filter: the first resident only.
		const staffScope = { admin: false, provinceCodes: [], communeCodes: [COMMUNE] }
		const withSkills = await searchResidents(staffScope, { communeCode: COMMUNE, status: 'completed' })
		expect(withSkills.rows.map((u) => u.id)).toEqual([already])
		// Each new course on its own: both finished it.
		expect((await searchResidents(staffScope, { communeCode: COMMUNE, status: 'completed', courseId: 'health' })).total).toBe(2)
	})
})
