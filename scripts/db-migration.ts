/**
 * npm run db:migration <name>
 *
 * Creates prisma/migrations/<timestamp>_<name>/migration.sql from the difference between the
 * schema snapshot kept with the newest migration and prisma/schema.prisma. Needs no database
 * (`prisma migrate dev` does not work with the JS engine; docs/decisions/002-database.md).
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const name = process.argv[2]
if (!name || !/^[a-z0-9_]+$/.test(name)) {
	console.error('Usage: npm run db:migration <name>   (lowercase letters, digits and _ only)')
	process.exit(2)
}

const dir = path.join('prisma', 'migrations')
fs.mkdirSync(dir, { recursive: true })
const previous = fs
	.readdirSync(dir)
	.filter((d) => fs.existsSync(path.join(dir, d, 'schema.prisma')))
	.sort()
	.at(-1)

const from = previous ? ['--from-schema-datamodel', path.join(dir, previous, 'schema.prisma')] : ['--from-empty']
const sql = execFileSync('npx', ['prisma', 'migrate', 'diff', ...from, '--to-schema-datamodel', 'prisma/schema.prisma', '--script'], {
	encoding: 'utf8',
	env: { ...process.env, DATABASE_URL: 'memory://' },
	stdio: ['ignore', 'pipe', 'inherit'],
})
if (!/^\s*[A-Z]/m.test(sql.replace(/^--.*$/gm, ''))) {
	console.log('No schema changes since the last migration: nothing to do.')
	process.exit(0)
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)
const target = path.join(dir, `${stamp}_${name}`)
fs.mkdirSync(target)
fs.writeFileSync(path.join(target, 'migration.sql'), sql)
fs.copyFileSync(path.join('prisma', 'schema.prisma'), path.join(target, 'schema.prisma'))
console.log(`Created ${target}/migration.sql. Review it, then restart the server to apply it.`)
