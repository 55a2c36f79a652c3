/** Resident statuses of the resident list filter (shared by the server and the page). */
export const RESIDENT_STATUSES = ['not-enrolled', 'learning', 'completed', 'not-activated'] as const
export type ResidentStatus = (typeof RESIDENT_STATUSES)[number]
