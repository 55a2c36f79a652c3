import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { resident } from '#tests/utils/factories.ts'
import { revokedCertificates } from './revoked.server.ts'

/** A certificate of a resident of 03808 (Xã Mường La), issued at `issuedAt` and revoked at `revokedAt`. */
async function certificate(issuedAt: Date, revokedAt: Date | null, communeCode = '03808') {
	const userId = await resident({ communeCode })
	const course = await prisma.course.findFirstOrThrow({ select: { id: true } })
	const enrolment = await prisma.enrolment.create({ data: { userId, courseId: course.id, communeCode, provinceCode: '14', completedAt: issuedAt } })
	await prisma.certificate.create({
		data: {
			code: `T${Math.random().toString(36).slice(2, 11).toUpperCase()}`,
			userId,
			enrolmentId: enrolment.id,
			courseId: course.id,
			communeCode,
			provinceCode: '14',
			recipientName: 'Lò Thị Học',
			issuedAt,
			revokedAt,
		},
	})
}

describe('revoked certificates beside those issued (issue #17 item 6)', () => {
	test('counted per commune up to the end of the range, in Vietnam time', async () => {
		await certificate(new Date('2026-03-02T03:00:00Z'), new Date('2026-03-10T03:00:00Z'))
		// Revoked at 23:30 on 31 March in Vietnam (16:30 UTC): still March.
		await certificate(new Date('2026-03-02T03:00:00Z'), new Date('2026-03-31T16:30:00Z'))
		// Revoked at 00:30 on 1 April in Vietnam (17:30 UTC on 31 March): April.
		await certificate(new Date('2026-03-02T03:00:00Z'), new Date('2026-03-31T17:30:00Z'))
		await certificate(new Date('2026-03-02T03:00:00Z'), null)
		await certificate(new Date('2026-03-02T03:00:00Z'), new Date('2026-03-05T03:00:00Z'), '03646')

		const march = await revokedCertificates({ provinceCode: '14', communeCodes: ['03808', '03646'], lastMonth: '2026-03' })
		expect(march.byCommune.get('03808')).toBe(2)
		expect(march.byCommune.get('03646')).toBe(1)
		expect(march.total).toBe(3)
		const april = await revokedCertificates({ provinceCode: '14', communeCodes: ['03808', '03646'], lastMonth: '2026-04' })
		expect(april.byCommune.get('03808')).toBe(3)
		expect(april.total).toBe(4)
		// Only the communes asked for; before anything was revoked, none.
		expect((await revokedCertificates({ provinceCode: '14', communeCodes: ['03646'], lastMonth: '2026-04' })).total).toBe(1)
		expect((await revokedCertificates({ provinceCode: '14', communeCodes: ['03808'], lastMonth: '2026-02' })).total).toBe(0)
		expect((await revokedCertificates({ provinceCode: '14', communeCodes: [], lastMonth: '2026-04' })).total).toBe(0)
	})
})
