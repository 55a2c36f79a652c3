import { type MetaArgs } from '@remix-run/node'
import { fallbackLng, isLng, resources } from './i18n.ts'
import { titled } from './title.ts'

/**
 * A localised <title> from a `meta` export, which cannot use hooks: looks the key up in the
 * bundled resources for the language the root loader chose.
 */
export function pageTitle(matches: MetaArgs['matches'], key: string): { title: string }[] {
	const root = matches.find((m) => m.id === 'root')?.data as { lng?: string } | undefined
	const lng = isLng(root?.lng) ? root.lng : fallbackLng
	const [ns, path] = key.includes(':') ? (key.split(':') as [string, string]) : ['common', key]
	let value: unknown = (resources[lng] as Record<string, unknown>)[ns]
	for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part]
	return [{ title: titled(typeof value === 'string' ? value : undefined) }]
}
