import { z } from 'zod'
import { PhoneSchema, PinSchema } from './people.schema.ts'

export const LoginSchema = z.object({
	phone: PhoneSchema,
	secret: z.string({ required_error: 'auth:errors.secretRequired' }).max(128, 'auth:errors.badLogin'),
	redirectTo: z.string().max(500).optional(),
})

export const SetupSchema = z
	.object({
		phone: PhoneSchema,
		code: z
			.string({ required_error: 'auth:errors.setupCodeRequired' })
			.max(40, 'auth:errors.setupCodeInvalid'),
		pin: PinSchema,
		pinAgain: z.string({ required_error: 'auth:errors.pinRequired' }).max(20, 'auth:errors.pinMismatch'),
	})
	.refine((v) => v.pin === v.pinAgain, { path: ['pinAgain'], message: 'auth:errors.pinMismatch' })
