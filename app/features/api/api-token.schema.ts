import { z } from 'zod'

/** Creating a token: a name that says which system uses it, and the province it reads. */
export const CreateApiTokenSchema = z.object({
	intent: z.literal('create'),
	name: z
		.string({ required_error: 'province:api.errors.nameRequired' })
		.trim()
		.min(2, 'province:api.errors.nameRequired')
		.max(80, 'province:api.errors.nameTooLong'),
	provinceCode: z.string({ required_error: 'province:api.errors.provinceRequired' }).regex(/^\d{2}$/, 'province:api.errors.provinceRequired'),
})

export const RevokeApiTokenSchema = z.object({
	intent: z.literal('revoke'),
	tokenId: z.string({ required_error: 'province:api.errors.tokenUnknown' }).min(1).max(40, 'province:api.errors.tokenUnknown'),
})
