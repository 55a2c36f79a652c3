import type http from 'node:http'
import type { Socket } from 'node:net'

/**
 * Lingering close, as nginx does it (`lingering_close`): when the server answers before it has
 * received the whole request body (a body over a limit, a forged origin, a route that refuses
 * early) it ends the connection with `Connection: close` and does not read the rest into memory.
 * Node then closes the socket at once; with the client's unread bytes still in it the kernel
 * answers with a reset, and the client may lose the answer it was about to read: a phone shows
 * "connection reset" instead of the localised 413 or 403.
 *
 * Here such a connection is half-closed instead: the answer and a FIN go out, what the client
 * still sends is received and dropped (never stored), and the socket is closed when the client
 * closes its side or after `ms`, whichever comes first. A request read to its end closes as before.
 */
export function lingerOnEarlyAnswer(server: http.Server, ms = LINGER_MS) {
	const current = new WeakMap<Socket, http.IncomingMessage>()
	server.prependListener('request', (req: http.IncomingMessage) => current.set(req.socket, req))
	server.on('connection', (socket: Socket & { destroySoon?: () => void }) => {
		const plain = socket.destroySoon
		if (typeof plain !== 'function') return
		// Node's HTTP server calls destroySoon when an answer marked `Connection: close` has been sent.
		socket.destroySoon = function destroySoon(this: Socket) {
			const req = current.get(this)
			if (!req || req.complete || this.destroyed) return plain.call(this)
			linger(this, req, ms)
		}
	})
}

/** How long a half-closed connection may keep sending what the server no longer wants. */
export const LINGER_MS = 5_000

function linger(socket: Socket, req: http.IncomingMessage, ms: number) {
	const timer = setTimeout(() => socket.destroy(), ms)
	socket.once('close', () => clearTimeout(timer))
	// Once the answer has gone out whole, the client ending its side (it has read the answer) or
	// its body leaves nothing to wait for.
	const close = () => (socket.writableFinished ? socket.destroy() : socket.once('finish', () => socket.destroy()))
	socket.once('end', close)
	req.once('end', close)
	// Whoever read the body paused it on refusing; the rest is now received and dropped.
	req.resume()
	if (socket.writable) socket.end()
}
