import { createCookie } from '@remix-run/node'
import { createInstance, type TFunction } from 'i18next'
import { RemixI18Next } from 'remix-i18next/server'
import i18n, { fallbackLng, isLng, type Lng, supportedLngs } from './i18n.ts'

// One year; a shared family phone keeps the language it was set to.
export const lngCookie = createCookie('lng', { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 31_536_000 })

/** Language from the URL (?lng=en) first, then the cookie; never Accept-Language (Vietnamese stays the default). */
export const i18next = new RemixI18Next({
	detection: {
		supportedLanguages: [...supportedLngs],
		fallbackLanguage: fallbackLng,
		cookie: lngCookie,
		searchParamKey: 'lng',
		order: ['searchParams', 'cookie'],
	},
	i18next: { ...i18n },
})

export async function getLng(request: Request): Promise<Lng> {
	const lng = await i18next.getLocale(request)
	return isLng(lng) ? lng : fallbackLng
}

const fixed = new Map<Lng, TFunction>()
/** A translation function for server code (errors, emails, exports) that is not a component. */
export async function getFixedT(lngOrRequest: Lng | Request): Promise<TFunction> {
	const lng = typeof lngOrRequest === 'string' ? lngOrRequest : await getLng(lngOrRequest)
	let t = fixed.get(lng)
	if (!t) {
		const instance = createInstance()
		await instance.init({ ...i18n, lng })
		t = instance.t
		fixed.set(lng, t)
	}
	return t
}
