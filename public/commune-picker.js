// Progressive enhancement for the province → commune picker: without JavaScript the form has a
// "Show communes" button that reloads the list on the server.
document.querySelectorAll('[data-commune-picker]').forEach(function (box) {
	var province = box.querySelector('select[name="provinceCode"]')
	var commune = box.querySelector('select[name="communeCode"]')
	var button = box.querySelector('[data-show-communes]')
	if (!province || !commune || !window.fetch) return
	if (button) button.hidden = true
	province.addEventListener('change', function () {
		fetch('/resources/communes?province=' + encodeURIComponent(province.value))
			.then(function (r) { return r.json() })
			.then(function (data) {
				var first = commune.options[0]
				commune.innerHTML = ''
				if (first && first.value === '') commune.appendChild(first)
				data.communes.forEach(function (c) {
					var o = document.createElement('option')
					o.value = c.value
					o.textContent = c.label
					commune.appendChild(o)
				})
			})
			.catch(function () { if (button) button.hidden = false })
	})
})
