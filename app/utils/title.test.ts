import { expect, test } from 'vitest'
import { pageText, pageTitle } from './meta.ts'
import { titled } from './title.ts'

const root = (lng: string) => [{ id: 'root', data: { lng } }] as never

test('a page is titled "Page — Học Vụ Số"; with nothing to name, the product alone', () => {
	expect(titled('Đăng nhập')).toBe('Đăng nhập — Học Vụ Số')
	expect(titled('')).toBe('Học Vụ Số')
	expect(titled()).toBe('Học Vụ Số')
})

test("meta exports take the page's words in the root loader's language, and the product's name the same in both", () => {
	expect(pageTitle(root('vi'), 'auth:staffAdmin.title')).toEqual([{ title: 'Cán bộ và phân công — Học Vụ Số' }])
	expect(pageTitle(root('en'), 'auth:staffAdmin.title')[0]!.title).toMatch(/^[A-Za-z].* — Học Vụ Số$/)
	expect(pageText(root('vi'), 'no.such.key')).toBeUndefined()
	expect(pageTitle(root('vi'), 'no.such.key')).toEqual([{ title: 'Học Vụ Số' }])
	// No root data (an address no route matches): Vietnamese first.
	expect(pageText([] as never, 'auth:staffAdmin.title')).toBe('Cán bộ và phân công')
})
