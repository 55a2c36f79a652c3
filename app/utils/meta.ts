import { type MetaArgs } from '@remix-run/node'
import { fallbackLng, isLng, resources } from './i18n.ts'
import { titled } from './title.ts'

/** A key's text in the language the root loader chose, for a `meta` export (which cannot use hooks); undefined when missing. */
export function pageText(matches: MetaArgs['matches'], key: string): string | undefined {
	const root = matches.find((m) => m.id === 'root')?.data as { lng?: string } | undefined
	const lng = isLng(root?.lng) ? root.lng : fallbackLng
	const [ns, path] = key.includes(':') ? (key.split(':') as [string, string]) : ['common', key]
	let value: unknown = (resources[lng] as Record<string, unknown>)[ns]
	for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part]
	return typeof value === 'string' ? value : undefined
}

/** A localised <title> from a `meta` export: the key's text and the product's name. */
export function pageTitle(matches: MetaArgs['matches'], key: string): { title: string }[] {
	return [{ title: titled(pageText(matches, key)) }]
}
