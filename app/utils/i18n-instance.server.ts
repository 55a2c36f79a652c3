import { createInstance } from 'i18next'
import { initReactI18next } from 'react-i18next'
import i18n from './i18n.ts'

// One initialised i18next per language, shared by all requests (nothing per request changes it):
// initialising one per request cost more than rendering a lesson.
const instances = new Map<string, Promise<ReturnType<typeof createInstance>>>()

/** The shared i18next instance for server rendering in `lng` (pages and HTML fragments). */
export function i18nFor(lng: string) {
	let instance = instances.get(lng)
	if (!instance) {
		const created = createInstance()
		instance = created
			.use(initReactI18next)
			.init({ ...i18n, lng })
			.then(() => created)
		instances.set(lng, instance)
	}
	return instance
}
