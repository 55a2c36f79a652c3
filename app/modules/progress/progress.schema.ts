import { z } from 'zod'

export const ClientIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'learning:errors.badClientId')

/** answer.<questionId> = <optionId> from the lesson's quiz form. */
export function readAnswers(form: Iterable<[string, FormDataEntryValue]>): Record<string, string> | null {
	const answers: Record<string, string> = {}
	let count = 0
	for (const [key, value] of form) {
		if (!key.startsWith('answer.')) continue
		if (typeof value !== 'string' || value.length > 40 || ++count > 50) return null
		answers[key.slice('answer.'.length).slice(0, 40)] = value
	}
	return answers
}
