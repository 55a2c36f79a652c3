import { z } from 'zod'
import { PhoneSchema, PinSchema, refineSecret, SecretFields } from './people.schema.ts'

export const LoginSchema = z.object({
	phone: PhoneSchema,
	secret: z.string({ required_error: 'auth:errors.secretRequired' }).max(128, 'auth:errors.badLogin'),
	redirectTo: z.string().max(500).optional(),
})

export const SetupSchema = z
	.object({
		phone: PhoneSchema,
		code: z.string({ required_error: 'auth:errors.setupCodeRequired' }).max(40, 'auth:errors.setupCodeInvalid'),
		pin: PinSchema,
		pinAgain: z.string({ required_error: 'auth:errors.pinRequired' }).max(20, 'auth:errors.pinMismatch'),
	})
	.refine((v) => v.pin === v.pinAgain, { path: ['pinAgain'], message: 'auth:errors.pinMismatch' })

/**
 * Changing one's own PIN or password (/me/security): the current secret, then the new one twice.
 * The birth year is the signed-in person's (the PIN rules refuse it inside a PIN).
 */
export function ChangeSecretSchema({ birthYear }: { birthYear: number | null }) {
	return z
		.object({
			current: z.string({ required_error: 'auth:errors.currentSecretRequired' }).max(128, 'auth:errors.currentSecretWrong'),
			...SecretFields,
			secretAgain: z.string({ required_error: 'auth:errors.secretAgainRequired' }).max(128, 'auth:errors.secretMismatch'),
		})
		.superRefine((value, ctx) => {
			refineSecret({ ...value, birthYear: birthYear ?? undefined }, ctx)
			if (value.secret !== value.secretAgain) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['secretAgain'], message: 'auth:errors.secretMismatch' })
		})
}
