import { type PGlite } from '@electric-sql/pglite'
import type pg from 'pg'
import { listTables, migrate, type Opened, progress, seconds } from './lib.ts'

const BATCH = 2_000

/**
 * Copies an embedded database into an empty PostgreSQL database (db:move, and db:restore of an
 * embedded backup into PostgreSQL): the schema through this version's migrations on both sides
 * (the same SQL the server applies), then every table in foreign-key order, in one transaction on
 * PostgreSQL, read from one snapshot of the source; then the sequences. Rows travel as JSON
 * (`to_jsonb` → `jsonb_populate_recordset`), so every column type converts exactly as PostgreSQL
 * reads its own text form. A table that points at itself (User.registeredById) gets those columns
 * in a second pass, once every row exists; generated columns are left to the target to compute.
 */
export async function copyDatabase(source: Opened & { client: PGlite }, target: Opened & { client: pg.Client }) {
	const started = Date.now()
	const appliedSource = await migrate(source.runner)
	if (appliedSource.length) console.log(`  source brought up to this version: ${appliedSource.length} migration(s) applied`)
	await migrate(target.runner)
	const tables = await listTables(source.runner)
	const targetTables = new Set(await listTables(target.runner))
	const missing = tables.filter((t) => !targetTables.has(t))
	if (missing.length) throw new Error(`the target lacks tables the source has (${missing.join(', ')}): is it another application's database?`)

	const foreignKeys = await source.runner.query<{ child: string; parent: string; columns: string[] }>(`
		SELECT ch.relname::text AS child, pa.relname::text AS parent,
		       ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)) AS columns
		FROM pg_constraint c JOIN pg_class ch ON ch.oid = c.conrelid JOIN pg_class pa ON pa.oid = c.confrelid
		WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`)
	const primaryKeys = await source.runner.query<{ tbl: string; columns: string[] }>(`
		SELECT ch.relname::text AS tbl, ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)) AS columns
		FROM pg_constraint c JOIN pg_class ch ON ch.oid = c.conrelid
		WHERE c.contype = 'p' AND c.connamespace = 'public'::regnamespace`)
	const order = dependencyOrder(tables, foreignKeys)
	const q = (name: string) => `"${name.replace(/"/g, '""')}"`

	let total = 0
	await target.client.query('BEGIN')
	try {
		// The migrations wrote reference data (provinces, communes): the source's rows replace it.
		await target.client.query(`TRUNCATE ${tables.map(q).join(', ')} RESTART IDENTITY CASCADE`)
		await source.client.transaction(async (tx) => {
			await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ')
			for (const table of order) {
				const tableStarted = Date.now()
				const selfColumns = foreignKeys.filter((fk) => fk.child === table && fk.parent === table).flatMap((fk) => fk.columns)
				const strip = selfColumns.length ? ` - ARRAY[${selfColumns.map((c) => `'${c}'`).join(', ')}]::text[]` : ''
				// Generated columns (the folded search names) are computed by the target, never inserted.
				const columnRows = (
					await target.client.query<{ name: string; binary: boolean }>(
						`SELECT attname::text AS name, atttypid = 'bytea'::regtype AS binary FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
						[q(table)],
					)
				).rows
				const columns = columnRows.map((r) => q(r.name))
				// Rows holding files (a recording's audio, up to ~1 MB, twice that as hex in JSON) go a few at a time.
				const batch = columnRows.some((r) => r.binary) ? 8 : BATCH
				const insert = `INSERT INTO ${q(table)} (${columns.join(', ')}) OVERRIDING SYSTEM VALUE SELECT ${columns.join(', ')} FROM jsonb_populate_recordset(NULL::${q(table)}, $1::jsonb)`
				const bar = progress(table)
				const copied = await pipe(
					tx,
					`SELECT (to_jsonb(t)${strip})::text AS r FROM ${q(table)} t`,
					async (rows) => {
						await target.client.query(insert, [`[${rows.join(',')}]`])
						bar.add(rows.length)
					},
					batch,
				)
				if (selfColumns.length) {
					const pk = primaryKeys.find((p) => p.tbl === table)?.columns
					if (!pk?.length) throw new Error(`${table} refers to itself but has no primary key`)
					const keep = [...pk, ...selfColumns]
					const set = selfColumns.map((c) => `${q(c)} = s.${q(c)}`).join(', ')
					const match = pk.map((c) => `t.${q(c)} = s.${q(c)}`).join(' AND ')
					await pipe(
						tx,
						`SELECT jsonb_build_object(${keep.map((c) => `'${c}', ${q(c)}`).join(', ')})::text AS r FROM ${q(table)}
						 WHERE ${selfColumns.map((c) => `${q(c)} IS NOT NULL`).join(' OR ')}`,
						(rows) =>
							target.client
								.query(`UPDATE ${q(table)} t SET ${set} FROM jsonb_populate_recordset(NULL::${q(table)}, $1::jsonb) s WHERE ${match}`, [`[${rows.join(',')}]`])
								.then(() => {}),
					)
				}
				bar.done()
				total += copied
				if (copied) console.log(`  ${table}: ${copied.toLocaleString('en')} rows (${seconds(Date.now() - tableStarted)})`)
			}
			// Sequences continue where the source's stopped (AuditLog ids).
			const sequences = await tx.query<{ name: string; last: string | number | null }>(
				`SELECT sequencename::text AS name, last_value AS last FROM pg_sequences WHERE schemaname = 'public'`,
			)
			for (const s of sequences.rows) {
				if (s.last !== null) await target.client.query('SELECT setval($1, $2, true)', [q(s.name), String(s.last)])
			}
		})
		await target.client.query('COMMIT')
	} catch (error) {
		await target.client.query('ROLLBACK').catch(() => {})
		throw error
	}
	console.log(`  copied ${total.toLocaleString('en')} rows in ${tables.length} tables in ${seconds(Date.now() - started)}`)
	return total
}

/** Reads a query through a cursor in batches, handing each batch to `each`; returns the row count. */
async function pipe(tx: Parameters<Parameters<PGlite['transaction']>[0]>[0], query: string, each: (rows: string[]) => Promise<void>, size = BATCH) {
	await tx.query(`DECLARE hvs_copy NO SCROLL CURSOR FOR ${query}`)
	let n = 0
	for (;;) {
		const batch = await tx.query<{ r: string }>(`FETCH ${size} FROM hvs_copy`)
		if (!batch.rows.length) break
		await each(batch.rows.map((row) => row.r))
		n += batch.rows.length
	}
	await tx.query('CLOSE hvs_copy')
	return n
}

/** Tables ordered so that every table comes after the tables it refers to (self-references aside). */
export function dependencyOrder(tables: string[], foreignKeys: { child: string; parent: string }[]) {
	const order: string[] = []
	const state = new Map<string, 'visiting' | 'done'>()
	const visit = (table: string, trail: string[]) => {
		if (state.get(table) === 'done') return
		if (state.get(table) === 'visiting') throw new Error(`foreign keys form a cycle: ${[...trail, table].join(' → ')}`)
		state.set(table, 'visiting')
		for (const fk of foreignKeys) if (fk.child === table && fk.parent !== table && tables.includes(fk.parent)) visit(fk.parent, [...trail, table])
		state.set(table, 'done')
		order.push(table)
	}
	for (const table of [...tables].sort()) visit(table, [])
	return order
}
