/**
 * The certificate page's "Chia sẻ" and "In" (app/routes/certificates+/$code.tsx). Without this
 * script each opens a panel that works on its own (a link to copy, SMS, e-mail; how to print from
 * the browser's menu). With it, "Chia sẻ" opens the phone's sharePanel sheet (Web Share: Zalo,
 * Messenger, SMS…) where there is one, else the panel with a copy button; "In" opens the print
 * dialog. The sentences come from the page, in its language.
 */
const sharePanel = document.querySelector<HTMLDetailsElement>('details[data-share]')
if (sharePanel) {
	const data = { title: sharePanel.dataset.title ?? '', text: sharePanel.dataset.text ?? '', url: sharePanel.dataset.url ?? '' }
	sharePanel.querySelector('summary')?.addEventListener('click', (event) => {
		if (sharePanel.open || typeof navigator.share !== 'function') return
		if (navigator.canShare && !navigator.canShare(data)) return
		event.preventDefault()
		// A cancelled or failed share sheet leaves the panel, which always works.
		navigator.share(data).catch((error: unknown) => {
			if ((error as { name?: string })?.name !== 'AbortError') sharePanel.open = true
		})
	})
	const row = sharePanel.querySelector<HTMLElement>('[data-copy-row]')
	const button = sharePanel.querySelector<HTMLButtonElement>('[data-copy]')
	const status = sharePanel.querySelector<HTMLElement>('[data-copy-status]')
	if (row && button && status && navigator.clipboard) {
		row.hidden = false
		button.addEventListener('click', () => {
			navigator.clipboard.writeText(data.url).then(
				() => {
					status.textContent = button.dataset.msgCopied ?? ''
				},
				() => sharePanel.querySelector<HTMLInputElement>('input')?.select(),
			)
		})
	}
}

const printPanel = document.querySelector<HTMLDetailsElement>('details[data-print-panel]')
printPanel?.querySelector('summary')?.addEventListener('click', (event) => {
	if (typeof window.print !== 'function') return
	event.preventDefault()
	window.print()
})
