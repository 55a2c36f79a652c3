// The lesson page (no React here): "read it to me", offline forms and quizzes answered in place.
import { DOM_EVENT, EVENT_KIND, type EventKind, UNSENT_CACHE, URLS } from '#app/kernel/offline-constants.ts'
import { isLessonUnlocked } from '#app/kernel/progression.ts'
import { type OfflineApi, type OutboxEvent } from './offline-api.ts'
import { answersOf, fieldsOf, words } from './lesson-forms.ts'

const article = document.querySelector<HTMLElement>('article.lesson')
readAloud()
if (article) {
	if (window.hvsOffline) learnOffline(article, window.hvsOffline)
	else document.addEventListener(DOM_EVENT.offlineReady, () => learnOffline(article, window.hvsOffline!))
	if ('fetch' in window && window.JSON && window.FormData) answerInPlace(article)
}

/** "Read it to me" with the phone's own speech engine. */
function readAloud() {
	const button = document.querySelector<HTMLButtonElement>('button.listen')
	const body = document.querySelector('.lesson-body')
	if (!button || !body || !('speechSynthesis' in window)) return
	const lang = button.getAttribute('data-lang') || ''
	let speaking = false
	button.hidden = false
	button.addEventListener('click', () => {
		if (speaking) {
			speechSynthesis.cancel()
			return
		}
		const parts: string[] = []
		body.querySelectorAll('h2, p, li, figcaption, .mdx-tip, .mdx-warning').forEach((el) => {
			if (!el.closest('.mdx-quiz') && !el.closest('li p')) parts.push(el.textContent ?? '')
		})
		const u = new SpeechSynthesisUtterance(parts.join('. '))
		u.lang = lang
		u.rate = 0.9
		const voice = speechSynthesis.getVoices().filter((v) => v.lang && v.lang.replace('_', '-').indexOf(lang.slice(0, 2)) === 0)[0]
		if (voice) u.voice = voice
		u.onend = u.onerror = () => {
			speaking = false
			button.textContent = '🔊 ' + button.getAttribute('data-listen')
		}
		speaking = true
		button.textContent = '⏹ ' + button.getAttribute('data-stop')
		speechSynthesis.speak(u)
	})
}

/**
 * Offline learning (docs/decisions/007-offline.md). Without a connection the quiz and "I finished"
 * forms go to the outbox (offline.js) with a fresh client id and the time they happened, and the
 * page says so; a lesson saved while still locked opens once the lessons before it are done, on the
 * server or in the outbox. Online, the forms post as they always do (quizzes are answered in place,
 * below).
 */
function learnOffline(article: HTMLElement, off: OfflineApi) {
	const lessonId = article.getAttribute('data-lesson-id') || ''
	const notice = article.querySelector<HTMLElement>('[data-offline-notice]')
	// A page saved on the phone may be used many times: every use gets its own client id.
	article.querySelectorAll<HTMLInputElement>('input[name="clientId"]').forEach((input) => {
		input.value = off.uuid()
	})
	if (!article.hasAttribute('data-enrolled') || !notice) return
	const user = off.user
	off.addCompleted(user, words(article.getAttribute('data-completed')))

	function say(key: string) {
		notice!.textContent = notice!.getAttribute('data-msg-' + key)
		notice!.hidden = false
	}
	function showQueued(kind: EventKind) {
		say(kind === EVENT_KIND.quiz ? 'queued-quiz' : 'queued-complete')
		if (kind === EVENT_KIND.complete) {
			const complete = article.querySelector<HTMLElement>('.complete-form')
			if (complete) complete.hidden = true
			const next = article.querySelector('.lesson-nav a[rel="next"]')
			if (next) next.className = 'button'
		}
	}
	function eventFrom(fields: Record<string, string>, at: string): OutboxEvent {
		const quiz = fields.intent === 'submit-quiz'
		const event: OutboxEvent = {
			kind: quiz ? EVENT_KIND.quiz : EVENT_KIND.complete,
			clientId: fields.clientId || off.uuid(),
			lessonId,
			occurredAt: at,
			userId: user,
			path: location.pathname,
		}
		if (quiz) event.answers = answersOf(fields)
		return event
	}

	// Delegated: the quiz section is replaced when answered in place (below), form and all.
	article.addEventListener('submit', (e) => {
		const form = e.target as HTMLFormElement
		const intent = form.querySelector<HTMLInputElement>('input[name="intent"]')
		if (!intent || (intent.value !== 'complete' && intent.value !== 'submit-quiz')) return
		// Online: an ordinary post or answered in place (the service worker keeps a post if the signal drops on the way).
		if (navigator.onLine) return
		e.preventDefault()
		keep(form)
	})
	// A quiz that could not be answered in place (no answer, the server unavailable): the outbox
	// keeps it, with the same client id, and sends it when it can.
	article.addEventListener(DOM_EVENT.keepForm, (e) => {
		e.preventDefault()
		keep((e as CustomEvent<{ form: HTMLFormElement }>).detail.form)
	})
	function keep(form: HTMLFormElement) {
		const event = eventFrom(fieldsOf(form), new Date().toISOString())
		off.queue(event).then(() => {
			form.querySelector<HTMLInputElement>('input[name="clientId"]')!.value = off.uuid()
			showQueued(event.kind)
			unlock()
		})
	}
	// A quiz passed in place completes the lesson here too (lessons saved for offline unlock on it).
	article.addEventListener(DOM_EVENT.lessonCompleted, () => {
		off.addCompleted(user, [lessonId])
	})

	// Forms the service worker could not deliver (app/sw: UNSENT_CACHE) join the outbox here.
	function takeUnsent(): Promise<unknown> {
		if (!window.caches) return Promise.resolve()
		return caches.open(UNSENT_CACHE).then((cache) =>
			cache.keys().then((keys) =>
				Promise.all(
					keys.map((request) =>
						cache.match(request).then((response) =>
							response!.json().then((item: { path: string; fields: Record<string, string>; at: string }) => {
								if (item.path !== location.pathname) return
								return off.queue(eventFrom(item.fields, item.at)).then(() => cache.delete(request))
							}),
						),
					),
				),
			),
		)
	}

	function unlock() {
		return off.pending().then((events) => {
			const mine = events.filter((e) => e.userId === user)
			// Done on the phone: completed on the server as last seen, or waiting in the outbox.
			const done = off.completed(user).concat(mine.map((e) => e.lessonId))
			const body = article.querySelector<HTMLElement>('[data-locked-body]')
			// The page names the lessons before this one that it requires (none unless the course is sequential).
			const lessonIds = [...words(article.getAttribute('data-requires')), lessonId]
			if (body && body.hidden && isLessonUnlocked({ lessonIds, lessonId, completed: done, sequential: true })) {
				body.hidden = false
				const lock = article.querySelector<HTMLElement>('[data-lock-notice]')
				if (lock) lock.hidden = true
				say('unlocked')
			}
			const here = mine.filter((e) => e.lessonId === lessonId)
			if (here.length) showQueued(here[here.length - 1]!.kind)
		})
	}
	takeUnsent()
		.catch(() => {})
		.then(unlock)
	document.addEventListener(DOM_EVENT.synced, () => {
		off.pending().then((events) => {
			if (!events.some((e) => e.lessonId === lessonId)) notice.hidden = true
		})
	})
}

