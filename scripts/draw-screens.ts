/**
 * npm run content:draw — writes the lesson drawings of phone screens (issue #21 item 3) into their
 * lesson folders, one file per language (`<name>.vi.svg`, `<name>.en.svg`): our own simplified
 * screens, not copies of the real apps, all in one style (ADR 026):
 * - a 320 × 300 picture; a grey rounded phone (x 60–260) with a white screen (x 70–250);
 * - stroke #1f2937, 3 px for the phone and 2 px inside it; greys #f3f4f6 #e5e7eb #d1d5db #6b7280;
 * - red (#b91c1c on #fecaca) only for what to touch or look at, with a touch mark (a dot and a
 *   dashed ring); green (#15803d) only for a call's answer button;
 * - words are <text> in sans-serif, 12 px (titles 13 px bold, small labels 11 px), in the lesson's
 *   language (`xml:lang`), and every word also appears in the lesson's alt text
 *   (`npm run content:check` checks both).
 * Edit the labels here and run it again; never edit the written files by hand.
 */
import fs from 'node:fs'
import path from 'node:path'
import { CONTENT_DIR } from '#app/modules/course/compile.server.ts'

type Lng = 'vi' | 'en'
const INK = '#1f2937'
const GREY = '#6b7280'
const LINE = '#d1d5db'
const PANEL = '#e5e7eb'
const FRAME = '#f3f4f6'
const RED = '#b91c1c'
const PINK = '#fecaca'
const GREEN = '#15803d'
export const W = 320
export const H = 300
/** The screen's inner box. */
const S = { x: 70, y: 28, w: 180, h: 244 }
const PAD = 8

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

type TextOpts = { size?: number; bold?: boolean; anchor?: 'start' | 'middle' | 'end'; fill?: string; under?: boolean }
function text(x: number, y: number, s: string, o: TextOpts = {}) {
	const size = o.size ?? 12
	const attrs = [
		`x="${x}"`,
		`y="${y}"`,
		size !== 12 ? `font-size="${size}"` : '',
		o.bold ? 'font-weight="700"' : '',
		o.anchor && o.anchor !== 'start' ? `text-anchor="${o.anchor}"` : '',
		o.fill && o.fill !== INK ? `fill="${o.fill}"` : '',
		o.under ? 'text-decoration="underline"' : '',
	].filter(Boolean)
	return `<text ${attrs.join(' ')}>${esc(s)}</text>`
}

/** A required field's label: the portal marks it with a red star. */
const star = (x: number, y: number, s: string) => `<text x="${x}" y="${y}">${esc(s)} <tspan fill="${RED}" font-weight="700">*</tspan></text>`

/** Lines of at most `chars` characters (a rough width: sans-serif at 12 px is about 6.6 px a character). */
function wrap(s: string, chars: number) {
	const lines: string[] = []
	let line = ''
	for (const word of s.split(' ')) {
		if (line && [...`${line} ${word}`].length > chars) {
			lines.push(line)
			line = word
		} else line = line ? `${line} ${word}` : word
	}
	if (line) lines.push(line)
	return lines
}
function para(x: number, y: number, s: string, chars: number, o: TextOpts = {}, lead = 15) {
	return wrap(s, chars)
		.map((l, i) => text(x, y + i * lead, l, o))
		.join('')
}

/** A touch mark: where the finger goes. */
const touch = (cx: number, cy: number) =>
	`<circle cx="${cx}" cy="${cy}" r="9" fill="${PINK}" stroke="${RED}" stroke-width="2"/><circle cx="${cx}" cy="${cy}" r="16" fill="none" stroke="${RED}" stroke-width="2" stroke-dasharray="4 5"/>`

function phone(dark = false) {
	return [
		`<rect x="60" y="8" width="200" height="284" rx="22" fill="${FRAME}" stroke-width="3"/>`,
		`<rect x="${S.x}" y="${S.y}" width="${S.w}" height="${S.h}" rx="6" fill="${dark ? '#374151' : '#fff'}"/>`,
		'<path d="M146 18h28" stroke-width="3"/>',
		// Status bar: signal and battery, no words.
		`<g stroke="${dark ? '#fff' : GREY}" stroke-width="1.5"><path d="M78 40v-3m4 3v-6m4 6v-9"/><rect x="226" y="32" width="14" height="8" rx="2"/></g>`,
	].join('')
}

function header(title: string, back = true) {
	return [
		`<path d="M${S.x} 46h${S.w}" stroke="${LINE}"/>`,
		back ? `<path d="M82 56l-5 5 5 5" stroke-width="2"/>` : '',
		text(160, 66, title, { size: 13, bold: true, anchor: 'middle' }),
		`<path d="M${S.x} 76h${S.w}" stroke="${LINE}"/>`,
	].join('')
}

/** A browser address bar in place of the app header. */
function addressBar(address: string) {
	return [
		`<rect x="${S.x + PAD}" y="48" width="${S.w - 2 * PAD}" height="22" rx="11" fill="${FRAME}" stroke="${LINE}"/>`,
		`<g stroke="${GREY}" stroke-width="1.5"><rect x="84" y="57" width="8" height="7" rx="1"/><path d="M86 57v-2a2 2 0 0 1 4 0v2"/></g>`,
		text(98, 63, address, { size: 11, fill: GREY }),
	].join('')
}

function field(y: number, label: string, value: string, o: { tap?: boolean; placeholder?: boolean } = {}) {
	return [
		text(S.x + PAD, y, label, { size: 11, fill: GREY }),
		`<rect x="${S.x + PAD}" y="${y + 5}" width="${S.w - 2 * PAD}" height="24" rx="4" fill="${o.tap ? PINK : '#fff'}" stroke="${o.tap ? RED : LINE}"/>`,
		text(S.x + PAD + 6, y + 21, value, { fill: o.placeholder ? GREY : INK }),
	].join('')
}

function button(y: number, label: string, o: { tap?: boolean; x?: number; w?: number } = {}) {
	const x = o.x ?? S.x + PAD
	const w = o.w ?? S.w - 2 * PAD
	return [
		`<rect x="${x}" y="${y}" width="${w}" height="26" rx="13" fill="${o.tap ? PINK : PANEL}" stroke="${o.tap ? RED : LINE}"/>`,
		text(x + w / 2, y + 17, label, { bold: true, anchor: 'middle', fill: o.tap ? RED : INK }),
		o.tap ? touch(o.w ? x + w + 16 : x + w - 14, y + 18) : '',
	].join('')
}

/** A list row with a small icon square; `right` draws a switch (on/off) or an arrow. */
function row(y: number, label: string, o: { tap?: boolean; toggle?: boolean; on?: boolean; icon?: string } = {}) {
	const parts = [
		o.tap ? `<rect x="${S.x + 2}" y="${y - 14}" width="${S.w - 4}" height="28" rx="4" fill="${PINK}" stroke="${RED}"/>` : '',
		o.tap ? touch(S.x + PAD + 9, y) : `<rect x="${S.x + PAD}" y="${y - 9}" width="18" height="18" rx="4" fill="${o.icon ?? PANEL}" stroke="none"/>`,
		label ? text(S.x + PAD + 26, y + 4, label, { fill: o.tap ? RED : INK, bold: o.tap }) : '',
		`<path d="M${S.x + PAD} ${y + 15}h${S.w - 2 * PAD}" stroke="${LINE}" stroke-width="1"/>`,
	]
	if (o.toggle) {
		const x = S.x + S.w - PAD - 26
		parts.push(
			`<rect x="${x}" y="${y - 7}" width="26" height="14" rx="7" fill="${o.on ? INK : LINE}" stroke="none"/>`,
			`<circle cx="${o.on ? x + 19 : x + 7}" cy="${y}" r="5" fill="#fff" stroke="none"/>`,
		)
	} else if (!o.tap) parts.push(`<path d="M${S.x + S.w - 16} ${y - 4}l4 4-4 4" stroke="${GREY}" stroke-width="1.5"/>`)
	return parts.join('')
}

/** Grey bars standing for text the resident need not read. */
const bars = (x: number, y: number, widths: number[]) =>
	`<path d="${widths.map((w, i) => `M${x} ${y + i * 12}h${w}`).join('')}" stroke="${LINE}" stroke-width="4"/>`

function svg(lng: Lng, body: string[], dark = false) {
	return `<svg xmlns="http://www.w3.org/2000/svg" xml:lang="${lng}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" fill="none" stroke="${INK}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" font-family="sans-serif" font-size="12">
<g>${phone(dark)}</g>
<g fill="${INK}" stroke="none">
${body.join('\n')}
</g>
</svg>
`
}
// Shapes inside the text group need their own stroke: wrap them (their words stay outside, unstroked).
const shapes = (s: string) => {
	const words = s.match(/<text\b[\s\S]*?<\/text>/g) ?? []
	return `<g fill="none" stroke="${INK}">${s.replace(/<text\b[\s\S]*?<\/text>/g, '')}</g>${words.join('')}`
}

type Labels = Record<string, string>
interface Drawing {
	name: string
	lessons: string[]
	labels: Record<Lng, Labels>
	draw: (l: Labels, lng: Lng) => string[]
	dark?: boolean
}

