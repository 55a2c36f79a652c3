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

/**
 * "Read it to me" with the phone's own speech engine: block by block (heading, paragraph, list item,
 * tip), the block being read highlighted and kept in view; pause and go on from the same block; a
 * slower pace. Glossary meanings are not read (the word is). When the phone has no voice for the
 * page's language it says so and how to add one.
 */
function readAloud() {
	const button = document.querySelector<HTMLButtonElement>('button.listen')
	const slower = document.querySelector<HTMLButtonElement>('button.listen-slower')
	const noVoice = document.querySelector<HTMLElement>('[data-no-voice]')
	const body = document.querySelector('.lesson-body')
	if (!button || !body || !('speechSynthesis' in window)) return
	const lang = button.getAttribute('data-lang') || ''
	const selector = 'h2, h3, p, li, figcaption, .mdx-tip, .mdx-warning'
	const blocks: HTMLElement[] = []
	body.querySelectorAll<HTMLElement>(selector).forEach((el) => {
		if (el.closest('.mdx-quiz') || (el.parentElement && el.parentElement.closest(selector))) return
		if (textOf(el)) blocks.push(el)
	})
	let state: 'idle' | 'playing' | 'paused' = 'idle'
	let at = 0
	let rate = 0.9
	let run = 0
	button.hidden = false

	function textOf(el: HTMLElement) {
		const copy = el.cloneNode(true) as HTMLElement
		copy.querySelectorAll('.mdx-term-def, input, .quiz-mark').forEach((n) => {
			n.remove()
		})
		return (copy.textContent || '').replace(/\s+/g, ' ').trim()
	}
	function voice() {
		const want = lang.slice(0, 2).toLowerCase()
		return speechSynthesis.getVoices().filter((v) => v.lang && v.lang.replace('_', '-').toLowerCase().indexOf(want) === 0)[0]
	}
	function label(key: 'listen' | 'pause' | 'resume') {
		const icon = key === 'listen' ? '🔊 ' : key === 'pause' ? '⏸ ' : '▶ '
		button!.textContent = icon + (button!.getAttribute('data-' + key) || '')
	}
	function mark(i: number) {
		blocks.forEach((b, j) => {
			b.classList.toggle('reading', j === i)
		})
		if (blocks[i]) blocks[i]!.scrollIntoView({ block: 'nearest', behavior: 'smooth' })
	}
	function speak(i: number, mine: number) {
		if (mine !== run) return
		if (i >= blocks.length) {
			state = 'idle'
			at = 0
			mark(-1)
			label('listen')
			return
		}
		at = i
		mark(i)
		const u = new SpeechSynthesisUtterance(textOf(blocks[i]!))
		u.lang = lang
		u.rate = rate
		const v = voice()
		if (v) u.voice = v
		u.onend = () => speak(i + 1, mine)
		u.onerror = (e) => {
			if (e.error !== 'interrupted' && e.error !== 'canceled') speak(i + 1, mine)
		}
		speechSynthesis.speak(u)
	}
	function start(from: number) {
		// The pace button shows once reading starts: shown on load it would push the lesson down.
		if (slower) slower.hidden = false
		run++
		speechSynthesis.cancel()
		state = 'playing'
		label('pause')
		speak(from, run)
	}
	function checkVoice() {
		if (noVoice) noVoice.hidden = Boolean(voice()) || speechSynthesis.getVoices().length === 0
	}
	if (speechSynthesis.addEventListener) speechSynthesis.addEventListener('voiceschanged', checkVoice)
	checkVoice()
	button.addEventListener('click', () => {
		if (noVoice && !voice()) noVoice.hidden = false
		if (state === 'playing') {
			// Android's pause() often stops for good: stop, and go on from the same block.
			run++
			speechSynthesis.cancel()
			state = 'paused'
			label('resume')
			return
		}
		start(state === 'paused' ? at : 0)
	})
	if (slower)
		slower.addEventListener('click', () => {
			const slow = slower.getAttribute('aria-pressed') !== 'true'
			slower.setAttribute('aria-pressed', String(slow))
			rate = slow ? 0.65 : 0.9
			if (state === 'playing') start(at)
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

	/**
	 * Offline, a lesson whose earlier lessons wait in the outbox opens for reading; its own quiz or
	 * "I finished" waits until those are graded on the server (a quiz may fail), so nothing done
	 * offline is ever refused later (docs/decisions/022-offline-order.md).
	 */
	function unlock() {
		return off.pending().then((events) => {
			const mine = events.filter((e) => e.userId === user)
			const completed = off.completed(user)
			// Done on the phone: completed on the server as last seen, or "I finished" waiting in the outbox.
			const done = completed.concat(mine.filter((e) => e.kind === EVENT_KIND.complete).map((e) => e.lessonId))
			// Read on the phone: those, and lessons whose quiz waits to be graded.
			const read = completed.concat(mine.map((e) => e.lessonId))
			const body = article.querySelector<HTMLElement>('[data-locked-body]')
			// The page names the lessons before this one that it requires (none unless the course is sequential).
			const lessonIds = [...words(article.getAttribute('data-requires')), lessonId]
			if (body && body.hidden && isLessonUnlocked({ lessonIds, lessonId, completed: read, sequential: true })) {
				body.hidden = false
				const lock = article.querySelector<HTMLElement>('[data-lock-notice]')
				if (lock) lock.hidden = true
				if (isLessonUnlocked({ lessonIds, lessonId, completed: done, sequential: true })) say('unlocked')
				else {
					body.querySelectorAll<HTMLElement>('form[method="post"]').forEach((form) => {
						form.hidden = true
					})
					say('waiting')
				}
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
		// "Take the quiz again" after a pass is a plain GET of the page: a fresh form.
		if ((form.getAttribute('method') || 'get').toLowerCase() !== 'post') return
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
