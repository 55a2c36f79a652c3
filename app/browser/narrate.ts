/**
 * The narrate page's recorder (issue #23): record with the phone's microphone (MediaRecorder), listen
 * back, record again, then send with the page's ordinary form. The recording is put into the form's
 * file field, so the server receives exactly what a chosen file would give; without this script (or
 * without MediaRecorder) the file field alone works, and the phone offers its own recorder.
 */
const form = document.querySelector<HTMLFormElement>('form.narrate-form')
const box = form?.querySelector<HTMLElement>('[data-recorder]')
const fileInput = form?.querySelector<HTMLInputElement>('input[type=file][name=audio]')

if (form && box && fileInput && typeof MediaRecorder !== 'undefined' && navigator.mediaDevices?.getUserMedia) {
	const start = box.querySelector<HTMLButtonElement>('[data-record]')!
	const stop = box.querySelector<HTMLButtonElement>('[data-stop]')!
	const status = box.querySelector<HTMLElement>('[data-recorder-status]')!
	const preview = box.querySelector<HTMLAudioElement>('[data-preview]')!
	const again = box.querySelector<HTMLElement>('[data-again]')!
	const maxBytes = Number(form.dataset.maxBytes)
	let recorder: MediaRecorder | null = null
	let previewUrl = ''
	box.hidden = false

	// Opus in WebM where the phone can (Chrome on Android), else whatever it records (MP4/AAC).
	const type = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4'].find((t) => MediaRecorder.isTypeSupported(t))

	start.addEventListener('click', async () => {
		let stream: MediaStream
		try {
			stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } })
		} catch {
			status.textContent = status.dataset.denied ?? ''
			return
		}
		const chunks: Blob[] = []
		recorder = new MediaRecorder(stream, type ? { mimeType: type, audioBitsPerSecond: 32000 } : undefined)
		recorder.addEventListener('dataavailable', (e) => {
			if (e.data.size) chunks.push(e.data)
		})
		recorder.addEventListener('stop', () => {
			for (const track of stream.getTracks()) track.stop()
			const blob = new Blob(chunks, { type: recorder?.mimeType || type || 'audio/webm' })
			const ext = blob.type.includes('mp4') ? 'm4a' : blob.type.includes('ogg') ? 'ogg' : 'webm'
			const transfer = new DataTransfer()
			transfer.items.add(new File([blob], `recording.${ext}`, { type: blob.type }))
			fileInput.files = transfer.files
			if (previewUrl) URL.revokeObjectURL(previewUrl)
			previewUrl = URL.createObjectURL(blob)
			preview.src = previewUrl
			preview.hidden = false
			again.hidden = false
			status.textContent = status.dataset.ready ?? ''
			start.hidden = false
			stop.hidden = true
		})
		recorder.start(1000)
		status.textContent = status.dataset.recording ?? ''
		start.hidden = true
		stop.hidden = false
		preview.hidden = true
	})
	stop.addEventListener('click', () => {
		if (recorder?.state === 'recording') recorder.stop()
	})

	// A file over the limit is refused here, before minutes of upload over 3G end in the same refusal.
	form.addEventListener('submit', (e) => {
		const file = fileInput.files?.[0]
		if (file && maxBytes && file.size > maxBytes) {
			e.preventDefault()
			status.textContent = form.dataset.tooLarge ?? ''
		}
	})
}