export const drawings: Drawing[] = [
	{
		name: 'vneid-home',
		lessons: ['vneid/01-what-is-vneid'],
		labels: {
			vi: { title: 'VNeID', procedures: 'Thủ tục hành chính', home: 'Trang chủ', wallet: 'Ví giấy tờ', account: 'Tài khoản' },
			en: { title: 'VNeID', procedures: 'Administrative procedures', home: 'Home', wallet: 'Document wallet', account: 'Account' },
		},
		draw: (l) => [
			shapes(header(l.title!, false)),
			shapes(`<circle cx="96" cy="102" r="14" fill="${PANEL}" stroke="none"/>${bars(118, 96, [90, 60])}`),
			shapes(row(148, '')),
			text(S.x + PAD + 26, 152, l.procedures!, { size: [...l.procedures!].length > 20 ? 11 : 12 }),
			shapes(row(184, '') + bars(104, 184, [70])),
			// The bar along the bottom: Home, the wallet (to touch), Account.
			shapes(`<path d="M${S.x} 214h${S.w}" stroke="${LINE}"/><rect x="130" y="217" width="60" height="53" rx="6" fill="${PINK}" stroke="${RED}"/>`),
			shapes(
				`<g stroke-width="1.5"><path d="M92 231l8-7 8 7v6h-16z" stroke="${GREY}"/><rect x="144" y="223" width="16" height="13" rx="2" stroke="${RED}"/><path d="M144 228h16" stroke="${RED}"/><circle cx="220" cy="227" r="4" stroke="${GREY}"/><path d="M212 236a8 6 0 0 1 16 0" stroke="${GREY}"/></g>`,
			),
			para(100, 254, l.home!, 10, { size: 11, anchor: 'middle', fill: GREY }, 12),
			para(160, 254, l.wallet!, 10, { size: 11, anchor: 'middle', fill: RED, bold: true }, 12),
			para(220, 254, l.account!, 10, { size: 11, anchor: 'middle', fill: GREY }, 12),
			shapes(touch(176, 225)),
		],
	},
	{
		name: 'vneid-login',
		lessons: ['vneid/04-activate'],
		labels: {
			vi: { title: 'Đăng nhập', id: 'Số định danh cá nhân', idValue: '12 số trên thẻ căn cước', pw: 'Mật khẩu', go: 'Đăng nhập' },
			en: { title: 'Sign in', id: 'Personal ID number', idValue: 'the 12 digits on your ID card', pw: 'Password', go: 'Sign in' },
		},
		draw: (l) => [
			shapes(header(l.title!, false)),
			shapes(`<rect x="140" y="86" width="40" height="40" rx="10" fill="${PANEL}" stroke="none"/><path d="M152 106l6 6 11-12" stroke="${GREY}"/>`),
			field(146, l.id!, l.idValue!, { placeholder: true }).replace(/(<text x="84" y="167")/, `$1 font-size="${l.idValue!.length > 24 ? 10 : 11}"`),
			field(194, l.pw!, '● ● ● ● ● ●'),
			button(236, l.go!, { tap: true }),
		],
	},
	{
		name: 'vneid-wallet',
		lessons: ['vneid/05-documents', 'health/01-insurance-card', 'vneid/02-levels'],
		labels: {
			vi: { title: 'Ví giấy tờ', id: 'Căn cước điện tử', insurance: 'Thẻ bảo hiểm y tế', licence: 'Giấy phép lái xe' },
			en: { title: 'Document wallet', id: 'Electronic ID card', insurance: 'Health-insurance card', licence: 'Driving licence' },
		},
		draw: (l) => [
			shapes(header(l.title!)),
			// The ID card as a card: photo, chip, lines.
			shapes(
				`<rect x="${S.x + PAD}" y="86" width="${S.w - 2 * PAD}" height="76" rx="8" fill="${FRAME}" stroke="${LINE}"/><rect x="86" y="112" width="26" height="32" rx="3" fill="${PANEL}" stroke="none"/><rect x="216" y="112" width="18" height="14" rx="2" fill="#fcd34d" stroke="#b45309" stroke-width="1.5"/><path d="M120 120h70M120 132h50M120 144h60" stroke="${LINE}" stroke-width="4"/>`,
			),
			text(86, 104, l.id!, { bold: true }),
			shapes(row(184, '', { tap: true, icon: PINK })),
			text(S.x + PAD + 26, 188, l.insurance!, { bold: true, fill: RED }),
			shapes(row(220, '')),
			text(S.x + PAD + 26, 224, l.licence!),
		],
	},
	{
		name: 'vneid-nfc',
		lessons: ['vneid/03-register'],
		labels: {
			vi: { title: 'Đọc thẻ căn cước', say: 'Áp thẻ CCCD vào mặt sau điện thoại', hold: 'Giữ yên đến khi máy báo xong' },
			en: { title: 'Read your ID card', say: 'Hold your ID card to the back of the phone', hold: 'Keep still until the phone says it is done' },
		},
		draw: (l) => [
			shapes(header(l.title!)),
			// On screen: a phone with a card behind it and waves.
			shapes(
				`<rect x="134" y="92" width="40" height="70" rx="7" fill="${FRAME}"/><rect x="150" y="112" width="52" height="34" rx="4" fill="#fff" transform="rotate(-8 176 129)"/><rect x="156" y="120" width="10" height="8" rx="1" fill="#fcd34d" stroke="#b45309" stroke-width="1" transform="rotate(-8 176 129)"/><path d="M186 98a14 14 0 0 1 8 12M192 90a24 24 0 0 1 12 22" stroke="${RED}"/>`,
			),
			para(160, 186, l.say!, 24, { bold: true, anchor: 'middle', fill: RED }),
			para(160, 232, l.hold!, 28, { size: 11, anchor: 'middle', fill: GREY }, 13),
			// Outside the phone: the card held against its back, with a hand's touch mark.
			shapes(
				`<g transform="rotate(-10 285 150)"><rect x="252" y="118" width="64" height="42" rx="5" fill="#fff" stroke-width="2.5"/><rect x="260" y="130" width="13" height="10" rx="2" fill="#fcd34d" stroke="#b45309" stroke-width="1.2"/><path d="M280 130h26M280 140h18M260 150h40" stroke="${LINE}" stroke-width="3"/></g>${touch(292, 178)}`,
			),
		],
	},
	{
		name: 'portal-search',
		lessons: ['public-services/02-find'],
		labels: {
			vi: {
				address: 'dichvucong.gov.vn',
				box: 'Tìm kiếm thủ tục',
				typed: 'khai sinh',
				go: 'Tìm kiếm',
				r1: 'Đăng ký khai sinh',
				r2: 'Liên thông khai sinh, thường trú, thẻ BHYT',
			},
			en: {
				address: 'dichvucong.gov.vn',
				box: 'Search procedures',
				typed: 'khai sinh',
				go: 'Search',
				r1: 'Birth registration',
				r2: 'Linked birth, residence and health-insurance card',
			},
		},
		draw: (l) => [
			shapes(addressBar(l.address!)),
			field(92, l.box!, l.typed!),
			button(130, l.go!, { tap: true }),
			shapes(`<path d="M${S.x} 170h${S.w}" stroke="${LINE}"/>`),
			text(S.x + PAD, 190, l.r1!, { under: true }),
			shapes(`<path d="M${S.x + PAD} 202h${S.w - 2 * PAD}" stroke="${LINE}" stroke-width="1"/>`),
			para(S.x + PAD, 220, l.r2!, 26, { under: true }),
		],
	},
	{
		name: 'portal-form',
		lessons: ['public-services/03-apply'],
		labels: {
			vi: {
				address: 'dichvucong.gov.vn',
				title: 'Thành phần hồ sơ',
				doc1: 'Giấy chứng sinh',
				none: 'Chưa có tệp',
				choose: 'Chọn tệp',
				doc2: 'Giấy tờ khác',
				done: 'Đã tải lên',
				submit: 'Nộp hồ sơ',
			},
			en: {
				address: 'dichvucong.gov.vn',
				title: 'Application documents',
				doc1: 'Birth notice',
				none: 'No file yet',
				choose: 'Choose file',
				doc2: 'Other document',
				done: 'Uploaded',
				submit: 'Submit',
			},
		},
		draw: (l) => [
			shapes(addressBar(l.address!)),
			text(S.x + PAD, 94, l.title!, { size: 13, bold: true }),
			star(S.x + PAD, 120, l.doc1!),
			text(S.x + PAD, 136, l.none!, { size: 11, fill: GREY }),
			button(144, l.choose!, { tap: true, w: 110 }),
			shapes(`<path d="M${S.x + PAD} 182h${S.w - 2 * PAD}" stroke="${LINE}" stroke-width="1"/>`),
			text(S.x + PAD, 202, l.doc2!),
			shapes(`<path d="M80 214l4 4 7-8" stroke="${GREEN}"/>`),
			text(96, 218, l.done!, { size: 11, fill: GREEN }),
			button(236, l.submit!),
		],
	},
	{
		name: 'portal-status',
		lessons: ['public-services/04-pay-follow'],
		labels: {
			vi: {
				address: 'dichvucong.gov.vn',
				title: 'Tra cứu hồ sơ',
				code: 'Mã hồ sơ',
				value: 'mã bạn đã ghi lại',
				go: 'Tra cứu',
				status: 'Trạng thái',
				state: 'Đang xử lý',
			},
			en: {
				address: 'dichvucong.gov.vn',
				title: 'Look up applications',
				code: 'Application code',
				value: 'the code you wrote down',
				go: 'Look up',
				status: 'Status',
				state: 'Being processed',
			},
		},
		draw: (l) => [
			shapes(addressBar(l.address!)),
			text(S.x + PAD, 94, l.title!, { size: 13, bold: true }),
			field(116, l.code!, l.value!, { placeholder: true }),
			button(156, l.go!, { tap: true }),
			shapes(`<rect x="${S.x + PAD}" y="196" width="${S.w - 2 * PAD}" height="54" rx="6" fill="${FRAME}" stroke="${LINE}"/>`),
			text(S.x + PAD + 8, 216, l.status!, { size: 11, fill: GREY }),
			text(S.x + PAD + 8, 236, l.state!, { bold: true }),
		],
	},
	{
		name: 'bank-transfer',
		lessons: ['cashless/02-vietqr'],
		labels: {
			vi: {
				title: 'Chuyển tiền',
				to: 'Người nhận',
				name: 'TAP HOA NGUYEN VAN A',
				check: 'Tên có đúng không?',
				amount: 'Số tiền',
				value: '35.000 đ',
				go: 'Tiếp tục',
			},
			en: {
				title: 'Transfer',
				to: 'Receiver',
				name: 'TAP HOA NGUYEN VAN A',
				check: 'Is this the right name?',
				amount: 'Amount',
				value: '35,000 VND',
				go: 'Continue',
			},
		},
		draw: (l) => [
			shapes(header(l.title!)),
			text(S.x + PAD, 98, l.to!, { size: 11, fill: GREY }),
			shapes(`<rect x="${S.x + PAD}" y="104" width="${S.w - 2 * PAD}" height="30" rx="4" fill="${PINK}" stroke="${RED}" stroke-width="2.5"/>`),
			text(S.x + PAD + 6, 124, l.name!, { bold: true, fill: RED, size: 11 }),
			// A magnifier outside the phone, pointing at the name.
			shapes(`<circle cx="284" cy="110" r="14" stroke="${RED}" stroke-width="3" fill="#fff"/><path d="M274 120l-18 0" stroke="${RED}" stroke-width="3"/>`),
			text(S.x + PAD, 150, l.check!, { size: 11, fill: RED }),
			field(176, l.amount!, l.value!),
			button(236, l.go!, { tap: true }),
		],
	},
	{
		name: 'qr-scan',
		lessons: ['cashless/02-vietqr'],
		dark: true,
		labels: {
			vi: { title: 'Quét mã QR', hint: 'Đưa mã QR vào trong khung' },
			en: { title: 'Scan QR code', hint: 'Fit the QR code inside the frame' },
		},
		draw: (l) => [
			text(160, 66, l.title!, { size: 13, bold: true, anchor: 'middle', fill: '#fff' }),
			shapes(
				`<g stroke="#fff" stroke-width="3"><path d="M100 104v-14h14M220 104v-14h-14M100 196v14h14M220 196v14h-14"/></g><rect x="124" y="114" width="72" height="72" rx="3" fill="#fff" stroke="none"/><g fill="${INK}" stroke="none"><rect x="130" y="120" width="18" height="18"/><rect x="172" y="120" width="18" height="18"/><rect x="130" y="162" width="18" height="18"/><rect x="156" y="146" width="8" height="8"/><rect x="172" y="166" width="8" height="8"/><rect x="182" y="156" width="8" height="8"/><rect x="156" y="126" width="8" height="8"/></g><path d="M110 150h100" stroke="${RED}" stroke-width="2"/>`,
			),
			para(160, 226, l.hint!, 24, { size: 11, anchor: 'middle', fill: '#fff' }, 13),
			// The photo button, bottom corner: no words.
			shapes(`<g stroke="#fff" stroke-width="1.5"><rect x="212" y="248" width="18" height="14" rx="2"/><path d="M214 259l4-4 4 3 3-2 4 3"/></g>`),
		],
	},
	{
		name: 'zalo-link',
		lessons: ['zalo-safety/03-lend-money'],
		labels: {
			vi: { name: 'Anh Tuấn', msg: 'Bình chọn giúp anh với, đăng nhập Zalo ở đây nhé:', link: 'zalo-binhchon.example', warn: 'Link lạ: không bấm' },
			en: { name: 'Anh Tuấn', msg: 'Please vote for me, sign in to Zalo here:', link: 'zalo-binhchon.example', warn: 'Strange link: do not tap' },
		},
		draw: (l) => [
			shapes(`<path d="M82 56l-5 5 5 5"/><circle cx="102" cy="61" r="10" fill="${PANEL}" stroke="none"/><path d="M${S.x} 76h${S.w}" stroke="${LINE}"/>`),
			text(118, 66, l.name!, { size: 13, bold: true }),
			shapes(`<rect x="${S.x + PAD}" y="92" width="150" height="${wrap(l.msg!, 22).length * 15 + 40}" rx="10" fill="${FRAME}" stroke="${LINE}"/>`),
			para(S.x + PAD + 8, 110, l.msg!, 22),
			text(S.x + PAD + 8, 110 + wrap(l.msg!, 22).length * 15 + 4, l.link!, { fill: RED, under: true, bold: true }),
			// A warning sign beside the link, and the finger held back (crossed).
			shapes(
				`<path d="M276 100l18 32h-36z" fill="${PINK}" stroke="${RED}" stroke-width="2.5"/><path d="M276 112v9m0 5v0" stroke="${RED}" stroke-width="3"/><circle cx="196" cy="${130 + wrap(l.msg!, 22).length * 15}" r="12" stroke="${RED}" stroke-width="2.5"/><path d="M188 ${138 + wrap(l.msg!, 22).length * 15}l16-16" stroke="${RED}" stroke-width="2.5"/>`,
			),
			text(160, 226, l.warn!, { bold: true, anchor: 'middle', fill: RED }),
			shapes(`<rect x="${S.x + PAD}" y="246" width="${S.w - 2 * PAD}" height="20" rx="10" fill="${FRAME}" stroke="${LINE}"/>`),
		],
	},
	{
		name: 'settings-wifi',
		lessons: ['smartphone/03-internet'],
		labels: {
			vi: { title: 'Wi-Fi', wifi: 'Wi-Fi', on: 'Bật', home: 'NHA-BAN-LO', other: 'Mạng ở gần' },
			en: { title: 'Wi-Fi', wifi: 'Wi-Fi', on: 'On', home: 'NHA-BAN-LO', other: 'Networks nearby' },
		},
		draw: (l) => [
			shapes(header(l.title!)),
			shapes(row(100, '', { toggle: true, on: true })),
			text(S.x + PAD + 26, 104, l.wifi!, { bold: true }),
			text(S.x + S.w - PAD - 32, 104, l.on!, { size: 11, anchor: 'end', fill: GREY }),
			text(S.x + PAD, 138, l.other!, { size: 11, fill: GREY }),
			shapes(row(164, '', { tap: true, icon: PINK })),
			text(S.x + PAD + 26, 168, l.home!, { bold: true, fill: RED }),
			shapes(row(200, '') + bars(104, 200, [70])),
			shapes(row(236, '') + bars(104, 236, [54])),
		],
	},
	{
		name: 'quick-panel',
		lessons: ['smartphone/03-internet'],
		labels: {
			vi: { wifi: 'Wi-Fi', data: 'Dữ liệu di động', plane: 'Chế độ máy bay', torch: 'Đèn pin' },
			en: { wifi: 'Wi-Fi', data: 'Mobile data', plane: 'Airplane mode', torch: 'Torch' },
		},
		draw: (l) => {
			const tile = (x: number, y: number, label: string, icon: string, tap = false) =>
				[
					shapes(
						`<circle cx="${x}" cy="${y}" r="17" fill="${tap ? PINK : PANEL}" stroke="${tap ? RED : 'none'}"/><g stroke="${tap ? RED : INK}" stroke-width="2">${icon}</g>`,
					),
					para(x, y + 31, label, 12, { size: 11, anchor: 'middle', fill: tap ? RED : INK, bold: tap }, 12),
					tap ? shapes(touch(x, y)) : '',
				].join('')
			return [
				// The panel pulled down over the screen.
				shapes(
					`<rect x="${S.x}" y="${S.y + 18}" width="${S.w}" height="170" fill="${FRAME}" stroke="none"/><path d="M150 206h20" stroke="${GREY}" stroke-width="3"/>`,
				),
				tile(115, 80, l.wifi!, '<path d="M106 80a13 13 0 0 1 18 0M110 85a7 7 0 0 1 10 0"/>'),
				tile(205, 80, l.data!, '<path d="M200 88v-16m-4 4 4-4 4 4M210 72v16m-4-4 4 4 4-4"/>', true),
				tile(115, 150, l.plane!, '<path d="M115 139v22m-10-8 10-5 10 5m-14 8 4-2 4 2"/>'),
				tile(205, 150, l.torch!, '<path d="M199 140h12l-3 8v12h-6v-12z"/>'),
				shapes(bars(86, 226, [120, 80])),
				// Outside: a finger swiping down from the top edge.
				shapes(
					`<circle cx="34" cy="24" r="9" fill="${PINK}" stroke="${RED}"/><path d="M34 38v56m-10-10 10 10 10-10" stroke="${RED}" stroke-width="4"/><path d="M60 24H46" stroke="${GREY}" stroke-dasharray="3 5"/>`,
				),
			]
		},
	},
	{
		name: 'scam-call',
		lessons: ['cashless/05-face-caller'],
		labels: {
			vi: { incoming: 'Cuộc gọi đến', who: 'Số lạ', said: '“Tôi là công an. Chuyển tiền vào tài khoản tạm giữ ngay.”', hang: 'Cúp máy' },
			en: { incoming: 'Incoming call', who: 'Unknown number', said: '“This is the police. Send your money to a holding account now.”', hang: 'Hang up' },
		},
		draw: callScreen,
	},
]

