/**
 * A quiz as the learner sees it (never the right answers) and the feedback on an attempt: shared by
 * the grading on the server, the lesson page, the in-place answer and the browser script. Pure.
 */
export interface PublicQuestion {
	id: string
	question: string
	options: { id: string; text: string }[]
}

export interface QuizFeedback {
	/**
	 * Per question: what the learner chose, whether it was right and why. `correctOption` is given
	 * only once the quiz is passed: a failed attempt says which answers were wrong and why, never
	 * which option is right, so a retry is not copying.
	 */
	questions: { questionId: string; chosen: string; correct: boolean; correctOption: string | null; explanation: string }[]
	correct: number
	total: number
	score: number
	passed: boolean
	passMark: number
	recorded: boolean
	/** The certificate this attempt earned (it completed the course). */
	certificateCode?: string | null
	error?: string
}

/** How many right answers of `total` reach the pass mark (a percentage): what a learner is told instead of "70%". */
export function answersNeeded(total: number, passMark: number): number {
	return Math.min(total, Math.ceil((total * passMark) / 100))
}

/** The feedback a learner may see: the right options only when the attempt passed. */
export function learnerFeedback<Q extends { correctOption: string | null }>(questions: readonly Q[], passed: boolean): Q[] {
	return questions.map((q) => (passed ? q : { ...q, correctOption: null }))
}

/**
 * The options in an order of their own for each attempt (`seed`: the attempt's client id and the
 * question's id), so the right answer is not learnt by its place. Deterministic for one seed: the
 * page and a reload of the same form agree. Grading is by option id, so the order changes nothing else.
 */
export function shuffled<T>(items: readonly T[], seed: string): T[] {
	// FNV-1a of the seed, then mulberry32 for a Fisher–Yates shuffle.
	let h = 0x811c9dc5
	for (let i = 0; i < seed.length; i++) {
		h ^= seed.charCodeAt(i)
		h = Math.imul(h, 0x01000193)
	}
	let state = h >>> 0
	const random = () => {
		state = (state + 0x6d2b79f5) >>> 0
		let t = state
		t = Math.imul(t ^ (t >>> 15), t | 1)
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
	const out = [...items]
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1))
		;[out[i], out[j]] = [out[j]!, out[i]!]
	}
	return out
}
