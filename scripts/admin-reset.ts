/**
 * npm run admin:reset -- <phone>  — on the server itself, replaces the secret of an account that no
 * page may reset: an administrator's (or any account's, when the site is locked out). Every session of
 * theirs ends; a one-time setup code is printed to give to the person, who sets a new secret at /setup.
 * There is deliberately no web route for this (SECURITY.md: only shell access to the server can).
 * With the embedded database, stop the server first (only one process may open its folder).
 */
import { normalisePhone } from '#app/modules/people/phone.ts'

const raw = process.argv[2]
const phone = raw ? normalisePhone(raw) : null
if (!phone) {
	console.error('Usage: npm run admin:reset -- <phone number of the account, e.g. 0912000000>')
	process.exit(2)
}
const { prisma, closeDb, dbInfo } = await import('#app/utils/db.server.ts')
const { formatSetupCode, issueSetupCode } = await import('#app/modules/people/setup-code.server.ts')
try {
	const user = await prisma.user.findUnique({ where: { phone }, select: { id: true, fullName: true, roles: { select: { role: true } } } })
	if (!user) {
		console.error(`No account has the phone ${phone} in ${dbInfo.kind} (${dbInfo.location}).`)
		process.exitCode = 1
	} else {
		const { code, expiresAt } = await issueSetupCode({ userId: user.id, purpose: 'RESET', createdById: null })
		const roles = user.roles.map((r) => r.role).join(', ') || 'resident'
		console.log(`Secret of ${user.fullName} (${roles}) reset; every session ended.`)
		console.log(`Setup code: ${formatSetupCode(code)} (single use, until ${expiresAt.toISOString()}); enter it at /setup with phone ${phone}.`)
	}
} finally {
	await closeDb()
}
