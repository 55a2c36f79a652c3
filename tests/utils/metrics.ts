import type { Counter } from 'prom-client'
import { metrics } from '#app/utils/metrics.server.ts'

type Outcomes<T extends string> = Record<T, number>

/** A labelled counter's value per label value (0 for those not yet counted), read as /metrics would. */
export async function counterBy<T extends string>(counter: Counter<string>, label: string, values: readonly T[]): Promise<Outcomes<T>> {
	const { values: samples } = await counter.get()
	return Object.fromEntries(values.map((v) => [v, samples.filter((s) => s.labels[label] === v).reduce((sum, s) => sum + s.value, 0)])) as Outcomes<T>
}

const SYNC = ['accepted', 'replayed', 'refused', 'kept'] as const
const IMPORTS = ['done', 'refused', 'failed', 'interrupted'] as const

/** Offline sync events counted so far in this process, by outcome. */
export const syncOutcomes = () => counterBy(metrics.syncEvents, 'outcome', SYNC)
/** Import jobs counted so far in this process, by outcome, and the rows they registered. */
export async function importOutcomes() {
	const rows = (await metrics.importRows.get()).values.reduce((sum, s) => sum + s.value, 0)
	return { ...(await counterBy(metrics.importJobs, 'outcome', IMPORTS)), rows }
}

/** What changed between two readings. */
export function delta<T extends Record<string, number>>(before: T, after: T): T {
	return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)])) as T
}