/**
 * Quizzes answered in place (docs/decisions/011-quiz-in-place.md). Online, the quiz goes to
 * /api/quiz as JSON and only the quiz section is replaced, with its feedback: no page reload over a
 * weak connection. Offline the outbox above takes it. If in-place fails (no answer, a server
 * error), an enrolled learner's outbox keeps it and sends it when it can; a visitor's form is sent
 * the ordinary way. The client id stays the same, so it is never counted twice.
 */
function answerInPlace(article: HTMLElement) {
	document.addEventListener('submit', (e) => {
		const form = e.target as HTMLFormElement
		if (e.defaultPrevented || !navigator.onLine || !form.closest || !form.closest('section.mdx-quiz')) return
		e.preventDefault()
		if (form.getAttribute('aria-busy') === 'true') return
		send(form)
	})

	function send(form: HTMLFormElement) {
		const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')
		const answers = answersOf(fieldsOf(form))
		form.setAttribute('aria-busy', 'true')
		if (button) button.disabled = true
		fetch(URLS.quiz, {
			method: 'POST',
			credentials: 'same-origin',
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: JSON.stringify({
				lessonId: article.getAttribute('data-lesson-id'),
				clientId: form.querySelector<HTMLInputElement>('input[name="clientId"]')!.value,
				answers,
			}),
		})
			.then((res) =>
				res.json().then((body: { ok?: boolean; html?: string; passed?: boolean; recorded?: boolean; message?: string } | null) => {
					if (body && body.ok) return show(form, body)
					if (body && body.ok === false && res.status < 500 && body.message) return refuse(form, body.message)
					throw new Error('in place failed')
				}),
			)
			.catch(() => {
				form.removeAttribute('aria-busy')
				if (button) button.disabled = false
				// A learner's outbox takes it (above); for anyone else the ordinary post. Either way the
				// same answers with the same client id: if this one did arrive, the replay changes nothing.
				const kept = !article.dispatchEvent(new CustomEvent(DOM_EVENT.keepForm, { cancelable: true, detail: { form } }))
				if (!kept) HTMLFormElement.prototype.submit.call(form)
			})
	}

	function show(form: HTMLFormElement, body: { html?: string; passed?: boolean; recorded?: boolean }) {
		const section = form.closest('section.mdx-quiz')
		const holder = document.createElement('div')
		holder.innerHTML = body.html ?? ''
		const fresh = holder.querySelector<HTMLElement>('section.mdx-quiz')
		if (!section || !fresh) throw new Error('no quiz section')
		section.parentNode!.replaceChild(fresh, section)
		if (body.passed && body.recorded) {
			const next = article.querySelector('.lesson-nav a[rel="next"]')
			if (next) next.className = 'button'
			article.dispatchEvent(new CustomEvent(DOM_EVENT.lessonCompleted))
		}
		const status = fresh.querySelector<HTMLElement>('[role="status"], [role="alert"]') || fresh
		status.setAttribute('tabindex', '-1')
		status.focus()
		fresh.scrollIntoView({ block: 'start' })
	}

	function refuse(form: HTMLFormElement, message: string) {
		const section = form.closest('section.mdx-quiz')!
		let box = section.querySelector('[data-quiz-refusal]')
		if (!box) {
			box = document.createElement('div')
			box.className = 'form-error'
			box.setAttribute('role', 'alert')
			box.setAttribute('data-quiz-refusal', '')
			section.insertBefore(box, form)
		}
		box.textContent = message
		form.removeAttribute('aria-busy')
		const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')
		if (button) button.disabled = false
	}
}
