import { z } from 'zod'
import { isVoiceLanguage } from '#app/kernel/voices.ts'

/** The fields sent with a recording (the file itself is checked by content in audio.server.ts). */
export const UploadSchema = z.object({
	language: z.string().refine(isVoiceLanguage, 'voice:errors.badLanguage'),
	dialectNote: z
		.string()
		.trim()
		.max(120, 'voice:errors.noteTooLong')
		// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
		.refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'common:errors.badInput'),
	section: z
		.string()
		.trim()
		.transform((s, ctx) => {
			if (s === '') return null
			const n = Number(s)
			if (!Number.isInteger(n) || n < 1 || n > 50) {
				ctx.addIssue({ code: 'custom', message: 'voice:errors.badSection' })
				return z.NEVER
			}
			return n
		}),
	grant: z
		.string()
		.max(40)
		.transform((s) => s || null),
})

export const ReviewSchema = z.object({
	recordingId: z.string().min(1).max(40),
	intent: z.enum(['approve', 'take-down']),
})

export const GrantSchema = z.object({
	phone: z.string().trim().min(1, 'voice:errors.noSuchPerson').max(20),
	provinceCode: z.string().regex(/^\d{2}$/, 'common:errors.badInput'),
	communeCode: z
		.string()
		.trim()
		.regex(/^(\d{5})?$/, 'voice:errors.badCommune')
		.transform((s) => s || null),
})
