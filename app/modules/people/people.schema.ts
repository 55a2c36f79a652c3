import { z } from 'zod'
import { ETHNICITY_NOT_STATED, ethnicGroupAnswers, LEARNER_GROUPS, SEXES, statesEthnicGroup } from '#app/kernel/demographics.ts'
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
	// Optional (ADR 018): left empty or "Không muốn trả lời" is stored as not stated; a group needs ethnicityConsent.
	ethnicGroup: z
		.string()
		.max(20, 'auth:errors.ethnicGroupRequired')
		.optional()
		.transform((v) => v || ETHNICITY_NOT_STATED)
		.refine((v) => ethnicGroupAnswers.includes(v), 'auth:errors.ethnicGroupRequired'),
	// A ticked box: the person agrees that their ethnic group (sensitive data, Decree 13/2023) is kept.
	ethnicityConsent: z.boolean().optional(),
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

/** An ethnic group is kept only with its own consent; otherwise the form asks for it or for "Không muốn trả lời". */
export function refineEthnicity(value: { ethnicGroup: string; ethnicityConsent?: boolean }, ctx: z.RefinementCtx) {
	if (statesEthnicGroup(value.ethnicGroup) && !value.ethnicityConsent) {
		ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['ethnicityConsent'], message: 'privacy:errors.ethnicityConsentRequired' })
	}
}

/** The person agrees to the notice (self-registration, VNeID): a ticked box. */
export const NoticeConsentFields = {
	consent: z.boolean({ required_error: 'privacy:errors.consentRequired' }).refine((v) => v, 'privacy:errors.consentRequired'),
}

/** Staff confirm they read or explained the notice to the resident, who agreed. */
export const NoticeGivenFields = {
	noticeGiven: z.boolean({ required_error: 'privacy:errors.noticeGivenRequired' }).refine((v) => v, 'privacy:errors.noticeGivenRequired'),
}

export const ProfileObject = z.object(ProfileFields)
export const ProfileSchema = ProfileObject.superRefine(refineEthnicity)
export type Profile = z.infer<typeof ProfileObject>

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

export const ResidentRegistrationSchema = z
	.object({ phone: PhoneSchema, ...ProfileFields, ...SecretFields, ...NoticeConsentFields })
	.superRefine(refineSecret)
	.superRefine(refineEthnicity)

/** VNeID: the details a VNeID sign-in lacks, with the notice agreed to. */
export const CompleteProfileSchema = z.object({ ...ProfileFields, ...NoticeConsentFields }).superRefine(refineEthnicity)

/** Staff register a resident: the notice given, and its consents, confirmed by the staff member. */
export const AssistedRegistrationSchema = z
	.object({ phone: PhoneSchema, ...ProfileFields, ...NoticeGivenFields, courseId: z.array(z.string().max(60)).max(20).optional() })
	.superRefine(refineEthnicity)

/** A correction of one's profile (the resident on /me/profile). */
export const ProfileCorrectionSchema = ProfileSchema

/** Staff correct a resident's profile only when the resident asks: they confirm it. */
export const StaffCorrectionSchema = z
	.object({
		...ProfileFields,
		requested: z.boolean({ required_error: 'privacy:errors.requestedRequired' }).refine((v) => v, 'privacy:errors.requestedRequired'),
	})
	.superRefine(refineEthnicity)
export type ResidentRegistration = z.infer<typeof ResidentRegistrationSchema>
