/**
 * One error for every refusal the domain makes (bad input, not found, not allowed, conflict): a
 * translation key, the HTTP status it answers with, the values the message needs, and the form field
 * it belongs to. Routes turn it into a localised answer with one helper (`app/utils/errors.server.ts`)
 * instead of one `instanceof` per error class. Anything that is not a DomainError is a bug: a 500.
 * Pure: safe in the browser.
 */
export interface DomainErrorOptions {
	status?: number
	values?: Record<string, string | number>
	field?: string
}

export class DomainError extends Error {
	readonly key: string
	readonly status: number
	readonly values: Record<string, string | number>
	readonly field: string | undefined

	constructor(key: string, { status = 400, values = {}, field }: DomainErrorOptions = {}) {
		super(key)
		this.name = 'DomainError'
		this.key = key
		this.status = status
		this.values = values
		this.field = field
	}
}

export function isDomainError(error: unknown): error is DomainError {
	return error instanceof DomainError
}

/** A refusal tied to one form field: shown next to that field. */
export class FieldError extends DomainError {
	declare readonly field: string

	constructor(field: string, key: string, status = 400) {
		super(key, { field, status })
		this.name = 'FieldError'
	}
}
