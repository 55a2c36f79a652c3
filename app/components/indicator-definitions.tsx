import { useTranslation } from 'react-i18next'
import { METRICS } from '#app/kernel/metrics.ts'

/** How each indicator is counted, written on every page that shows them (docs/indicators.md). */
export function Definitions({ lng, heading }: { lng?: 'vi' | 'en'; heading?: string } = {}) {
	const { t } = useTranslation(undefined, { lng })
	return (
		<section className="definitions">
			<h2>{heading ?? t('province:dashboard.definitions')}</h2>
			<dl>
				{METRICS.map((m) => (
					<div key={m.id}>
						<dt>{t(m.labels.indicator)}</dt>
						<dd>{t(m.labels.definition)}</dd>
					</div>
				))}
				<div key="coverage">
					<dt>{t('province:indicators.coverage')}</dt>
					<dd>{t('province:definitions.coverage')}</dd>
				</div>
				<div key="rag">
					<dt>{`${t('province:rag.green')} / ${t('province:rag.amber')} / ${t('province:rag.red')}`}</dt>
					<dd>{t('province:definitions.rag')}</dd>
				</div>
			</dl>
		</section>
	)
}
