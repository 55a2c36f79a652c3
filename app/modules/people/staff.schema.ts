import { z } from 'zod'
import { FullNameSchema, PhoneSchema } from './people.schema.ts'

export const AppointStaffSchema = z.object({
	phone: PhoneSchema,
	fullName: FullNameSchema,
	role: z.enum(['COMMUNE_STAFF', 'PROVINCE_OFFICER'], { errorMap: () => ({ message: 'auth:staffAdmin.roleRequired' }) }),
	communeCode: z
		.string()
		.regex(/^\d{5}$/, 'auth:errors.communeUnknown')
		.optional(),
	provinceCode: z
		.string()
		.regex(/^\d{2}$/, 'auth:errors.provinceRequired')
		.optional(),
})
