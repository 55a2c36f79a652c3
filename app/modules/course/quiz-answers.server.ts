/** The right answers of a lesson's quiz (question id → right option id), from the compiled content. */
export function rightAnswers(quiz: { id: string; options: { id: string; correct?: boolean }[] }[] | undefined) {
	return Object.fromEntries((quiz ?? []).map((q) => [q.id, q.options.find((o) => o.correct)!.id]))
}
