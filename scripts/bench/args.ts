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

export function flag(name: string, argv = process.argv) {
	return argv.includes(`--${name}`)
}

function optionValue(name: string, argv: string[]) {
	const prefix = `--${name}=`
	return argv.find((a) => a.startsWith(prefix))?.slice(prefix.length)
}
