// Offline support on every page (docs/decisions/007-offline.md); no React, and nothing here is
// needed for the page to work. It registers the service worker, keeps the outbox — learning
// events made without a connection, in IndexedDB — and sends them to /api/sync when the phone is
// online: at once, when the connection returns, and on the next visit. The server replays them
// idempotently, so sending one twice (reload mid-send, two tabs) records it once.
;(function () {
	var bar = document.getElementById('offline-status')
	if (!bar || !window.indexedDB || !window.fetch || !window.Promise) return
	if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(function () {})

	function msg(key, n) {
		return (bar.getAttribute('data-msg-' + key) || '').replace('{n}', String(n))
	}

	var dbPromise
	function db() {
		if (!dbPromise) {
			dbPromise = new Promise(function (resolve, reject) {
				var open = indexedDB.open('hvs-offline', 1)
				open.onupgradeneeded = function () {
					open.result.createObjectStore('outbox', { keyPath: 'clientId' })
				}
				open.onsuccess = function () { resolve(open.result) }
				open.onerror = function () { reject(open.error) }
			})
		}
		return dbPromise
	}
	function tx(mode, fn) {
		return db().then(function (d) {
			return new Promise(function (resolve, reject) {
				var t = d.transaction('outbox', mode)
				var result = fn(t.objectStore('outbox'))
				t.oncomplete = function () { resolve(result && 'result' in result ? result.result : undefined) }
				t.onerror = t.onabort = function () { reject(t.error) }
			})
		})
	}
	function pending() {
		return tx('readonly', function (s) { return s.getAll() }).then(function (all) {
			return (all || []).sort(function (a, b) { return a.queuedAt - b.queuedAt })
		})
	}
	function queue(event) {
		event.queuedAt = Date.now() + Math.random() / 1000
		return tx('readwrite', function (s) { s.put(event) }).then(function () {
			showPending()
			// Lie-fi: the phone may say it is online when it is not; try, and keep it if that fails.
			if (navigator.onLine) setTimeout(flush, 0)
			return event
		})
	}
	function remove(ids) {
		return tx('readwrite', function (s) { ids.forEach(function (id) { s.delete(id) }) })
	}
	function uuid() {
		if (window.crypto && crypto.randomUUID) return crypto.randomUUID()
		var b = crypto.getRandomValues(new Uint8Array(16))
		b[6] = (b[6] & 15) | 64
		b[8] = (b[8] & 63) | 128
		var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1) }).join('')
		return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20)
	}

	function show(lines, closable) {
		var list = bar.querySelector('[data-lines]')
		list.textContent = ''
		lines.forEach(function (line) {
			var p = document.createElement('p')
			p.textContent = line.text
			if (line.className) p.className = line.className
			if (line.href) {
				var a = document.createElement('a')
				a.href = line.href
				a.textContent = line.link
				p.appendChild(document.createTextNode(' '))
				p.appendChild(a)
			}
			list.appendChild(p)
		})
		bar.querySelector('[data-close]').hidden = !closable
		bar.hidden = lines.length === 0
	}
	function showPending() {
		return pending().then(function (events) {
			if (!events.length) {
				if (bar.getAttribute('data-state') !== 'results') show([])
				return events
			}
			bar.setAttribute('data-state', 'pending')
			show([{ text: msg('pending', events.length), className: 'offline-pending' }], false)
			return events
		})
	}

	var flushing = null
	var retry = null
	function flush() {
		if (flushing) return flushing
		flushing = pending()
			.then(function (events) {
				if (!events.length) return
				if (!navigator.onLine) return showPending()
				var batch = events.slice(0, 100)
				bar.setAttribute('data-state', 'sending')
				show([{ text: msg('sending', batch.length) }], false)
				return fetch('/api/sync', {
					method: 'POST',
					credentials: 'same-origin',
					headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
					body: JSON.stringify({
						events: batch.map(function (e) {
							var out = { kind: e.kind, clientId: e.clientId, lessonId: e.lessonId, occurredAt: e.occurredAt }
							if (e.userId) out.userId = e.userId
							if (e.answers) out.answers = e.answers
							return out
						}),
					}),
				}).then(function (res) {
					if (res.status === 401) {
						bar.setAttribute('data-state', 'pending')
						show([{ text: msg('pending', events.length) }, { text: msg('signin', 0), href: '/login?redirectTo=' + encodeURIComponent(location.pathname), link: msg('signinlink', 0) }], true)
						return
					}
					if (!res.ok) throw new Error('sync ' + res.status)
					return res.json().then(function (body) {
						var done = []
						var lines = []
						body.results.forEach(function (r) {
							if (r.ok || !r.keep) done.push(r.clientId)
							var line = { text: r.text, className: r.ok && (!r.quiz || r.quiz.passed) ? 'offline-ok' : 'offline-warn' }
							if (r.certificateCode) {
								line.href = '/certificates/' + encodeURIComponent(r.certificateCode)
								line.link = msg('certificate', 0)
							}
							lines.push(line)
						})
						return remove(done).then(function () {
							remember(body.results)
							bar.setAttribute('data-state', 'results')
							show([{ text: msg('sent', done.length) }].concat(lines), true)
							document.dispatchEvent(new CustomEvent('hvs-synced', { detail: body.results }))
							if (events.length > batch.length) setTimeout(flush, 0)
						})
					})
				})
			})
			.catch(function () {
				showPending()
				// The server or the signal failed: try again in a while (the events stay on the phone).
				clearTimeout(retry)
				retry = setTimeout(flush, 30000)
			})
			.then(function () {
				flushing = null
			})
		return flushing
	}

	/** Lessons completed as the server knows them, per person: unlocks the next lesson offline. */
	function completedKey(userId) {
		return 'hvs-done:' + userId
	}
	function completed(userId) {
		try {
			return JSON.parse(localStorage.getItem(completedKey(userId)) || '[]')
		} catch (e) {
			return []
		}
	}
	function addCompleted(userId, ids) {
		if (!userId) return
		var all = completed(userId)
		ids.forEach(function (id) { if (all.indexOf(id) < 0) all.push(id) })
		try { localStorage.setItem(completedKey(userId), JSON.stringify(all)) } catch (e) {}
	}
	var user = bar.getAttribute('data-user') || ''
	function remember(results) {
		addCompleted(user, results.filter(function (r) { return r.ok && r.lessonCompleted }).map(function (r) { return r.lessonId }))
	}

	bar.querySelector('[data-close]').addEventListener('click', function () {
		bar.setAttribute('data-state', '')
		showPending()
	})
	window.addEventListener('online', function () { flush() })
	window.addEventListener('offline', function () { showPending() })

	// Signing out: send what is waiting first, then forget this person's saved pages.
	document.querySelectorAll('form[action="/logout"]').forEach(function (form) {
		form.addEventListener('submit', function (e) {
			if (form.getAttribute('data-flushed')) return
			e.preventDefault()
			var timeout = new Promise(function (r) { setTimeout(r, 5000) })
			Promise.race([flush(), timeout])
				.then(function () { return window.caches ? caches.delete('hvs-pages-v1') : null })
				.catch(function () {})
				.then(function () {
					try { localStorage.removeItem(completedKey(user)) } catch (err) {}
					form.setAttribute('data-flushed', '1')
					form.submit()
				})
		})
	})

	// The offline page lists the courses saved on this phone.
	var savedList = document.querySelector('[data-saved-courses]')
	if (savedList) {
		var any = false
		for (var i = 0; i < localStorage.length; i++) {
			var key = localStorage.key(i)
			if (!key || key.indexOf('hvs-saved:') !== 0) continue
			try {
				var saved = JSON.parse(localStorage.getItem(key))
				var li = document.createElement('li')
				var a = document.createElement('a')
				a.href = saved.url
				a.textContent = saved.title
				li.appendChild(a)
				savedList.appendChild(li)
				any = true
			} catch (e) {}
		}
		savedList.hidden = !any
		var none = document.querySelector('[data-saved-none]')
		if (none) none.hidden = any
	}

	window.hvsOffline = { queue: queue, pending: pending, flush: flush, uuid: uuid, completed: completed, addCompleted: addCompleted, user: user }
	document.dispatchEvent(new CustomEvent('hvs-offline-ready'))
	flush()
})()
