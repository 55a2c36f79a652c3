// "Save to learn offline" on a course page (docs/decisions/007-offline.md): fetches every lesson
// page of the course and keeps it in the cache the service worker reads when there is no
// connection. Courses the learner is enrolled in are saved (or brought up to date) on every visit
// online, unless the phone asks to save data. What is saved is shown from the cache itself.
import { OFFLINE_SAVE_HEADER, PAGES_CACHE, SAVED_COURSE_KEY_PREFIX, URLS } from '#app/kernel/offline-constants.ts'

/** What the course page says about itself on the phone (read back by offline.js on the offline page). */
interface SavedCourse {
	version: string | null
	savedAt: string
	title: string | null
	url: string
}

const box = document.querySelector<HTMLElement>('[data-offline-save]')
if (box && window.caches && 'serviceWorker' in navigator && 'fetch' in window) start(box)

function start(box: HTMLElement) {
	const urls = (box.getAttribute('data-urls') || '').split(' ').filter(Boolean)
	const course = box.getAttribute('data-course')
	const version = box.getAttribute('data-version')
	const status = box.querySelector<HTMLElement>('[data-status]')!
	const save = box.querySelector<HTMLButtonElement>('[data-save]')!
	const remove = box.querySelector<HTMLButtonElement>('[data-remove]')!
	const metaKey = SAVED_COURSE_KEY_PREFIX + course
	let busy = false
	let bytes = 0
	box.hidden = false

	function msg(key: string, n: number, extra?: string) {
		return (box.getAttribute('data-msg-' + key) || '')
			.replace('{n}', String(n))
			.replace('{total}', String(urls.length))
			.replace('{size}', extra || '')
	}
	function meta(): SavedCourse | null {
		try {
			return JSON.parse(localStorage.getItem(metaKey) || 'null') as SavedCourse | null
		} catch {
			return null
		}
	}
	function kb(bytes: number) {
		return Math.max(1, Math.round(bytes / 1024)) + ' KB'
	}

	function refresh(note?: string) {
		return caches.open(PAGES_CACHE).then((cache) =>
			Promise.all(urls.map((url) => cache.match(url, { ignoreSearch: true, ignoreVary: true }))).then((found) => {
				let n = 0
				found.forEach((response, i) => {
					const li = document.querySelector('[data-lesson-url="' + urls[i] + '"]')
					let mark = li && li.querySelector('.saved-mark')
					if (response) n++
					if (li && response && !mark) {
						mark = document.createElement('span')
						mark.className = 'hint saved-mark'
						mark.textContent = ' ·\u00a0📥 ' + msg('lessonsaved', 0)
						li.appendChild(mark)
					} else if (mark && !response) mark.remove()
				})
				status.textContent = (n === urls.length ? msg('saved', n) : n ? msg('partial', n) : msg('none', 0)) + (note ? ' ' + note : '')
				box.setAttribute('data-saved', String(n))
				remove.hidden = n === 0
				const current = meta()
				if (n === urls.length && current && current.version !== version) save.textContent = msg('update', 0)
				return n
			}),
		)
	}

	// The lessons' recordings (issue #23) come with a tap on "save", not with the automatic update of an
	// enrolled learner's course: they are most of the size, and a phone's data costs money.
	function saveAll(withAudio: boolean): Promise<void> {
		if (busy) return Promise.resolve()
		busy = true
		save.disabled = true
		let done = 0
		bytes = 0
		return caches
			.open(PAGES_CACHE)
			.then((cache) =>
				// One lesson after another: on a weak signal, parallel downloads only compete.
				urls.reduce(
					(chain, url) =>
						chain.then(() =>
							fetch(url, { credentials: 'same-origin', headers: { [OFFLINE_SAVE_HEADER]: '1' } }).then((response) => {
								if (!response.ok || response.redirected) throw new Error('save ' + response.status)
								const timing = performance.getEntriesByName(new URL(url, location.href).href).pop() as PerformanceResourceTiming | undefined
								if (timing && timing.transferSize) bytes += timing.transferSize
								const copy = response.clone()
								return cache
									.put(url, response)
									.then(() =>
										// The lesson's pictures (hashed, under /content/) go with it.
										copy.text().then((html) => {
											const images = html.match(/src="\/content\/[^"]+"/g) || []
											const audio = withAudio ? html.match(new RegExp(`src="${URLS.voices}[^"]+"`, 'g')) || [] : []
											return Promise.all([...images.map((src) => cache.add(src.slice(5, -1))), ...audio.map((src) => saveAudio(cache, src.slice(5, -1)))])
										}),
									)
									.then(() => {
										done++
										status.textContent = msg('saving', done)
									})
							}),
						),
					Promise.resolve(),
				),
			)
			.then(() => {
				try {
					const saved: SavedCourse = { version, savedAt: new Date().toISOString(), title: box.getAttribute('data-title'), url: location.pathname }
					localStorage.setItem(metaKey, JSON.stringify(saved))
				} catch {}
				return refresh(bytes ? msg('downloaded', 0, kb(bytes)) : '')
			})
			.catch(() => refresh(msg('failed', 0)))
			.then(() => {
				busy = false
				save.disabled = false
			})
	}

	// Already saved recordings are kept; the header tells the server this is not someone listening.
	function saveAudio(cache: Cache, url: string) {
		return cache.match(url).then((found) => {
			if (found) return
			return fetch(url, { credentials: 'same-origin', headers: { [OFFLINE_SAVE_HEADER]: '1' } }).then((response) => {
				if (!response.ok) throw new Error('save ' + response.status)
				const timing = performance.getEntriesByName(new URL(url, location.href).href).pop() as PerformanceResourceTiming | undefined
				if (timing && timing.transferSize) bytes += timing.transferSize
				return cache.put(url, response)
			})
		})
	}

	save.addEventListener('click', () => saveAll(true))
	remove.addEventListener('click', () => {
		caches
			.open(PAGES_CACHE)
			.then((cache) =>
				Promise.all(
					urls.map((url) =>
						// The page's saved recordings go with it.
						cache
							.match(url, { ignoreSearch: true, ignoreVary: true })
							.then((page) => (page ? page.text() : ''))
							.then((html) => Promise.all((html.match(new RegExp(`src="${URLS.voices}[^"]+"`, 'g')) || []).map((src) => cache.delete(src.slice(5, -1)))))
							.then(() => cache.delete(url, { ignoreSearch: true, ignoreVary: true })),
					),
				),
			)
			.then(() => {
				try {
					localStorage.removeItem(metaKey)
				} catch {}
				return refresh(msg('removed', 0))
			})
	})

	refresh().then((n) => {
		const current = meta()
		const stale = n < urls.length || !current || current.version !== version
		const connection = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection
		const saveData = connection && connection.saveData
		if (box.hasAttribute('data-enrolled') && stale && navigator.onLine && !saveData) saveAll(false)
	})
}
