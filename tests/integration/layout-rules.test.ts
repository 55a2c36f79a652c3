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

/**
 * Issue #20: a resident's PIN opens the number keyboard. Every hidden secret a route asks for goes
 * through `SecretField`, or spreads `pinKeyboard(…)` on its own input: a raw `type="password"` with
 * neither (the VNeID link form once had one) opens the letter keyboard on a PIN.
 */
test('every secret field of a route decides its keyboard with pinKeyboard', () => {
	const dir = path.join(process.cwd(), 'app', 'routes')
	const offenders: string[] = []
	for (const file of fs.readdirSync(dir, { recursive: true }) as string[]) {
		if (!/\.tsx$/.test(file)) continue
		const text = fs.readFileSync(path.join(dir, file), 'utf8')
		for (const match of text.matchAll(/<(?:input|Field)\b[^>]*?type="password"[^>]*?\/>/gs)) {
			if (!match[0].includes('pinKeyboard(')) offenders.push(`${file}: ${match[0].replace(/\s+/g, ' ').slice(0, 100)}`)
		}
	}
	expect(offenders).toEqual([])
})
