import { z } from 'zod'

/** The shapes of content/courses/*: course.yml and each lesson's frontmatter (content/README.md). */
const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
const localised = z.object({ vi: z.string().min(1), en: z.string().min(1) })

export const CourseYamlSchema = z.object({
	id: slug,
	order: z.number().int().min(0),
	title: localised,
	summary: localised,
	minutes: z.number().int().positive(),
	sequential: z.boolean(),
	passMark: z.number().int().min(1).max(100),
	core: z.boolean(),
})
export type CourseYaml = z.infer<typeof CourseYamlSchema>

export const QuizQuestionSchema = z.object({
	id: z.string().regex(/^[a-z0-9-]+$/),
	question: z.string().min(1),
	options: z
		.array(z.object({ id: z.string().regex(/^[a-z0-9-]+$/), text: z.string().min(1), correct: z.boolean().optional() }))
		.min(2)
		.max(5),
	explanation: z.string().min(1),
})
export type QuizQuestion = z.infer<typeof QuizQuestionSchema>

export const LessonFrontmatterSchema = z.object({
	id: slug,
	title: z.string().min(1),
	minutes: z.number().int().positive(),
	quiz: z.array(QuizQuestionSchema).optional(),
})
export type LessonFrontmatter = z.infer<typeof LessonFrontmatterSchema>

export const ALLOWED_COMPONENTS = ['Steps', 'Tip', 'Warning', 'PhoneScreen', 'Tap', 'Figure', 'Term', 'Quiz'] as const
export const LANGUAGES = ['vi', 'en'] as const
