import enCommon from '#app/locales/en/common.json'
import viCommon from '#app/locales/vi/common.json'

export const supportedLngs = ['vi', 'en'] as const
export type Lng = (typeof supportedLngs)[number]
export const fallbackLng: Lng = 'vi'
export const defaultNS = 'common'

export const resources = {
	vi: { common: viCommon },
	en: { common: enCommon },
} as const

export function isLng(value: unknown): value is Lng {
	return typeof value === 'string' && (supportedLngs as readonly string[]).includes(value)
}

export default {
	supportedLngs: [...supportedLngs],
	fallbackLng,
	defaultNS,
	resources,
	interpolation: { escapeValue: false },
}
