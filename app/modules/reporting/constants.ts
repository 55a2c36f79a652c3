/**
 * Indicator vocabulary shared by server modules and pages (no server code here). The metrics and the
 * target indicators are in app/kernel/metrics.ts, breakdowns and granularities in the kernel too.
 */
export const EXPORT_FORMATS = ['csv', 'xlsx', 'json', 'dhis2-metadata', 'dhis2', 'adx'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]
