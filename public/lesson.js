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
