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
	note?: string
}

/** Horizontal bars, one per item, values in % (0–100+). */
export function RankingChart({ items, label, unit = '%' }: { items: RankItem[]; label: string; unit?: string }) {
	const rowHeight = 22
	const labelWidth = 170
	const barWidth = 260
	const max = Math.max(100, ...items.map((i) => i.value ?? 0))
	const height = items.length * rowHeight + 8
	return (
		<svg className="chart" role="img" aria-label={label} viewBox={`0 0 ${labelWidth + barWidth + 90} ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
			<title>{label}</title>
			{items.map((item, i) => {
				const y = i * rowHeight + 4
				const w = item.value === null ? 0 : Math.max(1, (item.value / max) * barWidth)
				const colour = item.rag ? RAG_COLOURS[item.rag] : NEUTRAL
				return (
					<g key={`${item.label}-${i}`}>
						<text x={labelWidth - 6} y={y + 14} textAnchor="end" fontSize="12">
							{item.label.length > 26 ? `${item.label.slice(0, 25)}…` : item.label}
						</text>
						<rect x={labelWidth} y={y + 3} width={barWidth} height={rowHeight - 8} fill="#f3f4f6" />
						{item.value === null ? null : <rect x={labelWidth} y={y + 3} width={w} height={rowHeight - 8} fill={colour} />}
						<text x={labelWidth + (item.value === null ? 4 : w + 4)} y={y + 14} fontSize="12" fill={item.value === null ? '#6b7280' : '#111827'}>
							{item.value === null ? item.note : `${item.value}${unit}`}
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

/** Grouped vertical bars: one group per period, one bar per series, with a legend. */
export function TrendChart({ periods, series, label }: { periods: string[]; series: Series[]; label: string }) {
	const height = 200
	const top = 24
	const bottom = 36
	const left = 44
	const groupWidth = Math.max(24, Math.min(60, 560 / Math.max(1, periods.length)))
	const width = left + groupWidth * periods.length + 10
	const max = Math.max(1, ...series.flatMap((s) => s.values))
	const scale = (v: number) => ((height - top - bottom) * v) / max
	const barWidth = (groupWidth - 6) / Math.max(1, series.length)
	const ticks = [0, Math.round(max / 2), max]
	return (
		<svg className="chart" role="img" aria-label={label} viewBox={`0 0 ${Math.max(width, 320)} ${height + 22}`} width="100%" preserveAspectRatio="xMinYMin meet">
			<title>{label}</title>
			{ticks.map((t) => (
				<g key={t}>
					<line x1={left} x2={width} y1={height - bottom - scale(t)} y2={height - bottom - scale(t)} stroke="#e5e7eb" />
					<text x={left - 4} y={height - bottom - scale(t) + 4} fontSize="10" textAnchor="end">
						{t}
					</text>
				</g>
			))}
			{periods.map((p, i) => (
				<g key={p}>
					{series.map((s, j) => {
						const v = s.values[i] ?? 0
						return <rect key={s.name} x={left + i * groupWidth + 3 + j * barWidth} y={height - bottom - scale(v)} width={barWidth - 1} height={scale(v)} fill={s.colour} />
					})}
					<text x={left + i * groupWidth + groupWidth / 2} y={height - bottom + 14} fontSize="10" textAnchor="middle">
						{p}
					</text>
				</g>
			))}
			{series.map((s, j) => (
				<g key={s.name}>
					<rect x={left + j * 170} y={height + 4} width="12" height="12" fill={s.colour} />
					<text x={left + j * 170 + 16} y={height + 14} fontSize="11">
						{s.name}
					</text>
				</g>
			))}
		</svg>
	)
}
