// Shared by the parts below: a lesson form's fields, and the quiz answers among them
// (answer.<question id> = <option id>), as the outbox and /api/quiz take them.
var lessonForms = {
	fieldsOf: function (form) {
		var fields = {}
		new FormData(form).forEach(function (value, key) { if (typeof value === 'string') fields[key] = value })
		return fields
	},
	answersOf: function (fields) {
		var answers = {}
		Object.keys(fields).forEach(function (key) {
			if (key.indexOf('answer.') === 0) answers[key.slice(7)] = fields[key]
		})
		return answers
	},
}

// Lesson page enhancement (no React here): "Read it to me" with the phone's own speech engine.
;(function () {
	var button = document.querySelector('button.listen')
	var body = document.querySelector('.lesson-body')
	if (!button || !body || !('speechSynthesis' in window)) return
	var lang = button.getAttribute('data-lang')
	var speaking = false
	button.hidden = false
	button.addEventListener('click', function () {
		if (speaking) {
			speechSynthesis.cancel()
			return
		}
		var parts = []
		body.querySelectorAll('h2, p, li, figcaption, .mdx-tip, .mdx-warning').forEach(function (el) {
			if (!el.closest('.mdx-quiz') && !el.closest('li p')) parts.push(el.textContent)
		})
		var u = new SpeechSynthesisUtterance(parts.join('. '))
		u.lang = lang
		u.rate = 0.9
		var voice = speechSynthesis.getVoices().filter(function (v) { return v.lang && v.lang.replace('_', '-').indexOf(lang.slice(0, 2)) === 0 })[0]
		if (voice) u.voice = voice
		u.onend = u.onerror = function () {
			speaking = false
			button.textContent = '🔊 ' + button.getAttribute('data-listen')
		}
		speaking = true
		button.textContent = '⏹ ' + button.getAttribute('data-stop')
		speechSynthesis.speak(u)
	})
})()

// Offline learning (docs/decisions/007-offline.md). Without a connection the quiz and "I finished"
// forms go to the outbox (public/offline.js) with a fresh client id and the time they happened,
// and the page says so; a lesson saved while still locked opens once the lessons before it are
// done, on the server or in the outbox. Online, the forms post as they always do (quizzes are
// answered in place, below).
;(function () {
	var article = document.querySelector('article.lesson')
	if (!article) return
	if (window.hvsOffline) init()
	else document.addEventListener('hvs-offline-ready', init)

	function init() {
		var off = window.hvsOffline
		var lessonId = article.getAttribute('data-lesson-id')
		var notice = article.querySelector('[data-offline-notice]')
		// A page saved on the phone may be used many times: every use gets its own client id.
		article.querySelectorAll('input[name="clientId"]').forEach(function (input) { input.value = off.uuid() })
		if (!article.hasAttribute('data-enrolled') || !notice) return
		var user = off.user
		off.addCompleted(user, words(article.getAttribute('data-completed')))

		function say(key) {
			notice.textContent = notice.getAttribute('data-msg-' + key)
			notice.hidden = false
		}
		function showQueued(kind) {
			say(kind === 'quiz.attempt' ? 'queued-quiz' : 'queued-complete')
			if (kind === 'lesson.complete') {
				var complete = article.querySelector('.complete-form')
				if (complete) complete.hidden = true
				var next = article.querySelector('.lesson-nav a[rel="next"]')
				if (next) next.className = 'button'
			}
		}
		function eventFrom(fields, at) {
			var quiz = fields.intent === 'submit-quiz'
			var event = { kind: quiz ? 'quiz.attempt' : 'lesson.complete', clientId: fields.clientId || off.uuid(), lessonId: lessonId, occurredAt: at, userId: user, path: location.pathname }
			if (quiz) event.answers = lessonForms.answersOf(fields)
			return event
		}
		var fieldsOf = lessonForms.fieldsOf

		// Delegated: the quiz section is replaced when answered in place (below), form and all.
		article.addEventListener('submit', function (e) {
			var form = e.target
			var intent = form.querySelector('input[name="intent"]')
			if (!intent || (intent.value !== 'complete' && intent.value !== 'submit-quiz')) return
			// Online: an ordinary post or answered in place (the service worker keeps a post if the signal drops on the way).
			if (navigator.onLine) return
			e.preventDefault()
			keep(form)
		})
		// A quiz that could not be answered in place (no answer, the server unavailable): the outbox
		// keeps it, with the same client id, and sends it when it can.
		article.addEventListener('hvs-keep-form', function (e) {
			e.preventDefault()
			keep(e.detail.form)
		})
		function keep(form) {
			var event = eventFrom(fieldsOf(form), new Date().toISOString())
			off.queue(event).then(function () {
				form.querySelector('input[name="clientId"]').value = off.uuid()
				showQueued(event.kind)
				unlock()
			})
		}
		// A quiz passed in place completes the lesson here too (lessons saved for offline unlock on it).
		article.addEventListener('hvs-lesson-completed', function () {
			off.addCompleted(user, [lessonId])
		})

		// Forms the service worker could not deliver (public sw: "hvs-unsent") join the outbox here.
		function takeUnsent() {
			if (!window.caches) return Promise.resolve()
			return caches.open('hvs-unsent').then(function (cache) {
				return cache.keys().then(function (keys) {
					return Promise.all(
						keys.map(function (request) {
							return cache.match(request).then(function (response) {
								return response.json().then(function (item) {
									if (item.path !== location.pathname) return
									return off.queue(eventFrom(item.fields, item.at)).then(function () { return cache.delete(request) })
								})
							})
						}),
					)
				})
			})
		}

		function unlock() {
			return off.pending().then(function (events) {
				var mine = events.filter(function (e) { return e.userId === user })
				var done = off.completed(user).concat(mine.map(function (e) { return e.lessonId }))
				var body = article.querySelector('[data-locked-body]')
				if (body && body.hidden && words(article.getAttribute('data-requires')).every(function (id) { return done.indexOf(id) >= 0 })) {
					body.hidden = false
					var lock = article.querySelector('[data-lock-notice]')
					if (lock) lock.hidden = true
					say('unlocked')
				}
				var here = mine.filter(function (e) { return e.lessonId === lessonId })
				if (here.length) showQueued(here[here.length - 1].kind)
			})
		}
		takeUnsent().catch(function () {}).then(unlock)
		document.addEventListener('hvs-synced', function () {
			off.pending().then(function (events) {
				if (!events.some(function (e) { return e.lessonId === lessonId })) notice.hidden = true
			})
		})
	}

	function words(value) {
		return (value || '').split(' ').filter(Boolean)
	}
})()

