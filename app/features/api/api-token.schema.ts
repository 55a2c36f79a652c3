import { z } from 'zod'
import { freeText } from '#app/utils/input.ts'

/** Creating a token: a name that says which system uses it, and the province it reads. */
export const CreateApiTokenSchema = z.object({
	intent: z.literal('create'),
	name: freeText({
		min: 2,
		max: 80,
		messages: {
			required: 'province:api.errors.nameRequired',
			tooShort: 'province:api.errors.nameRequired',
			tooLong: 'province:api.errors.nameTooLong',
			invalid: 'province:api.errors.nameInvalid',
		},
	}),
	provinceCode: z.string({ required_error: 'province:api.errors.provinceRequired' }).regex(/^\d{2}$/, 'province:api.errors.provinceRequired'),
})

export const RevokeApiTokenSchema = z.object({
	intent: z.literal('revoke'),
	tokenId: z.string({ required_error: 'province:api.errors.tokenUnknown' }).min(1).max(40, 'province:api.errors.tokenUnknown'),
	// Only the confirm step's button sends it (the page's ?revoke=<id>): one tap never revokes.
	confirmed: z.literal('yes', { errorMap: () => ({ message: 'province:api.errors.confirmFirst' }) }),
})
