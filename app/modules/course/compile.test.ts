import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from 'vitest'
import { compileLesson, ContentError, readContentText, svgSize } from './compile.server.ts'

/** Content is rendered on every page: text that could put U+0000 or U+FFFD there is refused when built (issue #17). */
const write = (name: string, bytes: Buffer | string) => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-content-'))
	const file = path.join(dir, name)
	fs.writeFileSync(file, bytes)
	return file
}
const lesson = (body: string) => `---\ntitle: Bài thử\n---\n\n${body}\n`

test('content with NUL, another control character, U+FFFD or bytes that are not UTF-8 is refused with the file and line named', async () => {
	expect(readContentText(write('ok.mdx', lesson('Bật điện thoại\tlên.')))).toContain('Bật điện thoại')
	for (const [body, what] of [
		[lesson('Bật điện\u0000 thoại'), 'U+0000'],
		[lesson('Bật điện\u001B thoại'), 'U+001B'],
		[lesson('Bật \uFFFDiện thoại'), 'U+FFFD'],
	] as const) {
		const file = write('index.mdx', body)
		await expect(compileLesson(file, { publish: false })).rejects.toThrow(ContentError)
		expect(() => readContentText(file)).toThrow(`line 5: character ${what}`)
	}
	// "Bật" saved in Windows-1258 (Vietnamese Windows): 0xC2 is not followed by a continuation byte.
	const legacy = write('index.mdx', Buffer.concat([Buffer.from(lesson('B')), Buffer.from([0xc2, 0x74])]))
	expect(() => readContentText(legacy)).toThrow('not UTF-8')
})

test('a drawing keeps its own size on the page; a picture that is not an SVG drawing is refused', async () => {
	expect(svgSize('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 300" width="320" height="300"><rect width="10" height="10"/></svg>')).toEqual({
		width: '320',
		height: '300',
	})
	// A size on an inner element is not the picture's size.
	expect(svgSize('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 300"><rect width="10" height="10"/></svg>')).toBeNull()
	const file = write('vi.mdx', lesson('<Figure src="./screen.webp" alt="Ảnh chụp màn hình" />'))
	fs.writeFileSync(path.join(path.dirname(file), 'screen.webp'), 'RIFF')
	await expect(compileLesson(file, { publish: false })).rejects.toThrow('image screen.webp must be an SVG drawing')
})
