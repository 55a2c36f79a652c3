/**
 * Why a certificate was revoked, from a fixed list: the public verification page shows these in
 * localised words (learning:certificate.reasons.*). An officer's free text once printed there held
 * a resident's phone and village (issue #16), so free text is kept only as an internal note.
 * Pure: shared by the revocation form in the browser and the server.
 */
export const REVOCATION_REASONS = ['ISSUED_IN_ERROR', 'WRONG_PERSON', 'HOLDER_REQUEST', 'FRAUD', 'OTHER'] as const
export type RevocationReasonCode = (typeof REVOCATION_REASONS)[number]
