// "Save to learn offline" on a course page (docs/decisions/007-offline.md): fetches every lesson
// page of the course and keeps it in the cache the service worker reads when there is no
// connection. Courses the learner is enrolled in are saved (or brought up to date) on every visit
// online, unless the phone asks to save data. What is saved is shown from the cache itself.
;(function () {
	var box = document.querySelector('[data-offline-save]')
	if (!box || !window.caches || !('serviceWorker' in navigator) || !window.fetch) return
	// Shared with app/sw/service-worker.js.
	var PAGES = 'hvs-pages-v1'
	var urls = (box.getAttribute('data-urls') || '').split(' ').filter(Boolean)
	var course = box.getAttribute('data-course')
	var version = box.getAttribute('data-version')
	var status = box.querySelector('[data-status]')
	var save = box.querySelector('[data-save]')
	var remove = box.querySelector('[data-remove]')
	var metaKey = 'hvs-saved:' + course
	var busy = false
	box.hidden = false

	function msg(key, n, extra) {
		return (box.getAttribute('data-msg-' + key) || '').replace('{n}', String(n)).replace('{total}', String(urls.length)).replace('{size}', extra || '')
	}
	function meta() {
		try {
			return JSON.parse(localStorage.getItem(metaKey) || 'null')
		} catch (e) {
			return null
		}
	}
	function kb(bytes) {
		return Math.max(1, Math.round(bytes / 1024)) + ' KB'
	}

	function refresh(note) {
		return caches.open(PAGES).then(function (cache) {
			return Promise.all(urls.map(function (url) { return cache.match(url, { ignoreSearch: true, ignoreVary: true }) })).then(function (found) {
				var n = 0
				found.forEach(function (response, i) {
					var li = document.querySelector('[data-lesson-url="' + urls[i] + '"]')
					var mark = li && li.querySelector('.saved-mark')
					if (response) n++
					if (li && response && !mark) {
						mark = document.createElement('span')
						mark.className = 'hint saved-mark'
						mark.textContent = ' · 📥 ' + msg('lessonsaved', 0)
						li.appendChild(mark)
					} else if (mark && !response) mark.remove()
				})
				status.textContent = (n === urls.length ? msg('saved', n) : n ? msg('partial', n) : msg('none', 0)) + (note ? ' ' + note : '')
				box.setAttribute('data-saved', String(n))
				remove.hidden = n === 0
				var current = meta()
				if (n === urls.length && current && current.version !== version) save.textContent = msg('update', 0)
				return n
			})
		})
	}

	function saveAll() {
		if (busy) return Promise.resolve()
		busy = true
		save.disabled = true
		var done = 0
		var bytes = 0
		return caches
			.open(PAGES)
			.then(function (cache) {
				// One lesson after another: on a weak signal, parallel downloads only compete.
				return urls.reduce(function (chain, url) {
					return chain.then(function () {
						return fetch(url, { credentials: 'same-origin', headers: { 'X-Offline-Save': '1' } }).then(function (response) {
							if (!response.ok || response.redirected) throw new Error('save ' + response.status)
							var timing = performance.getEntriesByName(new URL(url, location.href).href).pop()
							if (timing && timing.transferSize) bytes += timing.transferSize
							var copy = response.clone()
							return cache.put(url, response).then(function () {
								// The lesson's pictures (hashed, under /content/) go with it.
								return copy.text().then(function (html) {
									var images = html.match(/src="\/content\/[^"]+"/g) || []
									return Promise.all(images.map(function (src) { return cache.add(src.slice(5, -1)) }))
								})
							}).then(function () {
								done++
								status.textContent = msg('saving', done)
							})
						})
					})
				}, Promise.resolve())
			})
			.then(function () {
				try {
					localStorage.setItem(metaKey, JSON.stringify({ version: version, savedAt: new Date().toISOString(), title: box.getAttribute('data-title'), url: location.pathname }))
				} catch (e) {}
				return refresh(bytes ? msg('downloaded', 0, kb(bytes)) : '')
			})
			.catch(function () {
				return refresh(msg('failed', 0))
			})
			.then(function () {
				busy = false
				save.disabled = false
			})
	}

	save.addEventListener('click', saveAll)
	remove.addEventListener('click', function () {
		caches.open(PAGES).then(function (cache) {
			return Promise.all(urls.map(function (url) { return cache.delete(url, { ignoreSearch: true, ignoreVary: true }) }))
		}).then(function () {
			try { localStorage.removeItem(metaKey) } catch (e) {}
			return refresh(msg('removed', 0))
		})
	})

	refresh().then(function (n) {
		var current = meta()
		var stale = n < urls.length || !current || current.version !== version
		var saveData = navigator.connection && navigator.connection.saveData
		if (box.hasAttribute('data-enrolled') && stale && navigator.onLine && !saveData) saveAll()
	})
})()
