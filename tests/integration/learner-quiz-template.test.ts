import { randomUUID } from 'node:crypto'
import { expect, test } from 'vitest'
import { fillQuizTemplate, makeQuizTemplate, renderQuiz } from '#app/learner-pages.server.tsx'
import { getManifest, publicQuiz } from '#app/modules/course/course.server.ts'

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
