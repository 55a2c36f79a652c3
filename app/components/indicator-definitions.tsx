import { useTranslation } from 'react-i18next'

const METRICS = ['registered', 'enrolments', 'active', 'completions', 'basicSkills', 'certificates'] as const

/** How each indicator is counted, written on every page that shows them (docs/indicators.md). */
export function Definitions() {
	const { t } = useTranslation()
	return (
		<section className="definitions">
			<h2>{t('province:dashboard.definitions')}</h2>
			<dl>
				{([...METRICS, 'coverage', 'rag'] as const).map((m) => (
					<div key={m}>
						<dt>{m === 'rag' ? `${t('province:rag.green')} / ${t('province:rag.amber')} / ${t('province:rag.red')}` : t(`province:indicators.${m}`)}</dt>
						<dd>{t(`province:definitions.${m}`)}</dd>
					</div>
				))}
			</dl>
		</section>
	)
}
