/**
 * Charts drawn as SVG on the server: nothing to download or run on a phone, and they print.
 * Each chart has a text alternative; the numbers are also in a table next to it.
 */
export const RAG_COLOURS = { green: '#15803d', amber: '#b45309', red: '#b91c1c' } as const
const NEUTRAL = '#1d4ed8'

export interface RankItem {
	label: string
	/** The commune code, for tests and links. */
	commune?: string
	/** Its distance from what is expected (the ranking's order), for tests. */
	gap?: number | null
	/** null = no value (e.g. population missing): drawn as a note, never as 0. */
	value: number | null
	/** What is expected by the end of the period, in the same unit: drawn as a mark across the bar. */
	expected?: number | null
	rag?: 'red' | 'amber' | 'green' | null
	/** The words beside the bar: the value, what is expected and the status (the colour is not the only cue). */
	text: string
}

/**
 * A ranked list with a bar per item (values in %) and a mark at what is expected. HTML, not SVG, so
 * the words wrap on a 360 px phone, screen readers read the list in order, and it prints. The scale
 * is the largest value or expected level (not 100 %), so communes far below 100 % are still told apart.
 */
export function RankingChart({ items, label }: { items: RankItem[]; label: string }) {
	const max = Math.max(1, ...items.flatMap((i) => [i.value ?? 0, i.expected ?? 0])) * 1.02
	const share = (v: number) => `${Math.min(100, (v / max) * 100).toFixed(2)}%`
	return (
		<ol className="ranking" aria-label={label}>
			{items.map((item, i) => (
				<li key={`${item.label}-${i}`} data-commune={item.commune} data-gap={item.gap ?? undefined}>
					<span className="ranking-name">{item.label}</span> <span className="ranking-text">{item.text}</span>
					<span className="ranking-bar" aria-hidden="true">
						{item.value === null ? null : (
							<span className="ranking-value" style={{ width: share(item.value), background: item.rag ? RAG_COLOURS[item.rag] : NEUTRAL }} />
						)}
						{item.expected === null || item.expected === undefined ? null : <span className="ranking-expected" style={{ left: share(item.expected) }} />}
					</span>
				</li>
			))}
		</ol>
	)
}

export interface Series {
	name: string
	colour: string
	values: number[]
}

/** Short period labels under the bars: 03/25, Q1/25, 2025. */
function shortPeriod(period: string) {
	if (/^\d{4}$/.test(period)) return period
	const [year, rest] = period.split('-') as [string, string]
	return `${rest}/${year.slice(2)}`
}

/**
 * Grouped vertical bars: one group per period, one bar per series, with a legend. Drawn 360 units
 * wide (real size on a phone), bars narrowing as periods are added; the table beside it has the numbers.
 */
export function TrendChart({
	periods,
	series,
	label,
	n = String,
}: {
	periods: string[]
	series: Series[]
	label: string
	/** Writes the axis numbers the page's way (18.500 / 18,500). */
	n?: (value: number) => string
}) {
	const width = 360
	const top = 12
	const plot = 150
	const left = 40
	const groupWidth = (width - left - 6) / Math.max(1, periods.length)
	const max = Math.max(1, ...series.flatMap((s) => s.values))
	const scale = (v: number) => (plot * v) / max
	const barWidth = Math.max(1, (groupWidth - 4) / Math.max(1, series.length))
	const ticks = [...new Set([0, Math.round(max / 2), max])]
	const base = top + plot
	const legendTop = base + 44
	const height = legendTop + series.length * 18
	return (
		<svg className="chart chart-trend" role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
			<title>{label}</title>
			{ticks.map((t) => (
				<g key={t}>
					<line x1={left} x2={width - 4} y1={base - scale(t)} y2={base - scale(t)} stroke="#e5e7eb" />
					<text x={left - 4} y={base - scale(t) + 4} fontSize="11" textAnchor="end">
						{n(t)}
					</text>
				</g>
			))}
			{periods.map((p, i) => {
				const x = left + i * groupWidth
				return (
					<g key={p}>
						{series.map((s, j) => {
							const v = s.values[i] ?? 0
							return <rect key={s.name} x={x + 2 + j * barWidth} y={base - scale(v)} width={Math.max(1, barWidth - 1)} height={scale(v)} fill={s.colour} />
						})}
						<text x={x + groupWidth / 2} y={base + 8} fontSize="11" textAnchor="end" transform={`rotate(-50 ${x + groupWidth / 2} ${base + 8})`}>
							{shortPeriod(p)}
						</text>
					</g>
				)
			})}
			{series.map((s, j) => (
				<g key={s.name}>
					<rect x={left} y={legendTop + j * 18} width="12" height="12" fill={s.colour} />
					<text x={left + 18} y={legendTop + j * 18 + 11} fontSize="12">
						{s.name}
					</text>
				</g>
			))}
		</svg>
	)
}
