/**
 * The words of an error page, shared by the app's error boundary and the server's own error pages
 * (server/responses.ts): a heading in plain words and a help line saying what may have happened and
 * what to do, each the status's own where it has one, else the general (500) one. The help never
 * repeats the heading ("Không có trang này" over "Không tìm thấy trang này" says nothing new to
 * someone who reads little); the code stays below both, small, for whoever helps them.
 */
export function errorPageKeys(status: number, has: (key: string) => boolean) {
	const own = (part: 'heading' | 'help') => (has(`errors.${part}.${status}`) ? `errors.${part}.${status}` : `errors.${part}.500`)
	return { heading: own('heading'), help: own('help') }
}

/**
 * Whether a thrown response's message key is only its status's general message (`forbidden()`,
 * `notFound()`, a 503 of the pool…): the page then shows the help line instead of a sentence that
 * restates the heading. A key of its own (why this refusal, what to do) is shown as it is.
 */
export function isGeneralMessage(key: string, status: number) {
	return !key || key === `common:errors.status.${status}` || key === 'common:errors.unexpected'
}
