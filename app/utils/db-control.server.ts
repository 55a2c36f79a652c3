import { createHash } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { type PGlite } from '@electric-sql/pglite'

/**
 * The embedded database's control socket (ADR 021). Only one process may open a PGlite folder, so
 * the process that holds it — the server, or a CLI such as the seed — listens on a Unix socket
 * beside the folder (`data/.pglite.sock` for `data/pglite`), readable by the folder's owner only:
 * no port, no token, nothing nginx could forward. `npm run db:backup` asks it for a snapshot while
 * the server keeps serving. The socket is also the folder's lock: a second process finds it
 * answering and stops before opening the folder (two writers would corrupt it).
 */
export function controlSocketPath(dataDir: string) {
	const beside = path.join(path.dirname(dataDir), `.${path.basename(dataDir)}.sock`)
	// A Unix socket path is limited to about 104 bytes: a folder deep in the tree gets one named
	// after it in the temporary folder instead (the same name for the server and the commands).
	if (Buffer.byteLength(beside) <= 100) return beside
	return path.join(os.tmpdir(), `hvs-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}.sock`)
}

/**
 * Whether a live process holds the folder. A socket left by a killed process refuses connections;
 * a live holder accepts them at once (the kernel queues them), even while its event loop is busy, so
 * liveness never depends on how fast it answers. Its pid is asked for afterwards, for the message.
 */
export async function folderHolder(dataDir: string): Promise<{ pid: number | undefined } | null> {
	const socketPath = controlSocketPath(dataDir)
	if (!fs.existsSync(socketPath)) return null
	const alive = await new Promise<boolean>((resolve) => {
		const socket = net.connect(socketPath)
		socket.once('connect', () => {
			socket.destroy()
			resolve(true)
		})
		socket.once('error', () => resolve(false))
	})
	if (!alive) return null
	try {
		const response = await request(socketPath, '/status', 30_000)
		return { pid: (JSON.parse((await readAll(response)).toString('utf8')) as { pid: number }).pid }
	} catch {
		return { pid: undefined }
	}
}

/**
 * Listens on the folder's control socket, before the folder is opened (so it works as a lock).
 * Refuses when another live process holds the folder; removes a socket a killed process left behind.
 */
export async function serveControlSocket(dataDir: string, database: () => PGlite | undefined): Promise<{ close(): Promise<void> }> {
	const socketPath = controlSocketPath(dataDir)
	const holder = await folderHolder(dataDir)
	if (holder) throw new Error(`${holder.pid ? `process ${holder.pid}` : 'another process'} already has it open`)
	fs.rmSync(socketPath, { force: true })
	const server = http.createServer((req, res) => {
		if (req.method === 'GET' && req.url === '/status') {
			res.setHeader('Content-Type', 'application/json')
			return res.end(JSON.stringify({ pid: process.pid, dataDir }))
		}
		if (req.method === 'GET' && req.url === '/backup') {
			const client = database()
			if (!client) {
				res.writeHead(503, { 'Content-Type': 'text/plain' })
				return res.end('the database is still opening')
			}
			dumpFolder(client)
				.then(async (blob) => {
					const bytes = Buffer.from(await blob.arrayBuffer())
					res.writeHead(200, { 'Content-Type': 'application/gzip', 'Content-Length': bytes.length })
					res.end(bytes)
				})
				.catch((error: Error) => {
					res.writeHead(500, { 'Content-Type': 'text/plain' })
					res.end(error.message)
				})
			return
		}
		res.writeHead(404).end()
	})
	// Created readable and writable by the owner only (the socket is the folder's key).
	const umask = process.umask(0o077)
	try {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject)
			server.listen(socketPath, () => resolve())
		})
	} finally {
		process.umask(umask)
	}
	// The socket never keeps a process alive by itself (PGlite and the HTTP server decide that).
	server.unref()
	return {
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve())
				server.closeAllConnections()
				fs.rmSync(socketPath, { force: true })
			}),
	}
}

/**
 * PGlite's own dump of a folder: a gzip tarball, taken while no statement runs (it holds PGlite's
 * query lock), so it is what a crash at that instant would leave: every committed transaction,
 * recovered from the WAL when the copy is opened. A checkpoint first writes the changed pages out,
 * so the copy carries less WAL (smaller, and faster to open).
 */
export async function dumpFolder(client: PGlite) {
	await client.exec('CHECKPOINT')
	return client.dumpDataDir('gzip')
}

/** A GET on the control socket (for db:backup): the response, streamed. */
export function request(socketPath: string, pathname: string, timeoutMs = 5_000): Promise<http.IncomingMessage> {
	return new Promise((resolve, reject) => {
		const req = http.get({ socketPath, path: pathname, timeout: timeoutMs }, (res) => {
			if (res.statusCode !== 200) {
				readAll(res).then((b) => reject(new Error(`${pathname}: ${res.statusCode} ${b.toString('utf8')}`)), reject)
				return
			}
			resolve(res)
		})
		req.on('timeout', () => req.destroy(new Error(`${pathname}: no answer in ${timeoutMs} ms`)))
		req.on('error', reject)
	})
}

async function readAll(stream: NodeJS.ReadableStream) {
	const chunks: Buffer[] = []
	for await (const chunk of stream) chunks.push(chunk as Buffer)
	return Buffer.concat(chunks)
}