/** A text message (SMS) screen: the sender, one message with a link in red, a "do not tap" mark. */
function smsScreen(l: Labels) {
	const lines = wrap(l.msg!, 24)
	const h = lines.length * 15 + 34
	return [
		shapes(header(l.title!)),
		text(160, 94, l.from!, { size: 11, anchor: 'middle', fill: GREY }),
		shapes(`<rect x="${S.x + PAD}" y="104" width="${S.w - 2 * PAD}" height="${h}" rx="10" fill="${FRAME}" stroke="${LINE}"/>`),
		para(S.x + PAD + 8, 122, l.msg!, 24),
		text(S.x + PAD + 8, 122 + lines.length * 15 + 2, l.link!, { size: 11, fill: RED, under: true, bold: true }),
		// The finger held back from the link: a crossed circle outside the phone, pointing at it.
		shapes(
			`<circle cx="286" cy="${118 + lines.length * 15}" r="13" stroke="${RED}" stroke-width="3" fill="#fff"/><path d="M277 ${127 + lines.length * 15}l18-18" stroke="${RED}" stroke-width="3"/><path d="M273 ${118 + lines.length * 15}h-18" stroke="${RED}" stroke-width="3"/>`,
		),
		shapes(`<rect x="${S.x + PAD}" y="${124 + h}" width="${S.w - 2 * PAD}" height="28" rx="6" fill="${PINK}" stroke="${RED}"/>`),
		text(160, 143 + h, l.warn!, { bold: true, anchor: 'middle', fill: RED }),
	]
}

