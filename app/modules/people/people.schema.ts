import { z } from 'zod'
import { ethnicGroupCodes, LEARNER_GROUPS, SEXES } from '#app/kernel/demographics.ts'
import { freeText } from '#app/utils/input.ts'
import { normalisePhone } from './phone.ts'
import { pinWeakness } from './pin-rules.ts'

// Messages are translation keys (auth namespace); forms show them with t().
export const PhoneSchema = z
	.string({ required_error: 'auth:errors.phoneRequired' })
	.max(30, 'auth:errors.phoneInvalid')
	.transform((v, ctx) => {
		const phone = normalisePhone(v)
		if (!phone) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'auth:errors.phoneInvalid' })
			return z.NEVER
		}
		return phone
	})

export const PinSchema = z
	.string({ required_error: 'auth:errors.pinRequired' })
	.regex(/^\d{6}$/, 'auth:errors.pinInvalid')
	.refine((v) => !pinWeakness(v), 'auth:errors.pinTooSimple')

/** The PIN rules including the person's birth year, when it is known (pin-rules.ts). */
export function refinePin(pin: string, birthYear: number | null | undefined, ctx: z.RefinementCtx, path: string[]) {
	const weakness = /^\d{6}$/.test(pin) ? pinWeakness(pin, birthYear) : null
	if (weakness) ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: weakness })
}

export const PasswordSchema = z
	.string({ required_error: 'auth:errors.passwordRequired' })
	.min(8, 'auth:errors.passwordTooShort')
	.max(128, 'auth:errors.passwordTooLong')

// A person's name: letters, spaces and ' . - only (no digits), NFC, spaces collapsed.
export const FullNameSchema = freeText({
	min: 2,
	max: 100,
	punctuation: "'.-",
	digits: false,
	messages: {
		required: 'auth:errors.nameRequired',
		tooShort: 'auth:errors.nameTooShort',
		tooLong: 'auth:errors.nameTooLong',
		invalid: 'auth:errors.nameInvalid',
	},
})

const thisYear = new Date().getFullYear()
export const BirthYearSchema = z.coerce
	.number({ required_error: 'auth:errors.birthYearRequired', invalid_type_error: 'auth:errors.birthYearInvalid' })
	.int('auth:errors.birthYearInvalid')
	.min(thisYear - 110, 'auth:errors.birthYearInvalid')
	.max(thisYear - 10, 'auth:errors.birthYearInvalid')

export const ProfileFields = {
	fullName: FullNameSchema,
	birthYear: BirthYearSchema,
	sex: z.enum(SEXES, { errorMap: () => ({ message: 'auth:errors.sexRequired' }) }),
	ethnicGroup: z.string({ required_error: 'auth:errors.ethnicGroupRequired' }).refine((v) => ethnicGroupCodes.includes(v), 'auth:errors.ethnicGroupRequired'),
	learnerGroup: z.enum(LEARNER_GROUPS, {
		errorMap: () => ({ message: 'auth:errors.learnerGroupRequired' }),
	}),
	provinceCode: z.string({ required_error: 'auth:errors.provinceRequired' }).regex(/^\d{2}$/, 'auth:errors.provinceRequired'),
	communeCode: z.string({ required_error: 'auth:errors.communeRequired' }).regex(/^\d{5}$/, 'auth:errors.communeUnknown'),
	village: freeText({
		max: 100,
		punctuation: ".,;-'/()",
		messages: { tooLong: 'auth:errors.villageTooLong', invalid: 'auth:errors.villageInvalid' },
	}).optional(),
}

export const ProfileSchema = z.object(ProfileFields)
export type Profile = z.infer<typeof ProfileSchema>

export const SecretFields = {
	secretKind: z.enum(['PIN', 'PASSWORD'], { errorMap: () => ({ message: 'auth:errors.secretKindRequired' }) }),
	secret: z.string({ required_error: 'auth:errors.secretRequired' }).max(128, 'auth:errors.passwordTooLong'),
}

/** PIN or password, checked against the kind chosen (and a PIN against the birth year given). */
export function refineSecret(value: { secretKind: 'PIN' | 'PASSWORD'; secret: string; birthYear?: number }, ctx: z.RefinementCtx) {
	const result = (value.secretKind === 'PIN' ? PinSchema : PasswordSchema).safeParse(value.secret)
	if (!result.success) {
		ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['secret'], message: result.error.issues[0]!.message })
	} else if (value.secretKind === 'PIN') {
		refinePin(value.secret, value.birthYear, ctx, ['secret'])
	}
}

export const ResidentRegistrationSchema = z.object({ phone: PhoneSchema, ...ProfileFields, ...SecretFields }).superRefine(refineSecret)
export type ResidentRegistration = z.infer<typeof ResidentRegistrationSchema>
