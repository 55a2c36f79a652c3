import { type DomainError, isDomainError } from '#app/kernel/errors.ts'

/**
 * The one translation of a domain refusal into an HTTP answer: `{ message, values, field }` (message
 * a translation key) with the error's status. Anything else is rethrown: an unexpected error is a 500,
 * never a refusal.
 */
export function domainErrorResponse(error: unknown): Response {
	if (!isDomainError(error)) throw error
	return Response.json(domainErrorBody(error), { status: error.status })
}

/** The body of a refusal, for actions that return it with their own data (`data({ ...body }, { status })`). */
export function domainErrorBody(error: DomainError) {
	return { message: error.key, values: error.values, field: error.field ?? null }
}

/** Runs `fn`; a domain refusal is thrown as its localised response (loaders: shown by the error boundary). */
export async function orRefuse<T>(fn: () => Promise<T>): Promise<T> {
	try {
		return await fn()
	} catch (error) {
		throw domainErrorResponse(error)
	}
}

/** A refusal as Conform's `submission.reply` options: on its field, or on the whole form. */
export function replyOptions(error: DomainError) {
	return error.field ? { fieldErrors: { [error.field]: [error.key] } } : { formErrors: [error.key] }
}
