import { describe, expect, test } from 'vitest'
import { choiceArg, flag, numberArg } from './args.ts'

const argv = ['node', 'scripts/bench/load.ts', '--seconds=6', '--writes=page', '--json', '--residents=', '--views=ten']

describe('bench arguments', () => {
	test('numbers, choices and flags as given, the fallback when absent', () => {
		expect(numberArg('seconds', 10, argv)).toBe(6)
		expect(numberArg('connections', 20, argv)).toBe(20)
		expect(choiceArg('writes', ['in-place', 'page'], 'in-place', argv)).toBe('page')
		expect(choiceArg('viewers', ['visitors', 'residents'], 'visitors', argv)).toBe('visitors')
		expect(flag('json', argv)).toBe(true)
		expect(flag('keep', argv)).toBe(false)
		// A flag is not a prefix match: --json does not turn on --js.
		expect(flag('js', argv)).toBe(false)
	})

	test('a value that does not parse stops the script with the option name, not a run on NaN', () => {
		expect(() => numberArg('views', 5, argv)).toThrow('--views takes a number, not "ten"')
		expect(() => numberArg('residents', 300, argv)).toThrow('--residents takes a number, not ""')
		expect(() => choiceArg('writes', ['in-place', 'form'], 'in-place', argv)).toThrow('--writes takes one of in-place, form, not "page"')
	})
})
