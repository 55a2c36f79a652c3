/** Indicator vocabulary shared by server modules and pages (no server code here). */
export type Granularity = 'month' | 'quarter' | 'year'
export const GRANULARITIES: Granularity[] = ['month', 'quarter', 'year']

/** Indicators a province can set a yearly target for, per commune. */
export const TARGET_INDICATORS = ['coverage', 'registered', 'basicSkills', 'certificates'] as const
export type TargetIndicator = (typeof TARGET_INDICATORS)[number]

export const BREAKDOWNS = ['sex', 'ageBand', 'ethnicGroup', 'learnerGroup'] as const
export type Breakdown = (typeof BREAKDOWNS)[number]

export const EXPORT_FORMATS = ['csv', 'xlsx', 'json', 'dhis2', 'adx'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]
