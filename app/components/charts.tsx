/**
 * Charts drawn as SVG on the server: nothing to download or run on a phone, and they print.
 * Each chart has a text alternative; the numbers are also in a table next to it.
 */
export const RAG_COLOURS = { green: '#15803d', amber: '#b45309', red: '#b91c1c' } as const
const NEUTRAL = '#1d4ed8'

export interface RankItem {
	label: string
	/** null = no value (e.g. population missing): drawn as a note, never as 0. */
	value: number | null
	rag?: 'red' | 'amber' | 'green' | null
	/** The status in words (the colour is not the only cue). */
	status?: string
	note?: string
}

/**
 * Horizontal bars, one per item, values in % (0–100+). Drawn 360 units wide, so on a 360 px phone
 * the text is at its real size (12 px); wider screens scale it up to the chart's max width.
 */
export function RankingChart({ items, label, unit = '%' }: { items: RankItem[]; label: string; unit?: string }) {
	const rowHeight = 24
	const labelWidth = 136
	const barWidth = 132
	const max = Math.max(100, ...items.map((i) => i.value ?? 0))
	const height = items.length * rowHeight + 8
	return (
		<svg
			className="chart chart-ranking"
			role="img"
			aria-label={label}
			viewBox={`0 0 ${labelWidth + barWidth + 92} ${height}`}
			width="100%"
			preserveAspectRatio="xMinYMin meet"
		>
			<title>{label}</title>
			{items.map((item, i) => {
				const y = i * rowHeight + 4
				const w = item.value === null ? 0 : Math.max(1, (item.value / max) * barWidth)
				const colour = item.rag ? RAG_COLOURS[item.rag] : NEUTRAL
				return (
					<g key={`${item.label}-${i}`}>
						<text x={labelWidth - 6} y={y + 14} textAnchor="end" fontSize="12">
							{item.label.length > 18 ? `${item.label.slice(0, 17)}…` : item.label}
						</text>
						<rect x={labelWidth} y={y + 3} width={barWidth} height={rowHeight - 8} fill="#f3f4f6" />
						{item.value === null ? null : <rect x={labelWidth} y={y + 3} width={w} height={rowHeight - 8} fill={colour} />}
						<text x={labelWidth + (item.value === null ? 4 : w + 4)} y={y + 14} fontSize="12" fill={item.value === null ? '#6b7280' : '#111827'}>
							{item.value === null ? item.note : `${item.value}${unit}${item.status ? ` ${item.status}` : ''}`}
						</text>
					</g>
				)
			})}
		</svg>
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
export function TrendChart({ periods, series, label }: { periods: string[]; series: Series[]; label: string }) {
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
						{t}
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