// Quizzes answered in place (docs/decisions/011-quiz-in-place.md). Online, the quiz goes to
// /api/quiz as JSON and only the quiz section is replaced, with its feedback: no page reload over a
// weak connection. Offline the outbox above takes it. If in-place fails (no answer, a server
// error), an enrolled learner's outbox keeps it and sends it when it can; a visitor's form is sent
// the ordinary way. The client id stays the same, so it is never counted twice.
;(function () {
	var article = document.querySelector('article.lesson')
	if (!article || !window.fetch || !window.JSON || !window.FormData) return
	document.addEventListener('submit', function (e) {
		var form = e.target
		if (e.defaultPrevented || !navigator.onLine || !form.closest || !form.closest('section.mdx-quiz')) return
		e.preventDefault()
		if (form.getAttribute('aria-busy') === 'true') return
		send(form)
	})

	function send(form) {
		var button = form.querySelector('button[type="submit"]')
		var answers = lessonForms.answersOf(lessonForms.fieldsOf(form))
		form.setAttribute('aria-busy', 'true')
		if (button) button.disabled = true
		fetch('/api/quiz', {
			method: 'POST',
			credentials: 'same-origin',
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: JSON.stringify({ lessonId: article.getAttribute('data-lesson-id'), clientId: form.querySelector('input[name="clientId"]').value, answers: answers }),
		})
			.then(function (res) {
				return res.json().then(function (body) {
					if (body && body.ok) return show(form, body)
					if (body && body.ok === false && res.status < 500 && body.message) return refuse(form, body.message)
					throw new Error('in place failed')
				})
			})
			.catch(function () {
				form.removeAttribute('aria-busy')
				if (button) button.disabled = false
				// A learner's outbox takes it (above); for anyone else the ordinary post. Either way the
				// same answers with the same client id: if this one did arrive, the replay changes nothing.
				var kept = !article.dispatchEvent(new CustomEvent('hvs-keep-form', { cancelable: true, detail: { form: form } }))
				if (!kept) HTMLFormElement.prototype.submit.call(form)
			})
	}

	function show(form, body) {
		var section = form.closest('section.mdx-quiz')
		var holder = document.createElement('div')
		holder.innerHTML = body.html
		var fresh = holder.querySelector('section.mdx-quiz')
		if (!section || !fresh) throw new Error('no quiz section')
		section.parentNode.replaceChild(fresh, section)
		if (body.passed && body.recorded) {
			var next = article.querySelector('.lesson-nav a[rel="next"]')
			if (next) next.className = 'button'
			article.dispatchEvent(new CustomEvent('hvs-lesson-completed'))
		}
		var status = fresh.querySelector('[role="status"], [role="alert"]') || fresh
		status.setAttribute('tabindex', '-1')
		status.focus()
		fresh.scrollIntoView({ block: 'start' })
	}

	function refuse(form, message) {
		var section = form.closest('section.mdx-quiz')
		var box = section.querySelector('[data-quiz-refusal]')
		if (!box) {
			box = document.createElement('div')
			box.className = 'form-error'
			box.setAttribute('role', 'alert')
			box.setAttribute('data-quiz-refusal', '')
			section.insertBefore(box, form)
		}
		box.textContent = message
		form.removeAttribute('aria-busy')
		var button = form.querySelector('button[type="submit"]')
		if (button) button.disabled = false
	}
})()
