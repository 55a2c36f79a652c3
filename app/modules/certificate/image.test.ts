import { describe, expect, test } from 'vitest'
import * as imageRoute from '#app/routes/certificates+/$code.image.tsx'
import { qrSvg } from '#app/utils/qr.server.ts'
import { completeCourse, signedInLearner } from '#tests/fixtures/learning.ts'
import { type CertificateImageText, certificateSvg, IMAGE_HEIGHT, IMAGE_WIDTH, renderPixels } from './image.server.ts'

/** Rows (y) holding at least one dark pixel. */
function inkedRows({ width, height, pixels }: ReturnType<typeof renderPixels>) {
	const rows: number[] = []
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const i = (y * width + x) * 4
			if (pixels[i]! < 128 && pixels[i + 1]! < 128 && pixels[i + 2]! < 128) {
				rows.push(y)
				break
			}
		}
	}
	return rows
}

const letter = (text: string) =>
	renderPixels(`<svg xmlns="http://www.w3.org/2000/svg" width="200" height="220"><text x="40" y="150" font-size="100" fill="#000">${text}</text></svg>`)

function darkInColumns(image: ReturnType<typeof renderPixels>, from: number, to: number) {
	let dark = 0
	// Inside the frame's top and bottom lines.
	for (let y = 100; y < image.height - 100; y++)
		for (let x = from; x < to; x++) {
			const i = (y * image.width + x) * 4
			if (image.pixels[i]! < 200 || image.pixels[i + 1]! < 200) dark++
		}
	return dark
}

const TEXT: CertificateImageText = {
	issuer: 'Phong trào Bình dân học vụ số — Tỉnh Sơn La',
	heading: 'Giấy chứng nhận hoàn thành',
	certifies: 'Chứng nhận',
	name: 'Lò Thị Mai',
	completed: 'đã hoàn thành khoá học',
	course: 'Dùng điện thoại thông minh',
	date: 'Ngày 15/12/2026',
	scan: 'Quét mã QR để kiểm tra giấy chứng nhận này.',
	code: 'Mã xác minh: ABCD234567',
	verifyUrl: 'https://hocvuso.sonla.gov.vn/verify/ABCD234567',
}

describe('the certificate picture', () => {
	test('Vietnamese tone marks are drawn with the bundled font: Ệ has a circumflex above and a dot below E', () => {
		const plain = inkedRows(letter('E'))
		const hat = inkedRows(letter('Ê'))
		const both = inkedRows(letter('Ệ'))
		expect(plain.length).toBeGreaterThan(40)
		// A missing glyph would be the same empty box for all three.
		expect(hat[0]!).toBeLessThan(plain[0]! - 5)
		expect(hat.at(-1)).toBe(plain.at(-1))
		expect(both[0]!).toBeLessThan(plain[0]! - 5)
		expect(both.at(-1)!).toBeGreaterThan(plain.at(-1)! + 5)
		// And lower-case letters with two marks (ở, ữ, ậ) are not boxes: each differs from its bare letter.
		for (const [bare, marked] of [
			['o', 'ở'],
			['u', 'ữ'],
			['a', 'ậ'],
		]) {
			expect(Buffer.compare(letter(bare!).pixels, letter(marked!).pixels), marked).not.toBe(0)
			expect(inkedRows(letter(marked!))[0]!).toBeLessThan(inkedRows(letter(bare!))[0]!)
		}
	})

	test('the name and the QR code are drawn, and a long course name wraps inside the frame', async () => {
		const qr = await qrSvg(TEXT.verifyUrl)
		const full = renderPixels(certificateSvg(TEXT, qr))
		expect([full.width, full.height]).toEqual([IMAGE_WIDTH, IMAGE_HEIGHT])
		const differing = (other: ReturnType<typeof renderPixels>) => {
			let n = 0
			for (let i = 0; i < full.pixels.length; i += 4) if (full.pixels[i] !== other.pixels[i]) n++
			return n
		}
		expect(differing(renderPixels(certificateSvg({ ...TEXT, name: '' }, qr)))).toBeGreaterThan(3000)
		const noQr = renderPixels(certificateSvg(TEXT, '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>'))
		expect(differing(noQr)).toBeGreaterThan(40_000)

		const long = renderPixels(
			certificateSvg({ ...TEXT, course: 'Kỹ năng số cơ bản: dùng điện thoại thông minh, ứng dụng VNeID và dịch vụ công trực tuyến một cách an toàn' }, qr),
		)
		// Nothing is drawn between the inner frame line and the text column, on either side.
		expect(darkInColumns(long, 80, 120)).toBe(0)
		expect(darkInColumns(long, IMAGE_WIDTH - 120, IMAGE_WIDTH - 80)).toBe(0)
		expect(darkInColumns(long, 130, IMAGE_WIDTH - 130)).toBeGreaterThan(0)
	})

	test('the owner downloads a PNG named after the code; another person gets a 404, nothing of the certificate', async () => {
		const owner = await signedInLearner({ fullName: 'Lò Thị Ảnh' })
		const { certificateCode } = await completeCourse(owner.id, 'smartphone')
		const code = certificateCode!
		const get = (cookie: string) =>
			(imageRoute.loader as (a: unknown) => Promise<Response>)({
				request: new Request(`http://localhost/certificates/${code}/image`, { headers: { Cookie: cookie } }),
				params: { code },
				context: {},
			}).catch((thrown: Response) => thrown)
		const response = await get(owner.cookie)
		expect(response.status).toBe(200)
		expect(response.headers.get('Content-Type')).toBe('image/png')
		expect(response.headers.get('Content-Disposition')).toBe(`attachment; filename="giay-chung-nhan-${code}.png"`)
		const png = Buffer.from(await response.arrayBuffer())
		expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
		// IHDR: width and height, big-endian, right after the signature and chunk header.
		expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([IMAGE_WIDTH, IMAGE_HEIGHT])

		const stranger = await signedInLearner({ fullName: 'Cầm Văn Khác', enrol: false })
		expect((await get(stranger.cookie)).status).toBe(404)
	})
})
