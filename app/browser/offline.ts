// Offline support on every page (docs/decisions/007-offline.md); no React, and nothing here is
// needed for the page to work. It registers the service worker, keeps the outbox — learning
// events made without a connection, in IndexedDB — and sends them to /api/sync when the phone is
// online: at once, when the connection returns, and on the next visit. The server replays them
// idempotently, so sending one twice (reload mid-send, two tabs) records it once.
import {
	COMPLETED_KEY_PREFIX,
	DOM_EVENT,
	MAX_SYNC_EVENTS,
	OUTBOX_DB,
	OUTBOX_DB_VERSION,
	OUTBOX_STORE,
	PAGES_CACHE,
	SAVED_COURSE_KEY_PREFIX,
	URLS,
} from '#app/kernel/offline-constants.ts'
import { type OutboxEvent } from './offline-api.ts'

/** One result of /api/sync, as far as the phone reads it (app/features/offline/sync.server.ts). */
interface SyncResult {
	clientId: string
	ok: boolean
	keep?: boolean
	lessonId?: string
	lessonCompleted?: boolean
	certificateCode?: string | null
	quiz?: { passed: boolean } | null
	text: string
}
interface Line {
	text: string
	className?: string
	href?: string
	link?: string
}

const bar = document.getElementById('offline-status')
if (bar && window.indexedDB && 'fetch' in window && window.Promise) start(bar)