drawings.push(
	{
		name: 'sms-vneid',
		lessons: ['scam-safety/01-fake-police'],
		labels: {
			vi: { title: 'Tin nhắn', from: 'Số lạ', msg: 'Tài khoản VNeID của bạn bị khoá. Cài lại tại:', link: 'vneid-capnhat.example', warn: 'Không bấm link' },
			en: {
				title: 'Messages',
				from: 'Unknown number',
				msg: 'Your VNeID account is locked. Reinstall at:',
				link: 'vneid-capnhat.example',
				warn: 'Do not tap the link',
			},
		},
		draw: smsScreen,
	},
	{
		name: 'sms-parcel',
		lessons: ['scam-safety/04-links'],
		labels: {
			vi: {
				title: 'Tin nhắn',
				from: 'Số lạ',
				msg: 'Buu pham cua ban giao khong thanh cong. Cap nhat dia chi:',
				link: 'giaohang-nhanh.example',
				warn: 'Không bấm link',
			},
			en: {
				title: 'Messages',
				from: 'Unknown number',
				msg: 'Your parcel could not be delivered. Update your address:',
				link: 'giaohang-nhanh.example',
				warn: 'Do not tap the link',
			},
		},
		draw: smsScreen,
	},
	{
		name: 'vneid-activate',
		lessons: ['vneid/04-activate'],
		labels: {
			vi: {
				title: 'Kích hoạt tài khoản',
				id: 'Số định danh cá nhân',
				idValue: '12 số trên thẻ căn cước',
				phone: 'Số điện thoại',
				phoneValue: 'số của chính bạn',
				go: 'Gửi yêu cầu',
			},
			en: {
				title: 'Activate account',
				id: 'Personal ID number',
				idValue: 'the 12 digits on your ID card',
				phone: 'Phone number',
				phoneValue: 'your own number',
				go: 'Send request',
			},
		},
		draw: (l) => [
			shapes(header(l.title!)),
			field(104, l.id!, l.idValue!, { placeholder: true }).replace(/(<text x="84" y="125")/, `$1 font-size="${l.idValue!.length > 24 ? 10 : 11}"`),
			field(156, l.phone!, l.phoneValue!, { placeholder: true }),
			button(228, l.go!, { tap: true }),
		],
	},
	{
		name: 'vssid-personal',
		lessons: ['health/03-vssid'],
		labels: {
			vi: { title: 'Quản lý cá nhân', card: 'Thẻ BHYT', history: 'Quá trình tham gia', visits: 'Lịch sử khám chữa bệnh' },
			en: { title: 'Personal management', card: 'Health insurance card', history: 'Contribution history', visits: 'Medical visit history' },
		},
		draw: (l) => [
			shapes(header(l.title!)),
			shapes(`<circle cx="96" cy="102" r="14" fill="${PANEL}" stroke="none"/>${bars(118, 96, [90, 60])}`),
			shapes(row(148, '', { tap: true, icon: PINK })),
			text(S.x + PAD + 26, 152, l.card!, { bold: true, fill: RED }),
			shapes(row(184, '')),
			text(S.x + PAD + 26, 188, l.history!),
			shapes(row(220, '')),
			text(S.x + PAD + 26, 224, l.visits!, { size: [...l.visits!].length > 20 ? 11 : 12 }),
		],
	},
	{
		name: 'booking-done',
		lessons: ['health/04-booking'],
		labels: {
			vi: { title: 'Đặt lịch thành công', code: 'Mã lịch hẹn', value: '0000', when: 'Thứ Ba, 8 giờ 30', where: 'Khoa Nội', save: 'Lưu lịch hẹn' },
			en: { title: 'Booking confirmed', code: 'Booking code', value: '0000', when: 'Tuesday, 8:30', where: 'Internal medicine', save: 'Save booking' },
		},
		draw: (l) => [
			shapes(header(l.title!, false)),
			shapes(`<circle cx="160" cy="104" r="16" fill="${PANEL}" stroke="none"/><path d="M152 104l6 6 11-12" stroke="${INK}" stroke-width="2.5"/>`),
			shapes(`<rect x="${S.x + PAD}" y="130" width="${S.w - 2 * PAD}" height="50" rx="6" fill="${PINK}" stroke="${RED}"/>`),
			text(160, 148, l.code!, { size: 11, anchor: 'middle', fill: RED }),
			text(160, 170, l.value!, { size: 13, bold: true, anchor: 'middle', fill: RED }),
			text(S.x + PAD, 202, l.when!),
			text(S.x + PAD, 220, l.where!, { fill: GREY }),
			button(236, l.save!, { tap: true }),
		],
	},
	{
		name: 'voice-search',
		lessons: ['info-ai/01-search'],
		labels: {
			vi: { box: 'giá phân bón hôm nay', listening: 'Đang nghe…', say: 'Nói câu hỏi của bạn' },
			en: { box: 'fertiliser price today', listening: 'Listening…', say: 'Say your question' },
		},
		draw: (l) => [
			// The search box with a magnifier, the words heard, and the microphone at its end.
			shapes(
				`<rect x="${S.x + PAD}" y="50" width="${S.w - 2 * PAD}" height="26" rx="13" fill="${FRAME}" stroke="${LINE}"/><circle cx="92" cy="62" r="5" stroke="${GREY}" stroke-width="1.5"/><path d="M96 66l4 4" stroke="${GREY}" stroke-width="1.5"/>`,
			),
			text(102, 67, l.box!, { size: 10 }),
			shapes(
				`<rect x="229" y="56" width="6" height="9" rx="3" stroke="${GREY}" stroke-width="1.5"/><path d="M226 63a6 6 0 0 0 12 0M232 69v2" stroke="${GREY}" stroke-width="1.5"/>`,
			),
			text(160, 120, l.listening!, { size: 13, bold: true, anchor: 'middle' }),
			// The big microphone while the phone listens, with sound waves.
			shapes(
				`<circle cx="160" cy="178" r="30" fill="${PINK}" stroke="${RED}"/><rect x="152" y="160" width="16" height="26" rx="8" stroke="${RED}" stroke-width="2.5"/><path d="M146 180a14 14 0 0 0 28 0M160 194v6" stroke="${RED}" stroke-width="2.5"/><path d="M114 168v20M122 162v32M198 162v32M206 168v20" stroke="${GREY}" stroke-width="2"/>`,
			),
			text(160, 240, l.say!, { size: 11, anchor: 'middle', fill: GREY }),
		],
	},
	{
		name: 'ai-chat',
		lessons: ['info-ai/04-ai-assistant'],
		labels: {
			vi: { title: 'Trợ lý AI', q: '“Tích hợp” nghĩa là gì? Giải thích đơn giản.', box: 'Hỏi bất cứ điều gì', send: 'Gửi' },
			en: { title: 'AI assistant', q: 'What does “integrate” mean? Explain it simply.', box: 'Ask anything', send: 'Send' },
		},
		draw: (l) => {
			const lines = wrap(l.q!, 20)
			return [
				shapes(header(l.title!)),
				// Your question, on the right; the answer coming, as grey lines on the left.
				shapes(`<rect x="110" y="88" width="132" height="${lines.length * 15 + 14}" rx="10" fill="${PANEL}" stroke="none"/>`),
				para(118, 104, l.q!, 20),
				shapes(bars(S.x + PAD, 124 + lines.length * 15, [130, 110, 140, 70])),
				shapes(`<rect x="${S.x + PAD}" y="232" width="100" height="28" rx="14" fill="${FRAME}" stroke="${LINE}"/>`),
				text(S.x + PAD + 8, 250, l.box!, { size: [...l.box!].length > 14 ? 10 : 11, fill: GREY }),
				button(233, l.send!, { tap: true, x: 184, w: 58 }),
			]
		},
	},
	{
		name: 'fake-news',
		lessons: ['info-ai/03-fake-news'],
		labels: {
			vi: {
				title: 'Nhóm Zalo',
				who: 'Người lạ',
				post: 'KHẨN CẤP!!! Từ mai phải nộp phí 500.000 đ mới giữ được căn cước. Chia sẻ ngay!',
				check: 'Kiểm tra trước khi chia sẻ',
				share: 'Chia sẻ',
			},
			en: {
				title: 'Zalo group',
				who: 'A stranger',
				post: 'URGENT!!! From tomorrow you must pay 500,000 VND to keep your ID card. Share now!',
				check: 'Check before sharing',
				share: 'Share',
			},
		},
		draw: (l) => {
			const lines = wrap(l.post!, 25)
			return [
				shapes(header(l.title!)),
				shapes(`<circle cx="92" cy="96" r="10" fill="${PANEL}" stroke="none"/>`),
				text(108, 100, l.who!, { size: 11, bold: true }),
				shapes(`<rect x="${S.x + PAD}" y="112" width="${S.w - 2 * PAD}" height="${lines.length * 15 + 12}" rx="6" fill="${PINK}" stroke="${RED}"/>`),
				para(S.x + PAD + 6, 128, l.post!, 25, { fill: RED }),
				// The share button, crossed out: check first.
				shapes(`<path d="M${S.x + PAD} ${138 + lines.length * 15}h${S.w - 2 * PAD}" stroke="${LINE}" stroke-width="1"/>`),
				text(S.x + S.w - PAD, 156 + lines.length * 15, l.share!, { size: 11, anchor: 'end', fill: GREY }),
				shapes(`<path d="M${S.x + S.w - PAD - 48} ${152 + lines.length * 15}h50" stroke="${RED}" stroke-width="2"/>`),
				// Check first: the red bar, with the finger on it from outside the phone.
				shapes(`<rect x="${S.x + PAD}" y="232" width="${S.w - 2 * PAD}" height="28" rx="14" fill="${PINK}" stroke="${RED}"/>${touch(272, 246)}`),
				text(160, 250, l.check!, { size: 11, bold: true, anchor: 'middle', fill: RED }),
			]
		},
	},
	{
		name: 'store-install',
		lessons: ['smartphone/04-apps'],
		labels: {
			vi: { search: 'VNeID', name: 'VNeID', dev: 'Nhà phát triển: đọc kỹ dòng này', install: 'Cài đặt', note: 'Tên gần giống là ứng dụng giả' },
			en: { search: 'VNeID', name: 'VNeID', dev: 'Developer: read this line carefully', install: 'Install', note: 'A look-alike name is a fake app' },
		},
		draw: (l) => [
			shapes(
				`<rect x="${S.x + PAD}" y="50" width="${S.w - 2 * PAD}" height="24" rx="12" fill="${FRAME}" stroke="${LINE}"/><circle cx="92" cy="61" r="5" stroke="${GREY}" stroke-width="1.5"/><path d="M96 65l4 4" stroke="${GREY}" stroke-width="1.5"/>`,
			),
			text(106, 66, l.search!, { size: 11 }),
			// The app's page: an icon square (no logo), its name, the developer line circled.
			shapes(`<rect x="${S.x + PAD}" y="90" width="44" height="44" rx="10" fill="${PANEL}" stroke="none"/>`),
			text(134, 108, l.name!, { size: 13, bold: true }),
			shapes(`<rect x="130" y="116" width="112" height="${wrap(l.dev!, 17).length * 13 + 8}" rx="4" fill="${PINK}" stroke="${RED}"/>`),
			para(134, 128, l.dev!, 17, { size: 11, fill: RED }, 13),
			button(170, l.install!, { tap: true }),
			para(160, 224, l.note!, 26, { size: 11, anchor: 'middle', fill: GREY }, 13),
		],
	},
)

