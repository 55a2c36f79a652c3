/**
 * The PIN fields' keyboard (app/components/forms.tsx `pinKeyboard`): the server picks the number
 * keyboard where a PIN is asked for; this switches it as the person changes their mind on the page
 * without a reload — the "PIN / password" choice of a form (register, change PIN), and the
 * "letters" link on the sign-in page, which without JavaScript reloads the page with ?keyboard=text.
 */
function setNumeric(input: HTMLInputElement, numeric: boolean) {
	if (numeric) {
		input.inputMode = 'numeric'
		input.pattern = '[0-9]*'
	} else {
		input.removeAttribute('inputmode')
		input.removeAttribute('pattern')
	}
}

for (const form of document.querySelectorAll('form')) {
	const radios = form.querySelectorAll<HTMLInputElement>('input[type="radio"][name="secretKind"]')
	const fields = form.querySelectorAll<HTMLInputElement>('input[data-pin-field][name="secret"], input[data-pin-field][name="secretAgain"]')
	for (const radio of radios)
		radio.addEventListener('change', () => {
			for (const field of fields) setNumeric(field, radio.value === 'PIN')
		})
}

for (const toggle of document.querySelectorAll<HTMLAnchorElement>('a[data-keyboard-toggle]')) {
	const input = document.getElementById(toggle.dataset.keyboardToggle ?? '') as HTMLInputElement | null
	if (!input) continue
	toggle.addEventListener('click', (event) => {
		event.preventDefault()
		const numeric = input.inputMode !== 'numeric'
		setNumeric(input, numeric)
		toggle.textContent = (numeric ? toggle.dataset.msgLetters : toggle.dataset.msgDigits) ?? toggle.textContent
		input.focus()
	})
}
