// Progressive enhancement for the province → commune picker: without JavaScript the form has a
// "Show communes" button that reloads the list on the server.
document.querySelectorAll('[data-commune-picker]').forEach((box) => {
	const province = box.querySelector<HTMLSelectElement>('select[name="provinceCode"]')
	const commune = box.querySelector<HTMLSelectElement>('select[name="communeCode"]')
	const button = box.querySelector<HTMLElement>('[data-show-communes]')
	if (!province || !commune || !('fetch' in window)) return
	if (button) button.hidden = true
	let asked = 0
	province.addEventListener('change', () => {
		const ticket = ++asked
		const wanted = province.value
		fetch('/resources/communes?province=' + encodeURIComponent(wanted))
			.then((r) => r.json())
			.then((data: { communes: { value: string; label: string }[] }) => {
				// A later choice of province wins; a commune chosen meanwhile stays chosen if it is listed.
				if (ticket !== asked || province.value !== wanted) return
				const chosen = commune.value
				const first = commune.options[0]
				commune.innerHTML = ''
				if (first && first.value === '') commune.appendChild(first)
				data.communes.forEach((c) => {
					const o = document.createElement('option')
					o.value = c.value
					o.textContent = c.label
					commune.appendChild(o)
				})
				commune.value = chosen
				if (commune.value !== chosen) commune.value = ''
			})
			.catch(() => {
				if (button) button.hidden = false
			})
	})
})
