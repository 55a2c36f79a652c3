/** The product's name: the same in every language. */
export const productName = 'Học Vụ Số'

/** A page's `<title>`: "Page — Học Vụ Số", or the product's name alone. Shared by the app's pages, its error pages and the server's own pages. */
export function titled(page?: string) {
	return page ? `${page} — ${productName}` : productName
}
