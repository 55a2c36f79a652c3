/** A lesson form's fields, and the quiz answers among them (answer.<question id> = <option id>), as the outbox and /api/quiz take them. */
export function fieldsOf(form: HTMLFormElement): Record<string, string> {
	const fields: Record<string, string> = {}
	new FormData(form).forEach((value, key) => {
		if (typeof value === 'string') fields[key] = value
	})
	return fields
}

export function answersOf(fields: Record<string, string>): Record<string, string> {
	const answers: Record<string, string> = {}
	for (const key of Object.keys(fields)) if (key.indexOf('answer.') === 0) answers[key.slice(7)] = fields[key]!
	return answers
}

/** The space-separated ids of a data attribute. */
export function words(value: string | null): string[] {
	return (value || '').split(' ').filter(Boolean)
}
