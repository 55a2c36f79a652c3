import { describe, expect, test } from 'vitest'
import { choiceArg, flag, given, listArg, numberArg, splitArg } from './args.ts'

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

	test('a list keeps the order given, each name once; a split is two whole numbers V+W', () => {
		const phases = ['nginx', 'visitors', 'residents', 'mixed'] as const
		const args = ['node', 'load.ts', '--phases=residents,nginx,residents', '--mixed=12+4']
		expect(listArg('phases', phases, ['nginx'], args)).toEqual(['residents', 'nginx'])
		expect(listArg('phases', phases, ['nginx', 'mixed'], argv)).toEqual(['nginx', 'mixed'])
		expect(splitArg('mixed', [10, 10], args)).toEqual([12, 4])
		expect(splitArg('mixed', [10, 10], argv)).toEqual([10, 10])
		expect(splitArg('mixed', [10, 10], ['--mixed=0+10'])).toEqual([0, 10])
		expect(given('mixed', args)).toBe(true)
		expect(given('views', args)).toBe(false)
	})

	test('a list with an unknown or no name, or a split that is not V+W, stops the script with the option name', () => {
		const phases = ['nginx', 'mixed'] as const
		expect(() => listArg('phases', phases, ['nginx'], ['--phases=nginx,views'])).toThrow(
			'--phases takes a comma-separated list of nginx, mixed, not "nginx,views"',
		)
		expect(() => listArg('phases', phases, ['nginx'], ['--phases='])).toThrow('--phases takes a comma-separated list')
		expect(() => listArg('phases', phases, ['nginx'], ['--phases=nginx,'])).toThrow('--phases takes a comma-separated list')
		for (const bad of ['10', '10+', '+10', '10+-1', '1.5+2', 'ten+10', '0+0', '10+10+1'])
			expect(() => splitArg('mixed', [10, 10], [`--mixed=${bad}`])).toThrow(`--mixed takes two whole numbers as V+W (e.g. 10+10), not "${bad}"`)
	})
})
