/**
 * Where the process is in its life, shared by the HTTP server (server/index.ts, build/server.js)
 * and the Remix build it loads, which has its own copy of every module: so it lives on globalThis,
 * like the metrics registry.
 *
 * Shutdown order in the server (README, "Rolling restart"; ADR 029): SIGTERM → `draining` (the
 * healthcheck answers 503 "draining") → no new connections, requests in flight finish → the
 * database is closed last, through `closeDatabase`. Scripts that open the database without the
 * server (CLI commands, fixtures) keep the database module's own signal handling.
 */
export interface Lifecycle {
	/** Set when SIGTERM or SIGINT arrives: the process takes no new work and should leave rotation. */
	draining: boolean
	/** Set by the HTTP server before it loads the app: it owns the signals and closes the database after its requests. */
	serverDrains: boolean
	/** Registered by the database module once open: waits for running transactions, then closes the pools. */
	closeDatabase?: () => Promise<void>
}

const store = globalThis as unknown as { __hvsLifecycle?: Lifecycle }
export const lifecycle: Lifecycle = (store.__hvsLifecycle ??= { draining: false, serverDrains: false })
