/**
 * The command-line options of the bench scripts (`--name=value` and bare `--flag`), read one way
 * by all of them. A value that does not parse stops the script with the option's name instead of
 * running a benchmark on NaN.
 */
export function numberArg(name: string, fallback: number, argv = process.argv) {
	const given = optionValue(name, argv)
	if (given === undefined) return fallback
	const value = Number(given)
	if (given.trim() === '' || !Number.isFinite(value)) throw new Error(`--${name} takes a number, not "${given}"`)
	return value
}

export function choiceArg<const T extends string>(name: string, choices: readonly T[], fallback: T, argv = process.argv): T {
	const given = optionValue(name, argv)
	if (given === undefined) return fallback
	if (!(choices as readonly string[]).includes(given)) throw new Error(`--${name} takes one of ${choices.join(', ')}, not "${given}"`)
	return given as T
}

/**
 * A comma-separated list of choices (`--phases=nginx,residents`), in the order given, each once;
 * an empty list or an unknown name stops the script.
 */
export function listArg<const T extends string>(name: string, choices: readonly T[], fallback: readonly T[], argv = process.argv): T[] {
	const given = optionValue(name, argv)
	if (given === undefined) return [...fallback]
	const items = given.split(',').map((s) => s.trim())
	const bad = items.filter((i) => !(choices as readonly string[]).includes(i))
	if (!given.trim() || bad.length) throw new Error(`--${name} takes a comma-separated list of ${choices.join(', ')}, not "${given}"`)
	return [...new Set(items)] as T[]
}

/**
 * A split of connections between two kinds of request, `V+W` (`--mixed=10+10`: 10 reading pages,
 * 10 writing): whole numbers, at least one connection in all.
 */
export function splitArg(name: string, fallback: readonly [number, number], argv = process.argv): [number, number] {
	const given = optionValue(name, argv)
	if (given === undefined) return [fallback[0], fallback[1]]
	const match = /^(\d{1,4})\+(\d{1,4})$/.exec(given.trim())
	if (!match || Number(match[1]) + Number(match[2]) === 0) throw new Error(`--${name} takes two whole numbers as V+W (e.g. 10+10), not "${given}"`)
	return [Number(match[1]), Number(match[2])]
}

/** True when `--name=…` is on the command line, whatever its value. */
export function given(name: string, argv = process.argv) {
	return optionValue(name, argv) !== undefined
}

export function flag(name: string, argv = process.argv) {
	return argv.includes(`--${name}`)
}

function optionValue(name: string, argv: string[]) {
	const prefix = `--${name}=`
	return argv.find((a) => a.startsWith(prefix))?.slice(prefix.length)
}
