import { gunzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { assembleGzip, compressParts, Slot } from '../../server/learner-cache.ts'

/**
 * The signed-in learner's page is sent as gzip assembled from parts compressed once and this view's
 * slots (server/learner-cache.ts). A stored part may be compressed with the page before it as its
 * dictionary, right only when each slot it spans has the byte length it had when stored: whatever
 * the slots of a view hold, the page a phone decodes must be exactly the page.
 */
type Parts = (string | Slot)[]
type Slots = Record<Slot, string>

const slotValues = (over: Partial<Slots> = {}): Slots => ({
	[Slot.Nonce]: 'n0nceAAAAAAAAAAAAAAAAA==',
	[Slot.ClientId]: '0b7e3c2a-1111-4222-8333-944455556666',
	[Slot.UserId]: 'data-user="cmx554b2y0000qt7dehzq22q8"',
	[Slot.Completed]: 'data-completed="lesson-a lesson-b"',
	[Slot.Quiz]: '<section class="mdx-quiz"><label><input type="radio" name="q1" value="a"/>Bật máy</label></section>',
	[Slot.AnsweredId]: '',
	[Slot.Certificate]: 'HVS-7K2M-Q9XW',
	[Slot.Name]: 'Lò Văn Xôm',
	...over,
})

const bytesOf = (slots: Slots) => Object.fromEntries(Object.entries(slots).map(([k, v]) => [k, Buffer.byteLength(v)])) as unknown as Record<Slot, number>

function plain(parts: Parts, slots: Slots) {
	return parts.map((p) => (typeof p === 'string' ? p : slots[p])).join('')
}

const body = Array.from({ length: 40 }, (_, i) => `<p class="lesson-text">Bước ${i}: nhấn giữ nút nguồn ở cạnh điện thoại cho đến khi màn hình sáng.</p>`).join(
	'\n',
)
const page: Parts = [
	'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"/><link rel="stylesheet" href="/assets/app.css"/></head><body><header class="site-header"><a class="lesson-text" href="/">Học Vụ Số</a></header><main ',
	Slot.Completed,
	`><article class="lesson">${body}`,
	Slot.Quiz,
	`<nav class="lesson-nav"><a class="lesson-text" href="/courses/smartphone">Bước tiếp theo: nhấn giữ nút nguồn</a></nav><aside id="offline-status" `,
	Slot.UserId,
	`></aside><footer class="site-footer"><p class="lesson-text">Bước cuối: nhấn giữ nút nguồn ở cạnh điện thoại</p></footer><script nonce="`,
	Slot.Nonce,
	'">window.hvs = 1</script><form><input type="hidden" name="clientId" value="',
	Slot.ClientId,
	'"/></form></body></html>',
]

describe('an assembled learner page', () => {
	test('decodes to exactly the page, and is smaller with the stored parts referring back to the page before them', () => {
		const stored = compressParts(page, bytesOf(slotValues()))
		const slots = slotValues({ [Slot.Nonce]: 'ZZZZnonceBBBBBBBBBBBBB==', [Slot.ClientId]: 'ffffffff-2222-4333-8444-555566667777' })
		const assembled = assembleGzip(page, stored, slots)
		expect(gunzipSync(assembled).toString()).toBe(plain(page, slots))
		expect(stored.some((s) => s?.withContext)).toBe(true)
		const apart = compressParts(page, bytesOf(slotValues())).map((s) => s && { ...s, withContext: undefined })
		expect(assembled.length).toBeLessThan(assembleGzip(page, apart, slots).length)
	})

	test('slots of other lengths than when stored (another quiz, another user id, a longer list of completed lessons) still decode to exactly the page', () => {
		const stored = compressParts(page, bytesOf(slotValues()))
		for (const over of [
			{ [Slot.Quiz]: `${slotValues()[Slot.Quiz]}<p class="lesson-text">Bước 3: nhấn giữ</p>` },
			{ [Slot.UserId]: 'data-user="c1"' },
			{ [Slot.Completed]: 'data-completed="lesson-a lesson-b lesson-c lesson-d"' },
			{ [Slot.Completed]: 'data-completed=""', [Slot.Quiz]: '<section class="mdx-quiz"></section>', [Slot.Nonce]: 'x' },
		]) {
			const slots = slotValues(over)
			expect(gunzipSync(assembleGzip(page, stored, slots)).toString()).toBe(plain(page, slots))
		}
	})

	test('a long slot (a quiz of several questions) is compressed against the end of the part before it and decodes to exactly the page', () => {
		const stored = compressParts(page, bytesOf(slotValues()))
		const question = (i: number) =>
			`<fieldset class="quiz-question"><legend>Câu ${i}: nhấn giữ nút nguồn để làm gì?</legend><label><input type="radio" name="q${i}" value="a"/>Bật máy</label><label><input type="radio" name="q${i}" value="b"/>Tắt tiếng</label></fieldset>`
		const slots = slotValues({ [Slot.Quiz]: `<section class="mdx-quiz">${[1, 2, 3, 4, 5].map(question).join('')}</section>` })
		expect(Buffer.byteLength(slots[Slot.Quiz])).toBeGreaterThan(512)
		expect(gunzipSync(assembleGzip(page, stored, slots)).toString()).toBe(plain(page, slots))
		// At the start of a page there is nothing before it.
		const first: Parts = [Slot.Quiz, page[2] as string]
		expect(gunzipSync(assembleGzip(first, compressParts(first, bytesOf(slots)), slots)).toString()).toBe(plain(first, slots))
	})

	test('a part holding NUL bytes is never compressed against the slots’ stand-ins', () => {
		const parts: Parts = ['<p>a\u0000\u0000\u0000b</p>', Slot.Nonce, '\u0000\u0000\u0000\u0000<p>a\u0000\u0000\u0000b</p>']
		const slots = slotValues({ [Slot.Nonce]: 'abcdefghijklmnopqrstuvwx' })
		const stored = compressParts(parts, bytesOf(slots))
		expect(stored[2]!.withContext).toBeUndefined()
		expect(gunzipSync(assembleGzip(parts, stored, slots)).toString()).toBe(plain(parts, slots))
	})

	test('random pages and random slots of the same or other lengths always decode to exactly the page', () => {
		let seed = 7
		const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
		const words = ['<p class="x">', 'nhấn giữ', ' nút nguồn', '</p>', 'data-user="', 'abc', '"', ' ', 'Bước', '0b7e3c2a']
		const text = (n: number) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]).join('')
		const all = [Slot.Nonce, Slot.ClientId, Slot.UserId, Slot.Completed, Slot.Quiz, Slot.AnsweredId]
		for (let round = 0; round < 150; round++) {
			const parts: Parts = []
			for (let i = 0; i < 2 + Math.floor(random() * 6); i++) parts.push(text(5 + Math.floor(random() * 80)), all[Math.floor(random() * all.length)]!)
			parts.push(text(20))
			const storedSlots = Object.fromEntries(all.map((s) => [s, text(Math.floor(random() * 6))])) as unknown as Slots
			const stored = compressParts(parts, bytesOf(storedSlots))
			for (let view = 0; view < 4; view++) {
				// Same lengths with other text (the common case), or other lengths.
				const slots = Object.fromEntries(
					all.map((s) => {
						const was = storedSlots[s]
						if (random() < 0.6) return [s, Array.from({ length: Buffer.byteLength(was) }, () => 'ab<p>" x'[Math.floor(random() * 8)]).join('')]
						// Sometimes long enough to be compressed (against the part before it).
						return [s, text(random() < 0.3 ? 100 + Math.floor(random() * 200) : Math.floor(random() * 6))]
					}),
				) as unknown as Slots
				expect(gunzipSync(assembleGzip(parts, stored, slots)).toString()).toBe(plain(parts, slots))
			}
		}
	})
})
