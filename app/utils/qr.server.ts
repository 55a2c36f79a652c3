import QRCode from 'qrcode'

/** A QR code of `text` as an inline SVG string (one-module margin, medium error correction). */
export function qrSvg(text: string): Promise<string> {
	return QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
}
