/**
 * Where the e2e server keeps its data, shared by playwright.config.ts (which starts the server) and
 * the login fixture (which reads the sessions minted for it). A fresh folder on every run.
 */
export const E2E_DATA_DIR = process.env.E2E_DATA_DIR ?? './data/pglite-e2e'
/** Session tokens of the demo logins, made before the server starts (tests/e2e/mint-sessions.ts). */
export const E2E_SESSIONS_FILE = `${E2E_DATA_DIR}-sessions.json`