/** An incoming call: who calls, what they say (red), hang up (red, touched) and answer (green). */
function callScreen(l: Labels) {
	return [
		text(160, 66, l.incoming!, { size: 11, anchor: 'middle', fill: GREY }),
		shapes(
			`<circle cx="160" cy="98" r="18" fill="${PANEL}" stroke="none"/><circle cx="160" cy="93" r="6" stroke="${GREY}"/><path d="M150 108a10 8 0 0 1 20 0" stroke="${GREY}"/>`,
		),
		text(160, 134, l.who!, { size: 13, bold: true, anchor: 'middle' }),
		shapes(`<rect x="${S.x + PAD}" y="146" width="${S.w - 2 * PAD}" height="58" rx="10" fill="${PINK}" stroke="${RED}"/>`),
		para(160, 164, l.said!, 26, { size: 11, anchor: 'middle', fill: RED }, 14),
		shapes(
			`<circle cx="110" cy="228" r="16" fill="${RED}" stroke="${RED}"/><path d="M101 230q9-8 18 0" stroke="#fff" stroke-width="3"/>${touch(120, 236)}<circle cx="210" cy="228" r="16" fill="${GREEN}" stroke="${GREEN}"/><path d="M203 221q0 10 10 14" stroke="#fff" stroke-width="3"/>`,
		),
		text(110, 264, l.hang!, { size: 11, bold: true, anchor: 'middle', fill: RED }),
	]
}

/** A dialog over a dimmed screen: a question and two buttons, the safe one touched. */
function dialogScreen(l: Labels) {
	const lines = wrap(l.ask!, 22)
	return [
		shapes(`<rect x="${S.x}" y="${S.y + 18}" width="${S.w}" height="${S.h - 18}" fill="${LINE}" stroke="none"/>${bars(86, 64, [100, 70])}`),
		shapes(`<rect x="${S.x + PAD}" y="100" width="${S.w - 2 * PAD}" height="${lines.length * 16 + 100}" rx="10" fill="#fff" stroke="${GREY}"/>`),
		para(160, 124, l.ask!, 22, { bold: true, anchor: 'middle' }, 16),
		button(124 + lines.length * 16, l.no!, { tap: true }),
		button(160 + lines.length * 16, l.yes!),
	]
}

