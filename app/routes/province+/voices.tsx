import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { voiceLanguageName } from '#app/kernel/voices.ts'
import { getManifest } from '#app/modules/course/course.server.ts'
import { communeName, provinceName } from '#app/modules/units/units.server.ts'
import { voicesOverview } from '#app/modules/voice/voice.server.ts'
import { requireProvinceLevel } from '#app/utils/auth.server.ts'
import { getLng } from '#app/utils/i18n.server.ts'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'voice:overview.title')

/**
 * Which lessons have recordings in which languages, by the commune (or province) that recorded them,
 * and how many times learners played the published ones (anonymous counts).
 */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireProvinceLevel(request)
	const lng = await getLng(request)
	const rows = await voicesOverview(user.scope)
	const places = new Map<string, string>()
	for (const r of rows) {
		const key = r.communeCode ?? `p${r.provinceCode}`
		if (!places.has(key)) places.set(key, r.communeCode ? await communeName(r.communeCode, lng) : await provinceName(r.provinceCode, lng))
	}
	const lessons = getManifest().courses.flatMap((c) =>
		c.lessons.map((l) => {
			const mine = rows.filter((r) => r.lessonId === l.id)
			const byLanguage = new Map<string, { published: number; waiting: number; plays: number; places: Set<string> }>()
			for (const r of mine) {
				const entry = byLanguage.get(r.language) ?? { published: 0, waiting: 0, plays: 0, places: new Set<string>() }
				if (r.status === 'PUBLISHED') entry.published++
				if (r.status === 'PENDING' || r.status === 'NEEDS_REVIEW') entry.waiting++
				entry.plays += r.plays
				entry.places.add(places.get(r.communeCode ?? `p${r.provinceCode}`)!)
				byLanguage.set(r.language, entry)
			}
			return {
				id: l.id,
				course: c.title[lng]!,
				title: l.title[lng]!,
				languages: [...byLanguage].map(([code, e]) => ({
					code,
					name: voiceLanguageName(code, lng),
					published: e.published,
					waiting: e.waiting,
					plays: e.plays,
					places: [...e.places].join(', '),
				})),
			}
		}),
	)
	return {
		lessons,
		totals: { recordings: rows.length, published: rows.filter((r) => r.status === 'PUBLISHED').length, plays: rows.reduce((n, r) => n + r.plays, 0) },
	}
}

export default function VoicesOverview() {
	const { t } = useTranslation()
	const d = useLoaderData<typeof loader>()
	const recorded = d.lessons.filter((l) => l.languages.length)
	return (
		<div>
			<h1>{t('voice:overview.title')}</h1>
			<p>{t('voice:overview.totals', d.totals)}</p>
			<p className="hint">
				{t('voice:overview.coverage', { recorded: recorded.length, total: d.lessons.length })} ·&nbsp;
				<a href="/province/staff/narrators">{t('voice:narrators.title')}</a> ·&nbsp;<a href="/narrate/review">{t('voice:review.title')}</a>
			</p>
			<div className="table-scroll">
				<table>
					<thead>
						<tr>
							<th>{t('voice:overview.lesson')}</th>
							<th>{t('voice:overview.language')}</th>
							<th>{t('voice:overview.where')}</th>
							<th>{t('voice:overview.state')}</th>
							<th>{t('voice:overview.plays')}</th>
						</tr>
					</thead>
					<tbody>
						{recorded.flatMap((l) =>
							l.languages.map((lang, i) => (
								<tr key={`${l.id}:${lang.code}`}>
									{i === 0 ? (
										<td rowSpan={l.languages.length}>
											{l.title}
											<br />
											<span className="hint">{l.course}</span>
										</td>
									) : null}
									<td>{lang.name}</td>
									<td>{lang.places}</td>
									<td>{t('voice:overview.stateCounts', { published: lang.published, waiting: lang.waiting })}</td>
									<td>{lang.plays}</td>
								</tr>
							)),
						)}
					</tbody>
				</table>
			</div>
		</div>
	)
}
