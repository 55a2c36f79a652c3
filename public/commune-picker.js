// Progressive enhancement for the province → commune picker: without JavaScript the form has a
// "Show communes" button that reloads the list on the server.
document.querySelectorAll('[data-commune-picker]').forEach(function (box) {
	var province = box.querySelector('select[name="provinceCode"]')
	var commune = box.querySelector('select[name="communeCode"]')
	var button = box.querySelector('[data-show-communes]')
	if (!province || !commune || !window.fetch) return
	if (button) button.hidden = true
	var asked = 0
	province.addEventListener('change', function () {
		var ticket = ++asked
		var wanted = province.value
		fetch('/resources/communes?province=' + encodeURIComponent(wanted))
			.then(function (r) { return r.json() })
			.then(function (data) {
				// A later choice of province wins; a commune chosen meanwhile stays chosen if it is listed.
				if (ticket !== asked || province.value !== wanted) return
				var chosen = commune.value
				var first = commune.options[0]
				commune.innerHTML = ''
				if (first && first.value === '') commune.appendChild(first)
				data.communes.forEach(function (c) {
					var o = document.createElement('option')
					o.value = c.value
					o.textContent = c.label
					commune.appendChild(o)
				})
				commune.value = chosen
				if (commune.value !== chosen) commune.value = ''
			})
			.catch(function () { if (button) button.hidden = false })
	})
})