drawings.push(
	{
		name: 'sms-otp',
		lessons: ['scam-safety/02-otp'],
		labels: {
			vi: {
				title: 'Tin nhắn',
				from: 'Ngân hàng',
				msg: 'Ma OTP cua Quy khach la',
				code: '482913',
				after: 'KHONG chia se ma nay cho bat ky ai.',
				warn: 'Không đưa mã cho ai',
			},
			en: {
				title: 'Messages',
				from: 'Your bank',
				msg: 'Your OTP code is',
				code: '482913',
				after: 'Do NOT share this code with anyone.',
				warn: 'Give the code to nobody',
			},
		},
		draw: (l) => {
			const after = wrap(l.after!, 22)
			const h = 58 + after.length * 15
			return [
				shapes(header(l.title!)),
				text(160, 94, l.from!, { size: 11, anchor: 'middle', fill: GREY }),
				shapes(`<rect x="${S.x + PAD}" y="104" width="${S.w - 2 * PAD}" height="${h}" rx="10" fill="${FRAME}" stroke="${LINE}"/>`),
				text(S.x + PAD + 8, 122, l.msg!),
				text(S.x + PAD + 8, 142, l.code!, { size: 13, bold: true, fill: RED }),
				para(S.x + PAD + 8, 160, l.after!, 22),
				// A lock beside the code, outside the phone: it stays with you.
				shapes(
					`<rect x="272" y="132" width="28" height="22" rx="3" fill="${PINK}" stroke="${RED}" stroke-width="2.5"/><path d="M279 132v-6a7 7 0 0 1 14 0v6" stroke="${RED}" stroke-width="2.5"/><path d="M268 138h-14" stroke="${RED}" stroke-width="3"/>`,
				),
				shapes(`<rect x="${S.x + PAD}" y="${116 + h}" width="${S.w - 2 * PAD}" height="28" rx="6" fill="${PINK}" stroke="${RED}"/>`),
				text(160, 135 + h, l.warn!, { bold: true, anchor: 'middle', fill: RED }),
			]
		},
	},
	{
		name: 'tax-call',
		lessons: ['scam-safety/03-job-tax'],
		labels: {
			vi: { incoming: 'Cuộc gọi đến', who: 'Số lạ', said: '“Tôi ở cơ quan thuế, anh cài ứng dụng này để được hoàn thuế…”', hang: 'Từ chối' },
			en: { incoming: 'Incoming call', who: 'Unknown number', said: '“I am from the tax office; install this app to get your tax refund…”', hang: 'Decline' },
		},
		draw: callScreen,
	},
	{
		name: 'unknown-apps',
		lessons: ['smartphone/04-apps'],
		labels: {
			vi: { ask: 'Cho phép cài ứng dụng không rõ nguồn gốc?', no: 'Không cho phép', yes: 'Cho phép' },
			en: { ask: 'Allow installing apps from unknown sources?', no: 'Do not allow', yes: 'Allow' },
		},
		draw: dialogScreen,
	},
	{
		name: 'vneid-register',
		lessons: ['vneid/03-register'],
		labels: {
			vi: {
				title: 'Đăng ký tài khoản',
				id: 'Số định danh cá nhân',
				idValue: '12 số trên thẻ căn cước',
				phone: 'Số điện thoại',
				phoneValue: 'số của chính bạn',
				go: 'Tiếp tục',
			},
			en: {
				title: 'Register an account',
				id: 'Personal ID number',
				idValue: 'the 12 digits on your ID card',
				phone: 'Phone number',
				phoneValue: 'your own number',
				go: 'Continue',
			},
		},
		draw: (l) => [
			shapes(header(l.title!)),
			field(104, l.id!, l.idValue!, { placeholder: true }).replace(/(<text x="84" y="125")/, `$1 font-size="${l.idValue!.length > 24 ? 10 : 11}"`),
			field(156, l.phone!, l.phoneValue!, { placeholder: true }),
			button(228, l.go!, { tap: true }),
		],
	},
	{
		name: 'lock-screen',
		lessons: ['smartphone/01-turn-on'],
		dark: true,
		labels: {
			vi: { time: '10:30', date: 'Thứ Hai, 2 tháng 6', swipe: 'Vuốt lên để mở khoá' },
			en: { time: '10:30', date: 'Monday, 2 June', swipe: 'Swipe up to unlock' },
		},
		draw: (l) => [
			text(160, 112, l.time!, { size: 36, anchor: 'middle', fill: '#fff' }),
			text(160, 136, l.date!, { anchor: 'middle', fill: '#fff' }),
			shapes(
				`<rect x="151" y="168" width="18" height="14" rx="2" stroke="#fff" stroke-width="1.5"/><path d="M155 168v-4a5 5 0 0 1 10 0v4" stroke="#fff" stroke-width="1.5"/>`,
			),
			text(160, 214, l.swipe!, { size: 11, anchor: 'middle', fill: '#fff' }),
			// The finger at the bottom edge and the arrow up.
			shapes(`<path d="M160 258v-30m-8 8 8-8 8 8" stroke="${PINK}" stroke-width="3"/>${touch(160, 258)}`),
		],
	},
	{
		name: 'nav-buttons',
		lessons: ['smartphone/02-gestures'],
		labels: {
			vi: { back: 'Quay lại', home: 'Màn hình chính', recent: 'Ứng dụng đã mở' },
			en: { back: 'Back', home: 'Home', recent: 'Open apps' },
		},
		draw: (l) => {
			const icons: string[] = []
			for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) icons.push(`<rect x="${86 + c * 40}" y="${60 + r * 44}" width="28" height="28" rx="7"/>`)
			return [
				shapes(`<g fill="${PANEL}" stroke="none">${icons.join('')}</g><path d="M${S.x} 200h${S.w}" stroke="${LINE}"/>`),
				// Back ◁, Home ○ (touched), Open apps ▢.
				shapes(
					`<path d="M106 210l-8 6 8 6z" stroke="${INK}"/><circle cx="160" cy="216" r="7" stroke="${RED}" stroke-width="2.5"/><rect x="207" y="209" width="13" height="13" rx="2" stroke="${INK}"/>${touch(160, 216)}`,
				),
				para(102, 244, l.back!, 10, { size: 11, anchor: 'middle' }, 12),
				para(160, 244, l.home!, 10, { size: 11, anchor: 'middle', fill: RED, bold: true }, 12),
				para(218, 244, l.recent!, 10, { size: 11, anchor: 'middle' }, 12),
			]
		},
	},
	{
		name: 'screen-lock',
		lessons: ['smartphone/06-safety'],
		labels: {
			vi: { title: 'Kiểu khoá màn hình', none: 'Không', swipe: 'Vuốt', pattern: 'Hình vẽ', pin: 'Mã PIN' },
			en: { title: 'Screen lock type', none: 'None', swipe: 'Swipe', pattern: 'Pattern', pin: 'PIN' },
		},
		draw: (l) => [
			shapes(header(l.title!)),
			shapes(row(104, '')),
			text(S.x + PAD + 26, 108, l.none!),
			shapes(row(140, '')),
			text(S.x + PAD + 26, 144, l.swipe!),
			shapes(row(176, '')),
			text(S.x + PAD + 26, 180, l.pattern!),
			shapes(row(212, '', { tap: true, icon: PINK })),
			text(S.x + PAD + 26, 216, l.pin!, { bold: true, fill: RED }),
		],
	},
	{
		name: 'video-call',
		lessons: ['zalo-safety/02-calls'],
		dark: true,
		labels: {
			vi: { title: 'Cuộc gọi video đến', who: 'Con gái', calling: 'đang gọi video…', no: 'Từ chối', yes: 'Nghe' },
			en: { title: 'Incoming video call', who: 'Your daughter', calling: 'is video calling…', no: 'Decline', yes: 'Answer' },
		},
		draw: (l) => [
			text(160, 66, l.title!, { size: 11, anchor: 'middle', fill: '#fff' }),
			shapes(
				`<circle cx="160" cy="110" r="24" fill="${GREY}" stroke="none"/><circle cx="160" cy="103" r="8" stroke="#fff"/><path d="M147 124a13 10 0 0 1 26 0" stroke="#fff"/>`,
			),
			text(160, 156, l.who!, { size: 13, bold: true, anchor: 'middle', fill: '#fff' }),
			text(160, 174, l.calling!, { size: 11, anchor: 'middle', fill: '#fff' }),
			// Decline (red) and answer (green, touched).
			shapes(
				`<circle cx="110" cy="222" r="16" fill="${RED}" stroke="${RED}"/><path d="M101 224q9-8 18 0" stroke="#fff" stroke-width="3"/><circle cx="210" cy="222" r="16" fill="${GREEN}" stroke="${GREEN}"/><rect x="201" y="216" width="13" height="11" rx="2" stroke="#fff" stroke-width="2"/><path d="M214 220l6-3v10l-6-3" stroke="#fff" stroke-width="2"/><circle cx="210" cy="222" r="22" fill="none" stroke="${PINK}" stroke-width="2" stroke-dasharray="4 5"/>`,
			),
			text(110, 258, l.no!, { size: 11, anchor: 'middle', fill: '#fff' }),
			text(210, 258, l.yes!, { size: 11, bold: true, anchor: 'middle', fill: '#fff' }),
		],
	},
	{
		name: 'portal-home',
		lessons: ['public-services/01-portal'],
		labels: {
			vi: { address: 'dichvucong.gov.vn', title: 'Cổng Dịch vụ công quốc gia', box: 'Tìm kiếm thủ tục', login: 'Đăng nhập' },
			en: { address: 'dichvucong.gov.vn', title: 'National Public Service Portal', box: 'Search procedures', login: 'Sign in' },
		},
		draw: (l) => [
			shapes(addressBar(l.address!)),
			para(160, 100, l.title!, 18, { size: 13, bold: true, anchor: 'middle' }, 16),
			button(138, l.login!, { tap: true }),
			field(190, l.box!, '', { placeholder: true }).replace(/<text[^>]*><\/text>/, ''),
			shapes(`<circle cx="229" cy="207" r="5" stroke="${GREY}" stroke-width="1.5"/><path d="M233 211l4 4" stroke="${GREY}" stroke-width="1.5"/>`),
			shapes(bars(S.x + PAD, 244, [150, 110])),
		],
	},
)

/** A chat header: back arrow, a face, the name. */
function chatHeader(name: string) {
	return [
		shapes(`<path d="M82 56l-5 5 5 5"/><circle cx="102" cy="61" r="10" fill="${PANEL}" stroke="none"/><path d="M${S.x} 76h${S.w}" stroke="${LINE}"/>`),
		text(118, 66, name, { size: 13, bold: true }),
	].join('')
}

/** A small QR code (no real data), top-left corner at (x, y), 72 px. */
const qr = (x: number, y: number) =>
	`<rect x="${x}" y="${y}" width="72" height="72" rx="3" fill="#fff" stroke="${LINE}"/><g fill="${INK}" stroke="none"><rect x="${x + 6}" y="${y + 6}" width="18" height="18"/><rect x="${x + 48}" y="${y + 6}" width="18" height="18"/><rect x="${x + 6}" y="${y + 48}" width="18" height="18"/><rect x="${x + 32}" y="${y + 32}" width="8" height="8"/><rect x="${x + 48}" y="${y + 52}" width="8" height="8"/><rect x="${x + 58}" y="${y + 42}" width="8" height="8"/><rect x="${x + 32}" y="${y + 12}" width="8" height="8"/><rect x="${x + 32}" y="${y + 52}" width="8" height="8"/></g>`

