import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { controlSocketPath, folderHolder, serveControlSocket } from './db-control.server.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-control-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

test('the control socket is the folder lock: a second opener is refused, a socket left by a dead process is replaced', async () => {
	const dataDir = path.join(dir, 'db')
	expect(await folderHolder(dataDir)).toBeNull()
	const first = await serveControlSocket(dataDir, () => undefined)
	expect((fs.statSync(controlSocketPath(dataDir)).mode & 0o077) === 0).toBe(true)
	expect(await folderHolder(dataDir)).toEqual({ pid: process.pid })
	await expect(serveControlSocket(dataDir, () => undefined)).rejects.toThrow(`process ${process.pid} already has it open`)
	await first.close()
	expect(await folderHolder(dataDir)).toBeNull()
	// A plain file where the socket was (as a SIGKILL leaves it, it no longer accepts connections).
	fs.writeFileSync(controlSocketPath(dataDir), '')
	expect(await folderHolder(dataDir)).toBeNull()
	const second = await serveControlSocket(dataDir, () => undefined)
	await second.close()
})

test('a folder deep in the tree gets a socket path Unix accepts, the same for every process', () => {
	const deep = path.join(dir, 'x'.repeat(120), 'pglite')
	const socket = controlSocketPath(deep)
	expect(Buffer.byteLength(socket)).toBeLessThanOrEqual(100)
	expect(controlSocketPath(deep)).toBe(socket)
	expect(controlSocketPath(path.join(dir, 'pglite'))).toBe(path.join(dir, '.pglite.sock'))
})
