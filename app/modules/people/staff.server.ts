import { type Role } from '#app/generated/prisma/client.ts'
import { prisma } from '#app/utils/db.server.ts'

/** Grants a scoped role; granting the same role twice changes nothing. */
export async function grantRole({
	userId,
	role,
	communeCode,
	provinceCode,
	grantedById,
}: {
	userId: string
	role: Role
	communeCode?: string
	provinceCode?: string
	grantedById: string | null
}) {
	let province = provinceCode ?? null
	if (role === 'COMMUNE_STAFF') {
		if (!communeCode) throw new Error('COMMUNE_STAFF needs a commune')
		const commune = await prisma.commune.findUniqueOrThrow({ where: { code: communeCode }, select: { provinceCode: true } })
		province = commune.provinceCode
	}
	if (role === 'PROVINCE_OFFICER' && !province) throw new Error('PROVINCE_OFFICER needs a province')
	const commune = role === 'COMMUNE_STAFF' ? communeCode! : null
	const existing = await prisma.roleAssignment.findFirst({ where: { userId, role, communeCode: commune, provinceCode: role === 'ADMIN' ? null : province } })
	if (existing) return existing
	return prisma.roleAssignment.create({
		data: { userId, role, communeCode: commune, provinceCode: role === 'ADMIN' ? null : province, createdById: grantedById },
	})
}