function start(bar: HTMLElement) {
	const closeButton = bar.querySelector<HTMLElement>('[data-close]')!
	if ('serviceWorker' in navigator) navigator.serviceWorker.register(URLS.serviceWorker).catch(() => {})

	function msg(key: string, n: number) {
		return (bar.getAttribute('data-msg-' + key) || '').replace('{n}', String(n))
	}

	let dbPromise: Promise<IDBDatabase> | undefined
	function db() {
		if (!dbPromise) {
			dbPromise = new Promise((resolve, reject) => {
				const open = indexedDB.open(OUTBOX_DB, OUTBOX_DB_VERSION)
				open.onupgradeneeded = () => {
					open.result.createObjectStore(OUTBOX_STORE, { keyPath: 'clientId' })
				}
				open.onsuccess = () => resolve(open.result)
				open.onerror = () => reject(open.error)
			})
		}
		return dbPromise
	}
	/** Runs `fn` in one transaction; resolves, once it is committed, with the result of the request `fn` returned. */
	function tx<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
		return db().then(
			(d) =>
				new Promise((resolve, reject) => {
					const t = d.transaction(OUTBOX_STORE, mode)
					const request = fn(t.objectStore(OUTBOX_STORE))
					t.oncomplete = () => resolve(request ? request.result : undefined)
					t.onerror = t.onabort = () => reject(t.error)
				}),
		)
	}
	function pending(): Promise<OutboxEvent[]> {
		return tx('readonly', (s) => s.getAll() as IDBRequest<OutboxEvent[]>).then((all) => (all || []).sort((a, b) => (a.queuedAt ?? 0) - (b.queuedAt ?? 0)))
	}
	function queue(event: OutboxEvent) {
		event.queuedAt = Date.now() + Math.random() / 1000
		return tx('readwrite', (s) => {
			s.put(event)
		}).then(() => {
			showPending()
			// Lie-fi: the phone may say it is online when it is not; try, and keep it if that fails.
			if (navigator.onLine) setTimeout(flush, 0)
			return event
		})
	}
	function remove(ids: string[]) {
		return tx('readwrite', (s) => {
			for (const id of ids) s.delete(id)
		})
	}
	function uuid(): string {
		if (window.crypto && crypto.randomUUID) return crypto.randomUUID()
		const b = crypto.getRandomValues(new Uint8Array(16))
		b[6] = (b[6]! & 15) | 64
		b[8] = (b[8]! & 63) | 128
		const h = Array.prototype.map.call(b, (x: number) => (x + 256).toString(16).slice(1)).join('')
		return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20)
	}

	function line(item: Line) {
		const p = document.createElement('p')
		p.textContent = item.text
		if (item.className) p.className = item.className
		if (item.href) {
			const a = document.createElement('a')
			a.href = item.href
			a.textContent = item.link ?? ''
			p.appendChild(document.createTextNode(' '))
			p.appendChild(a)
		}
		return p
	}
	/** The first line always shows; more than two more fold under "see each lesson", so the bar stays small on a phone. */
	function show(lines: Line[], closable?: boolean) {
		const list = bar.querySelector('[data-lines]')!
		list.textContent = ''
		const [first, ...rest] = lines
		if (first) list.appendChild(line(first))
		if (rest.length > 2) {
			const details = document.createElement('details')
			const summary = document.createElement('summary')
			summary.textContent = msg('details', rest.length)
			details.appendChild(summary)
			rest.forEach((item) => {
				details.appendChild(line(item))
			})
			list.appendChild(details)
		} else
			rest.forEach((item) => {
				list.appendChild(line(item))
			})
		closeButton.hidden = !closable
		bar.hidden = lines.length === 0
	}
	/** Results stay until read: a learner who moved on while they were sent sees them on the next page. */
	const resultsKey = 'hvs-sync-results:' + (bar.getAttribute('data-user') || '')
	function keepResults(lines: Line[] | null) {
		try {
			if (lines) localStorage.setItem(resultsKey, JSON.stringify(lines))
			else localStorage.removeItem(resultsKey)
		} catch {}
	}
	function keptResults(): Line[] | null {
		try {
			return JSON.parse(localStorage.getItem(resultsKey) || 'null') as Line[] | null
		} catch {
			return null
		}
	}
	function showPending() {
		return pending().then((events) => {
			if (!events.length) {
				if (bar.getAttribute('data-state') !== 'results') show([])
				return events
			}
			bar.setAttribute('data-state', 'pending')
			show([{ text: msg('pending', events.length), className: 'offline-pending' }], false)
			return events
		})
	}

	let flushing: Promise<void> | null = null
	let retry: ReturnType<typeof setTimeout> | undefined
	function flush(): Promise<void> {
		if (flushing) return flushing
		flushing = pending()
			.then((events): Promise<unknown> | void => {
				if (!events.length) return
				if (!navigator.onLine) return showPending()
				const batch = events.slice(0, MAX_SYNC_EVENTS)
				bar.setAttribute('data-state', 'sending')
				show([{ text: msg('sending', batch.length) }], false)
				return fetch(URLS.sync, {
					method: 'POST',
					credentials: 'same-origin',
					headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
					body: JSON.stringify({
						events: batch.map((e) => {
							const out: OutboxEvent = { kind: e.kind, clientId: e.clientId, lessonId: e.lessonId, occurredAt: e.occurredAt }
							if (e.userId) out.userId = e.userId
							if (e.answers) out.answers = e.answers
							return out
						}),
					}),
				}).then((res): Promise<void> | void => {
					// Signed out (401), or not yet agreed to the current notice (403): the events stay on the
					// phone, and the bar offers the way to send them.
					if (res.status === 401 || res.status === 403) {
						const back = '?redirectTo=' + encodeURIComponent(location.pathname)
						bar.setAttribute('data-state', 'pending')
						// On the notice itself the bar would cover what it asks them to read: hidden there.
						if (res.status === 403 && location.pathname === URLS.notice) return show([])
						show(
							[
								// Online but not taken: "sent when you are online" would be wrong here.
								{ text: msg('kept', events.length) },
								res.status === 401
									? { text: msg('signin', 0), href: URLS.login + back, link: msg('signinlink', 0) }
									: { text: msg('notice', 0), href: URLS.notice + back, link: msg('noticelink', 0) },
							],
							true,
						)
						return
					}
					if (!res.ok) throw new Error('sync ' + res.status)
					return res.json().then((body: { results: SyncResult[] }) => {
						const done: string[] = []
						const lines: Line[] = []
						body.results.forEach((r) => {
							if (r.ok || !r.keep) done.push(r.clientId)
							const line: Line = { text: r.text, className: r.ok && (!r.quiz || r.quiz.passed) ? 'offline-ok' : 'offline-warn' }
							if (r.certificateCode) {
								line.href = '/certificates/' + encodeURIComponent(r.certificateCode)
								line.link = msg('certificate', 0)
							}
							lines.push(line)
						})
						return remove(done).then(() => {
							remember(body.results)
							bar.setAttribute('data-state', 'results')
							const shown = [{ text: msg('sent', done.length) }, ...lines]
							keepResults(shown)
							show(shown, true)
							document.dispatchEvent(new CustomEvent(DOM_EVENT.synced, { detail: body.results }))
							if (events.length > batch.length) setTimeout(flush, 0)
						})
					})
				})
			})
			.catch(() => {
				showPending()
				// The server or the signal failed: try again in a while (the events stay on the phone).
				clearTimeout(retry)
				retry = setTimeout(flush, 30000)
			})
			.then(() => {
				flushing = null
			})
		return flushing
	}

	/** Lessons completed as the server knows them, per person: unlocks the next lesson offline. */
	function completedKey(userId: string) {
		return COMPLETED_KEY_PREFIX + userId
	}
	function completed(userId: string): string[] {
		try {
			return JSON.parse(localStorage.getItem(completedKey(userId)) || '[]') as string[]
		} catch {
			return []
		}
	}
	function addCompleted(userId: string, ids: string[]) {
		if (!userId) return
		const all = completed(userId)
		ids.forEach((id) => {
			if (all.indexOf(id) < 0) all.push(id)
		})
		try {
			localStorage.setItem(completedKey(userId), JSON.stringify(all))
		} catch {}
	}
	const user = bar.getAttribute('data-user') || ''
	function remember(results: SyncResult[]) {
		addCompleted(
			user,
			results.filter((r) => r.ok && r.lessonCompleted).map((r) => r.lessonId!),
		)
	}

	closeButton.addEventListener('click', () => {
		bar.setAttribute('data-state', '')
		keepResults(null)
		showPending()
	})
	const unread = keptResults()
	if (unread && unread.length) {
		bar.setAttribute('data-state', 'results')
		show(unread, true)
	}
	window.addEventListener('online', () => flush())
	window.addEventListener('offline', () => showPending())

	// Signing out: send what is waiting first, then forget this person's saved pages.
	document.querySelectorAll<HTMLFormElement>(`form[action="${URLS.logout}"]`).forEach((form) => {
		form.addEventListener('submit', (e) => {
			if (form.getAttribute('data-flushed')) return
			e.preventDefault()
			const timeout = new Promise((r) => setTimeout(r, 5000))
			Promise.race([flush(), timeout])
				.then(() => (window.caches ? caches.delete(PAGES_CACHE) : null))
				.catch(() => {})
				.then(() => {
					try {
						localStorage.removeItem(completedKey(user))
					} catch {}
					form.setAttribute('data-flushed', '1')
					form.submit()
				})
		})
	})

	// The offline page lists the courses saved on this phone.
	const savedList = document.querySelector<HTMLElement>('[data-saved-courses]')
	if (savedList) {
		let any = false
		for (let i = 0; i < localStorage.length; i++) {
			const key = localStorage.key(i)
			if (!key || key.indexOf(SAVED_COURSE_KEY_PREFIX) !== 0) continue
			try {
				const saved = JSON.parse(localStorage.getItem(key)!) as { url: string; title: string }
				const li = document.createElement('li')
				const a = document.createElement('a')
				a.href = saved.url
				a.textContent = saved.title
				li.appendChild(a)
				savedList.appendChild(li)
				any = true
			} catch {}
		}
		savedList.hidden = !any
		const none = document.querySelector<HTMLElement>('[data-saved-none]')
		if (none) none.hidden = any
	}

	window.hvsOffline = { queue, pending, flush, uuid, completed, addCompleted, user }
	document.dispatchEvent(new CustomEvent(DOM_EVENT.offlineReady))
	flush()
}
