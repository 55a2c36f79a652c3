import { createHash } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { pipeline, Readable } from 'node:stream'
import zlib from 'node:zlib'
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
			snapshotFolder(client, dataDir)
				.then((archive) => {
					res.writeHead(200, { 'Content-Type': 'application/gzip' })
					// A failure half-way ends the answer without its last chunk: db:backup reports it.
					pipeline(archive, res, (error) => error && res.destroy(error))
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
 * A snapshot of the folder for a backup: a gzip tarball in PGlite's own dump format (what
 * `new PGlite({ loadDataDir })` and db:restore open), streamed. A checkpoint first writes the
 * changed pages out (less WAL in the copy). Then, holding PGlite's query lock — no statement runs,
 * so the copy is what a crash at that instant would leave: every committed transaction, recovered
 * from the WAL when it is opened — the folder's files are copied beside it (a copy-on-write clone
 * where the file system can, else a plain copy at disk speed). Requests wait only for that copy;
 * the archive is then written and compressed from the copy while they go on, a file at a time:
 * nothing is held in memory. Needs free disk beside the folder for one copy while it runs.
 * (PGlite's `dumpDataDir` held the lock while it read every file into memory, built the archive
 * there and compressed it: 157 s and several GB at 100,000 residents, docs/benchmarks.md.)
 */
export async function snapshotFolder(client: PGlite, dataDir: string): Promise<Readable> {
	await client.exec('CHECKPOINT')
	const prefix = `.${path.basename(dataDir)}.snapshot-`
	// Copies a killed process left behind (the ones in progress here are kept).
	for (const name of fs.readdirSync(path.dirname(dataDir))) {
		const left = path.join(path.dirname(dataDir), name)
		if (name.startsWith(prefix) && !snapshotsInProgress.has(left)) fs.rmSync(left, { recursive: true, force: true })
	}
	const holder = fs.mkdtempSync(path.join(path.dirname(dataDir), prefix))
	snapshotsInProgress.add(holder)
	const removeCopy = () => {
		snapshotsInProgress.delete(holder)
		fs.rmSync(holder, { recursive: true, force: true })
	}
	const copy = path.join(holder, 'data')
	try {
		const started = Date.now()
		await client._runExclusiveQuery(() => fs.promises.cp(dataDir, copy, { recursive: true, mode: fs.constants.COPYFILE_FICLONE }))
		console.log(`backup snapshot: the folder copied in ${Date.now() - started} ms (database requests waited that long); archiving it`)
	} catch (error) {
		removeCopy()
		throw error
	}
	// Output in pieces as large as the input's (few turns of the event loop); the fastest level:
	// this shares the machine with the requests, and empty pages compress well at any level.
	const gzip = zlib.createGzip({ chunkSize: 1024 * 1024, level: zlib.constants.Z_BEST_SPEED })
	pipeline(Readable.from(tarPieces(copy), { objectMode: false }), gzip, () => removeCopy())
	return gzip
}

const snapshotsInProgress = new Set<string>()

/**
 * A folder as a ustar archive, named as PGlite's own dump names its entries ("/base/1/…", relative
 * to the folder, directories included) so that PGlite's loader reads it back. Read synchronously
 * and handed on in pieces of about 4 MB: on a busy server every asynchronous step waits for a turn
 * of the event loop behind the requests, and small steps made a 40 MB folder take minutes.
 */
function* tarPieces(root: string): Generator<Buffer> {
	const PIECE = 4 * 1024 * 1024
	let pending: Buffer[] = []
	let bytes = 0
	const add = (buffer: Buffer) => {
		pending.push(buffer)
		bytes += buffer.length
	}
	const take = () => {
		const piece = Buffer.concat(pending)
		pending = []
		bytes = 0
		return piece
	}
	const walk = function* (dir: string, prefix: string): Generator<Buffer> {
		for (const name of fs.readdirSync(dir)) {
			const full = path.join(dir, name)
			const entry = `${prefix}/${name}`
			const stat = fs.lstatSync(full)
			if (stat.isDirectory()) {
				add(tarHeader(entry, stat, 5, 0))
				yield* walk(full, entry)
			} else if (stat.isFile()) {
				add(tarHeader(entry, stat, 0, stat.size))
				const fd = fs.openSync(full, 'r')
				try {
					for (let position = 0; position < stat.size; ) {
						const chunk = Buffer.allocUnsafe(Math.min(PIECE, stat.size - position))
						const read = fs.readSync(fd, chunk, 0, chunk.length, position)
						if (read !== chunk.length) throw new Error(`${entry} changed while it was archived`)
						add(chunk)
						position += read
						if (bytes >= PIECE) yield take()
					}
				} finally {
					fs.closeSync(fd)
				}
				if (stat.size % 512) add(Buffer.alloc(512 - (stat.size % 512)))
			}
			if (bytes >= PIECE) yield take()
		}
	}
	yield* walk(root, '')
	add(Buffer.alloc(1024)) // the end of the archive: two empty records
	yield take()
}

function tarHeader(name: string, stat: fs.Stats, type: 0 | 5, size: number) {
	if (Buffer.byteLength(name) > 99) throw new Error(`${name}: a path too long for the archive`)
	const octal = (n: number, digits: number) => `${n.toString(8).padStart(digits, '0')}\0`
	const header = Buffer.alloc(512)
	header.write(name, 0)
	header.write(octal(stat.mode & 0o777, 7), 100)
	header.write(octal(0, 7), 108) // uid
	header.write(octal(0, 7), 116) // gid
	header.write(octal(size, 11), 124)
	header.write(octal(Math.floor(stat.mtimeMs / 1000), 11), 136)
	header.write(' '.repeat(8), 148) // the checksum counts its own field as spaces
	header.write(String(type), 156)
	header.write('ustar\u0000' + '00', 257) // magic and version
	const sum = header.reduce((total, byte) => total + byte, 0)
	header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148)
	return header
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
