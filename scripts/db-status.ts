/** npm run db:status — opens the configured database (applying pending migrations) and reports it. */
const { prisma, dbInfo, closeDb } = await import('#app/utils/db.server.ts')
const [row] = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "_prisma_migrations"`
console.log(`${dbInfo.kind} at ${dbInfo.location}: ${Number(row?.n)} migrations applied, ${await prisma.user.count()} users`)
await closeDb()
export {}
