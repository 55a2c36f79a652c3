import fs from 'node:fs'
import path from 'node:path'
import { expect, test } from 'vitest'

/**
 * Issue #15: scope is decided in one place (app/kernel/scope.ts). A route that reads the scope's
 * fields itself (`scope.admin`, `communeCodes.includes`) re-writes the rule; it must call a kernel
 * function instead (canActInCommune, isCommuneStaffOf, residentsInScope…).
 */
test('no route decides scope itself', () => {
	const dir = path.join(process.cwd(), 'app', 'routes')
	const offenders: string[] = []
	for (const file of fs.readdirSync(dir, { recursive: true }) as string[]) {
		if (!/\.tsx?$/.test(file)) continue
		const text = fs.readFileSync(path.join(dir, file), 'utf8')
		text.split('\n').forEach((line, i) => {
			if (/scope\.admin|communeCodes\.includes|provinceCodes\.includes/.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`)
		})
	}
	expect(offenders).toEqual([])
})
