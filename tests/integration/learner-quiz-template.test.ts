import { randomUUID } from 'node:crypto'
import { expect, test } from 'vitest'
import { learnerFeedback } from '#app/kernel/quiz.ts'
import { fillQuizTemplate, gradedQuizHtml, makeQuizTemplate, renderQuiz } from '#app/learner-pages.server.tsx'
import { getManifest, publicQuiz } from '#app/modules/course/course.server.ts'
import { gradeQuiz } from '#app/modules/course/quiz.server.ts'

// The signed-in lesson page fills its quiz from a template (app/learner-pages.server.tsx, ADR 032)
// instead of rendering `Quiz` per view. For every lesson, language and enrolled state the template
// must exist (else every view renders the quiz again) and give exactly what `Quiz` renders, options
// in each client id's own order. A change to `Quiz` that breaks the template fails here.
test('every lesson quiz has a template, and filling it gives what Quiz renders, for any client id', async () => {
	let checked = 0
	for (const course of getManifest().courses)
		for (const lesson of course.lessons)
			for (const lng of ['vi', 'en'] as const)
				for (const enrolled of [true, false]) {
					const view = { lng, quiz: publicQuiz(lesson, lng), enrolled }
					if (!view.quiz.length) continue
					const template = await makeQuizTemplate(view)
					expect(template, `${lesson.id} ${lng}`).not.toBeNull()
					for (let i = 0; i < 3; i++) {
						const clientId = randomUUID()
						expect(fillQuizTemplate(template!, view.quiz, clientId)).toBe(await renderQuiz(view, clientId))
					}
					checked++
				}
	expect(checked).toBeGreaterThan(100)
})

// A graded quiz (in place, or the page after a full-page post) is kept per feedback when passed: the
// review names no client id. It must equal a fresh render for every client id; a failed attempt
// shows the form again, each with its own client id and order.
test('a passed quiz section kept per feedback is what Quiz renders for any client id; a failed one is rendered per client id', async () => {
	const feedbackOf = (lesson: ReturnType<typeof getManifest>['courses'][number]['lessons'][number], right: boolean, passMark: number) => {
		const quiz = lesson.quiz.vi!
		const answers = Object.fromEntries(quiz.map((q) => [q.id, q.options.find((o) => Boolean(o.correct) === right)!.id]))
		const result = gradeQuiz({ quiz, answers, passMark })
		return {
			...result,
			questions: learnerFeedback(
				result.questions.map((q) => ({ ...q, explanation: 'Giải thích' })),
				result.passed,
			),
			passMark,
			recorded: true,
			certificateCode: null,
		}
	}
	let checked = 0
	for (const course of getManifest().courses)
		for (const lesson of course.lessons) {
			if (!lesson.quiz.vi?.length) continue
			for (const lng of ['vi', 'en'] as const) {
				const quiz = publicQuiz(lesson, lng)
				for (const right of [true, false]) {
					const feedback = feedbackOf(lesson, right, course.passMark)
					expect(feedback.passed).toBe(right)
					const ids = [randomUUID(), randomUUID()]
					const sections = []
					for (const clientId of ids) {
						const section = await gradedQuizHtml({ lng, lessonId: lesson.id, quiz, canRecord: true, feedback, clientId })
						expect(section).toBe(await renderQuiz({ lng, quiz, enrolled: true }, clientId, feedback))
						sections.push(section)
					}
					if (right) expect(sections[0]).toContain('class="quiz-review"')
					else for (const [i, section] of sections.entries()) expect(section).toContain(`value="${ids[i]}"`)
					if (right) {
						// The attempt that completes a course links its own new certificate: kept once, filled per code.
						for (const certificateCode of ['ABCDEFGH23', 'ZZXY987654', 'abc<"&>']) {
							const withCode = { ...feedback, certificateCode }
							const section = await gradedQuizHtml({ lng, lessonId: lesson.id, quiz, canRecord: true, feedback: withCode, clientId: ids[0]! })
							expect(section).toBe(await renderQuiz({ lng, quiz, enrolled: true }, ids[0]!, withCode))
							if (certificateCode === 'abc<"&>') expect(section).not.toContain('abc<"&>')
							else expect(section).toContain(`href="/certificates/${certificateCode}"`)
							expect(section).not.toContain('CERT0MARK1')
						}
					}
				}
				checked++
			}
		}
	expect(checked).toBeGreaterThan(50)
})