drawings.push(
	{
		name: 'bank-history',
		lessons: ['cashless/01-bank-app'],
		labels: {
			vi: { title: 'Lịch sử giao dịch', in: '+200.000 đ', inWhat: 'Tiền bán rau', out: '−50.000 đ', outWhat: 'Trả tiền điện' },
			en: { title: 'Transaction history', in: '+200,000 VND', inWhat: 'Vegetables sold', out: '−50,000 VND', outWhat: 'Electricity bill' },
		},
		draw: (l) => [
			shapes(header(l.title!)),
			text(S.x + PAD, 104, l.in!, { size: 13, bold: true }),
			text(S.x + PAD, 122, l.inWhat!, { size: 11, fill: GREY }),
			shapes(`<path d="M${S.x + PAD} 134h${S.w - 2 * PAD}" stroke="${LINE}" stroke-width="1"/>`),
			text(S.x + PAD, 156, l.out!, { size: 13, bold: true }),
			text(S.x + PAD, 174, l.outWhat!, { size: 11, fill: GREY }),
			shapes(`<path d="M${S.x + PAD} 186h${S.w - 2 * PAD}" stroke="${LINE}" stroke-width="1"/>${bars(S.x + PAD, 204, [80, 110])}`),
			// Red rings round the plus and the minus: money in, money out.
			shapes(`<circle cx="82" cy="100" r="9" stroke="${RED}" stroke-width="2"/><circle cx="82" cy="152" r="9" stroke="${RED}" stroke-width="2"/>`),
		],
	},
	{
		name: 'qr-choose-photo',
		lessons: ['cashless/03-qr-same-phone'],
		dark: true,
		labels: {
			vi: { title: 'Quét QR', hint: 'Đưa mã QR vào khung', photo: 'Chọn ảnh' },
			en: { title: 'Scan QR', hint: 'Put the QR code in the frame', photo: 'Choose image' },
		},
		draw: (l) => [
			text(160, 66, l.title!, { size: 13, bold: true, anchor: 'middle', fill: '#fff' }),
			shapes(`<g stroke="#fff" stroke-width="3"><path d="M110 100v-14h14M210 100v-14h-14M110 186v14h14M210 186v14h-14"/></g>`),
			para(160, 146, l.hint!, 16, { size: 11, anchor: 'middle', fill: '#fff' }, 13),
			// The picture button in the corner, touched.
			shapes(
				`<rect x="206" y="222" width="26" height="20" rx="3" fill="${PINK}" stroke="${RED}"/><path d="M209 238l6-6 5 4 4-3 6 5" stroke="${RED}" stroke-width="1.5"/>${touch(219, 232)}`,
			),
			text(219, 262, l.photo!, { size: 11, bold: true, anchor: 'end', fill: '#fff' }),
		],
	},
	{
		name: 'receive-qr',
		lessons: ['cashless/04-welfare'],
		labels: {
			vi: { title: 'Mã QR nhận tiền', name: 'NGUYEN THI B', share: 'Chia sẻ mã QR' },
			en: { title: 'Receive-money QR code', name: 'NGUYEN THI B', share: 'Share QR code' },
		},
		draw: (l) => [
			shapes(header(l.title!)),
			shapes(qr(124, 90)),
			text(160, 188, l.name!, { bold: true, anchor: 'middle' }),
			shapes(bars(118, 204, [84])),
			button(230, l.share!, { tap: true }),
		],
	},
	{
		name: 'health-record',
		lessons: ['health/02-health-record'],
		labels: {
			vi: { title: 'Sổ sức khỏe điện tử', info: 'Thông tin sức khỏe', history: 'Lịch sử khám chữa bệnh', latest: 'Lần khám gần nhất' },
			en: { title: 'E-health record', info: 'Health information', history: 'Medical history', latest: 'Latest visit' },
		},
		draw: (l) => [
			shapes(header(l.title!)),
			shapes(row(100, '')),
			text(S.x + PAD + 26, 104, l.info!),
			text(S.x + PAD, 140, l.history!, { size: 11, fill: GREY }),
			shapes(row(164, '', { tap: true, icon: PINK })),
			text(S.x + PAD + 26, 168, l.latest!, { bold: true, fill: RED }),
			shapes(row(200, '') + bars(104, 200, [80])),
			shapes(row(236, '') + bars(104, 236, [64])),
		],
	},
	{
		name: 'calendar-event',
		lessons: ['health/05-follow-up'],
		labels: {
			vi: { title: 'Sự kiện mới', name: 'Tên', value: 'Tái khám', when: 'Nhắc lúc', whenValue: 'Thứ Hai, 7 giờ', save: 'Lưu' },
			en: { title: 'New event', name: 'Title', value: 'Follow-up', when: 'Remind at', whenValue: 'Monday, 7:00', save: 'Save' },
		},
		draw: (l) => [shapes(header(l.title!)), field(100, l.name!, l.value!), field(150, l.when!, l.whenValue!), button(210, l.save!, { tap: true })],
	},
	{
		name: 'weather',
		lessons: ['info-ai/02-weather-prices'],
		labels: {
			vi: { place: 'Thuận Châu', temp: '24°C', sky: 'Có mưa rào', tue: 'Thứ Ba: mưa', wed: 'Thứ Tư: nắng', more: 'Các ngày tới' },
			en: { place: 'Thuận Châu', temp: '24°C', sky: 'Showers', tue: 'Tuesday: rain', wed: 'Wednesday: sun', more: 'Coming days' },
		},
		draw: (l) => [
			text(160, 68, l.place!, { size: 13, bold: true, anchor: 'middle' }),
			// A cloud with rain, and the temperature.
			shapes(
				`<path d="M96 112a10 10 0 0 1 4-19 14 14 0 0 1 27 2 9 9 0 0 1 1 17z" fill="${PANEL}" stroke="${GREY}"/><path d="M104 118l-3 7M114 118l-3 7M124 118l-3 7" stroke="${GREY}"/>`,
			),
			text(150, 112, l.temp!, { size: 26, bold: true }),
			text(160, 146, l.sky!, { anchor: 'middle' }),
			shapes(`<path d="M${S.x + PAD} 160h${S.w - 2 * PAD}" stroke="${LINE}" stroke-width="1"/>`),
			text(S.x + PAD, 182, l.tue!),
			text(S.x + PAD, 202, l.wed!),
			button(226, l.more!, { tap: true }),
		],
	},
	{
		name: 'ai-video',
		lessons: ['info-ai/05-ai-fakes'],
		labels: {
			vi: { title: 'Video quảng cáo', said: '“Tôi là bác sĩ… thuốc này khỏi hẳn sau 3 ngày!”', check: 'Kiểm tra người đăng' },
			en: { title: 'Advert video', said: '“I am a doctor… this medicine cures you in 3 days!”', check: 'Check the poster' },
		},
		draw: (l) => [
			shapes(header(l.title!)),
			// The video: a face, a play bar.
			shapes(
				`<rect x="${S.x + PAD}" y="84" width="${S.w - 2 * PAD}" height="92" rx="4" fill="${PANEL}" stroke="none"/><circle cx="160" cy="120" r="16" fill="${LINE}" stroke="${GREY}"/><path d="M136 162a24 16 0 0 1 48 0" fill="${LINE}" stroke="${GREY}"/><path d="M${S.x + PAD} 172h60" stroke="${RED}" stroke-width="3"/>`,
			),
			shapes(`<rect x="${S.x + PAD}" y="182" width="${S.w - 2 * PAD}" height="40" rx="6" fill="${PINK}" stroke="${RED}"/>`),
			para(160, 198, l.said!, 26, { size: 11, anchor: 'middle', fill: RED }, 14),
			button(234, l.check!, { tap: true }),
		],
	},
	{
		name: 'contacts',
		lessons: ['smartphone/05-camera-calls'],
		labels: {
			vi: { title: 'Danh bạ', son: 'Con trai', call: 'Gọi' },
			en: { title: 'Contacts', son: 'My son', call: 'Call' },
		},
		draw: (l) => [
			shapes(header(l.title!)),
			shapes(row(100, '') + bars(104, 100, [60])),
			shapes(row(136, '', { tap: true, icon: PINK })),
			text(S.x + PAD + 26, 140, l.son!, { bold: true, fill: RED }),
			shapes(row(172, '') + bars(104, 172, [76])),
			// The call button: a green receiver, touched.
			shapes(
				`<circle cx="142" cy="228" r="16" fill="${GREEN}" stroke="${GREEN}"/><path d="M135 221q0 10 10 14" stroke="#fff" stroke-width="3"/>${touch(150, 236)}`,
			),
			text(168, 232, l.call!, { size: 13, bold: true }),
		],
	},
	{
		name: 'call-bank',
		lessons: ['scam-safety/05-what-to-do'],
		labels: {
			vi: { title: 'Tổng đài ngân hàng', number: 'số in sau thẻ ngân hàng', call: 'Gọi ngay' },
			en: { title: 'Bank hotline', number: 'the number on the back of your bank card', call: 'Call now' },
		},
		draw: (l) => [
			text(160, 70, l.title!, { size: 13, bold: true, anchor: 'middle' }),
			// The back of a bank card: the stripe and the hotline line in red.
			shapes(
				`<rect x="${S.x + PAD + 10}" y="84" width="${S.w - 2 * PAD - 20}" height="80" rx="8" fill="${FRAME}" stroke="${LINE}"/><rect x="${S.x + PAD + 11}" y="96" width="${S.w - 2 * PAD - 22}" height="12" fill="${INK}" stroke="none"/><path d="M100 124h60" stroke="${LINE}" stroke-width="4"/><rect x="96" y="136" width="110" height="16" rx="3" fill="${PINK}" stroke="${RED}"/><path d="M102 144h96" stroke="${RED}" stroke-width="4" stroke-dasharray="6 4"/>`,
			),
			para(160, 182, l.number!, 26, { size: 11, anchor: 'middle', fill: GREY }, 13),
			shapes(
				`<circle cx="160" cy="226" r="16" fill="${GREEN}" stroke="${GREEN}"/><path d="M153 219q0 10 10 14" stroke="#fff" stroke-width="3"/>${touch(168, 234)}`,
			),
			text(160, 264, l.call!, { size: 11, bold: true, anchor: 'middle' }),
		],
	},
	{
		name: 'newborn-linked',
		lessons: ['public-services/05-newborn'],
		labels: {
			vi: {
				address: 'dichvucong.gov.vn',
				title: 'Liên thông thủ tục',
				a: 'Đăng ký khai sinh',
				b: 'Đăng ký thường trú',
				c: 'Cấp thẻ BHYT',
				go: 'Nộp trực tuyến',
			},
			en: {
				address: 'dichvucong.gov.vn',
				title: 'Linked procedure',
				a: 'Birth registration',
				b: 'Permanent residence',
				c: 'Health-insurance card',
				go: 'Apply online',
			},
		},
		draw: (l) => [
			shapes(addressBar(l.address!)),
			text(S.x + PAD, 96, l.title!, { size: 13, bold: true }),
			...[l.a!, l.b!, l.c!].map((t, i) =>
				[shapes(`<path d="M${S.x + PAD} ${120 + i * 26}l4 4 7-8" stroke="${INK}"/>`), text(S.x + PAD + 16, 124 + i * 26, t)].join(''),
			),
			button(214, l.go!, { tap: true }),
		],
	},
	{
		name: 'zalo-lend',
		lessons: ['zalo-safety/03-lend-money'],
		labels: {
			vi: { name: 'Anh Tuấn', msg: 'Còn tiền không cho em mượn 10 triệu, chiều trả. Chuyển vào tài khoản này nhé.', call: 'Gọi số điện thoại quen để hỏi' },
			en: {
				name: 'Tuấn',
				msg: 'Got any money? Lend me 10 million, I will pay you back this afternoon. Send it to this account.',
				call: 'Call his usual number to ask',
			},
		},
		draw: (l) => {
			const lines = wrap(l.msg!, 22)
			return [
				chatHeader(l.name!),
				shapes(`<rect x="${S.x + PAD}" y="88" width="${S.w - 2 * PAD}" height="${lines.length * 15 + 12}" rx="10" fill="${FRAME}" stroke="${LINE}"/>`),
				para(S.x + PAD + 8, 105, l.msg!, 22),
				shapes(`<rect x="${S.x + PAD}" y="222" width="${S.w - 2 * PAD}" height="38" rx="6" fill="${PINK}" stroke="${RED}"/>${touch(272, 241)}`),
				para(160, 245 - (wrap(l.call!, 24).length - 1) * 6.5, l.call!, 24, { size: 11, bold: true, anchor: 'middle', fill: RED }, 13),
			]
		},
	},
	{
		name: 'voice-message',
		lessons: ['zalo-safety/01-messages'],
		labels: {
			vi: { name: 'Con trai', msg: 'Con ơi, mai mẹ lên thăm nhé.', hold: 'Giữ để ghi âm', time: '0:03' },
			en: { name: 'My son', msg: 'Son, I will come and visit tomorrow.', hold: 'Hold to record', time: '0:03' },
		},
		draw: (l) => {
			const lines = wrap(l.msg!, 20)
			return [
				chatHeader(l.name!),
				// What you are saying, on your side (right), and the seconds counted.
				shapes(`<rect x="110" y="92" width="132" height="${lines.length * 15 + 12}" rx="10" fill="${PANEL}" stroke="none"/>`),
				para(118, 109, l.msg!, 20),
				text(160, 170, l.time!, { size: 13, bold: true, anchor: 'middle', fill: RED }),
				shapes(
					`<circle cx="160" cy="214" r="24" fill="${PINK}" stroke="${RED}"/><rect x="153" y="200" width="14" height="22" rx="7" stroke="${RED}" stroke-width="2.5"/><path d="M148 216a12 12 0 0 0 24 0M160 228v4" stroke="${RED}" stroke-width="2.5"/><circle cx="160" cy="214" r="32" stroke="${RED}" stroke-width="2" stroke-dasharray="4 5"/>`,
				),
				text(160, 262, l.hold!, { size: 11, bold: true, anchor: 'middle', fill: RED }),
			]
		},
	},
	{
		name: 'deepfake-call',
		lessons: ['zalo-safety/04-deepfake'],
		dark: true,
		labels: {
			vi: { title: 'Cuộc gọi video', said: 'Cháu đây, cháu gặp tai nạn, bà chuyển gấp cho cháu…', end: 'Kết thúc' },
			en: { title: 'Video call', said: 'It’s me, I had an accident, Grandma please send money fast…', end: 'End call' },
		},
		draw: (l) => [
			text(160, 62, l.title!, { size: 11, anchor: 'middle', fill: '#fff' }),
			// A blurred face: soft shapes and broken lines (a weak picture).
			shapes(
				`<circle cx="160" cy="108" r="22" fill="${GREY}" stroke="${LINE}" stroke-dasharray="3 4"/><path d="M128 156a32 20 0 0 1 64 0" fill="${GREY}" stroke="${LINE}" stroke-dasharray="3 4"/><path d="M90 86h30M200 130h30M96 140h20" stroke="${GREY}" stroke-width="3"/>`,
			),
			shapes(`<rect x="${S.x + PAD}" y="164" width="${S.w - 2 * PAD}" height="${wrap(l.said!, 26).length * 14 + 12}" rx="8" fill="${PINK}" stroke="${RED}"/>`),
			para(160, 180, l.said!, 26, { size: 11, anchor: 'middle', fill: RED }, 14),
			shapes(`<circle cx="160" cy="230" r="14" fill="${RED}" stroke="${RED}"/><path d="M152 232q8-7 16 0" stroke="#fff" stroke-width="3"/>${touch(170, 238)}`),
			text(160, 266, l.end!, { size: 11, bold: true, anchor: 'middle', fill: '#fff' }),
		],
	},
	{
		name: 'zalo-privacy',
		lessons: ['zalo-safety/05-privacy'],
		labels: {
			vi: {
				title: 'Quyền riêng tư',
				birthday: 'Hiện ngày sinh',
				msg: 'Cho phép nhắn tin',
				calls: 'Cho phép gọi điện',
				friends: 'Bạn bè',
				find: 'Quản lý nguồn tìm kiếm và kết bạn',
			},
			en: { title: 'Privacy', birthday: 'Show birthday', msg: 'Allow messages', calls: 'Allow calls', friends: 'Friends', find: 'How people find and add you' },
		},
		draw: (l) => [
			shapes(header(l.title!)),
			shapes(row(98, '', { toggle: true, on: false })),
			text(S.x + PAD + 26, 102, l.birthday!),
			...[l.msg!, l.calls!].map((t, i) =>
				[shapes(row(134 + i * 38, '')), text(S.x + PAD + 26, 132 + i * 38, t), text(S.x + PAD + 26, 146 + i * 38, l.friends!, { size: 11, fill: GREY })].join(
					'',
				),
			),
			shapes(`<rect x="${S.x + 2}" y="212" width="${S.w - 4}" height="38" rx="4" fill="${PINK}" stroke="${RED}"/>${touch(S.x + PAD + 9, 231)}`),
			para(S.x + PAD + 26, 227, l.find!, 22, { size: 11, bold: true, fill: RED }, 13),
		],
	},
)

export function render(d: Drawing, lng: Lng) {
	return svg(lng, d.draw(d.labels[lng], lng), d.dark)
}

/** Drawings whose file differs from what this script draws (edited by hand, or labels changed without running it). */
export function staleDrawings(root = CONTENT_DIR): string[] {
	const problems: string[] = []
	for (const d of drawings)
		for (const lng of ['vi', 'en'] as const)
			for (const lesson of d.lessons) {
				const file = path.join(root, lesson, `${d.name}.${lng}.svg`)
				if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== render(d, lng))
					problems.push(`${file}: not what scripts/draw-screens.ts draws (run npm run content:draw; never edit the file by hand)`)
			}
	return problems
}

if (import.meta.url === `file://${process.argv[1]}`) {
	for (const d of drawings)
		for (const lng of ['vi', 'en'] as const) {
			const out = render(d, lng)
			for (const lesson of d.lessons) {
				const file = path.join(CONTENT_DIR, lesson, `${d.name}.${lng}.svg`)
				fs.writeFileSync(file, out)
				console.log(`${path.relative(process.cwd(), file)} ${out.length} bytes`)
			}
		}
}
