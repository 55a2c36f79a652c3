import { DomainError } from '#app/kernel/errors.ts'

/** A file that cannot be read at all (CSV or Excel). `key` is a translation key, `values` its parameters. */
export class ImportFileError extends DomainError {
	constructor(key: string, values: Record<string, string | number> = {}, status = 400) {
		super(key, { values, status })
	}
}
