import enAudit from '#app/locales/en/audit.json'
import { formatValue } from '#app/kernel/format.ts'
import enAuth from '#app/locales/en/auth.json'
import enCommon from '#app/locales/en/common.json'
import enCourse from '#app/locales/en/course.json'
import enErasure from '#app/locales/en/erasure.json'
import enLearning from '#app/locales/en/learning.json'
import enMydata from '#app/locales/en/mydata.json'
import enOffline from '#app/locales/en/offline.json'
import enPrivacy from '#app/locales/en/privacy.json'
import enProvince from '#app/locales/en/province.json'
import enStaff from '#app/locales/en/staff.json'
import enVoice from '#app/locales/en/voice.json'
import enWorkspace from '#app/locales/en/workspace.json'
import viAudit from '#app/locales/vi/audit.json'
import viAuth from '#app/locales/vi/auth.json'
import viCommon from '#app/locales/vi/common.json'
import viCourse from '#app/locales/vi/course.json'
import viErasure from '#app/locales/vi/erasure.json'
import viLearning from '#app/locales/vi/learning.json'
import viMydata from '#app/locales/vi/mydata.json'
import viOffline from '#app/locales/vi/offline.json'
import viPrivacy from '#app/locales/vi/privacy.json'
import viProvince from '#app/locales/vi/province.json'
import viStaff from '#app/locales/vi/staff.json'
import viVoice from '#app/locales/vi/voice.json'
import viWorkspace from '#app/locales/vi/workspace.json'

export const supportedLngs = ['vi', 'en'] as const
export type Lng = (typeof supportedLngs)[number]
export const fallbackLng: Lng = 'vi'
export const defaultNS = 'common'

// One namespace per area (common, auth, course, learning, staff, province, offline, workspace, erasure,
// privacy, mydata, audit, voice), so areas are translated and reviewed independently. Keys: `t('auth:register.title')`.
export const resources = {
	vi: {
		common: viCommon,
		auth: viAuth,
		course: viCourse,
		learning: viLearning,
		staff: viStaff,
		province: viProvince,
		offline: viOffline,
		privacy: viPrivacy,
		workspace: viWorkspace,
		erasure: viErasure,
		mydata: viMydata,
		audit: viAudit,
		voice: viVoice,
	},
	en: {
		common: enCommon,
		auth: enAuth,
		course: enCourse,
		learning: enLearning,
		staff: enStaff,
		province: enProvince,
		offline: enOffline,
		privacy: enPrivacy,
		workspace: enWorkspace,
		erasure: enErasure,
		mydata: enMydata,
		audit: enAudit,
		voice: enVoice,
	},
} as const
export const namespaces = Object.keys(resources.vi) as (keyof (typeof resources)['vi'])[]

export function isLng(value: unknown): value is Lng {
	return typeof value === 'string' && (supportedLngs as readonly string[]).includes(value)
}

export default {
	supportedLngs: [...supportedLngs],
	fallbackLng,
	defaultNS,
	ns: namespaces,
	resources,
	// Every number put into a sentence is written the language's way (18.500 / 18,500): app/kernel/format.ts.
	interpolation: { escapeValue: false, alwaysFormat: true, format: formatValue },
}
