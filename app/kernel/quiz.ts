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
	questions: { questionId: string; chosen: string; correct: boolean; correctOption: string; explanation: string }[]
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
