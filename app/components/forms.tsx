import { type FieldMetadata, type FormMetadata, getInputProps, getSelectProps } from '@conform-to/react'
import { createContext, useContext } from 'react'
import { useTranslation } from 'react-i18next'

/**
 * After a failed submit the person lands on the first field to fix (issue #20). Without JavaScript
 * (most of our forms do not hydrate) the page comes back from the server: the first field with an
 * error, in the page's order, is rendered with `autofocus`, and a summary at the top links to each
 * one. On pages that hydrate, Conform itself focuses the first invalid field when the server's
 * reply arrives (its `report`), and `autofocus` does no harm.
 */
const FirstError = createContext<{ claimed: boolean } | null>(null)

/** True for the first field with errors rendered inside <FormErrors>. */
function useFirstError(hasErrors: boolean) {
	const registry = useContext(FirstError)
	if (!registry || !hasErrors || registry.claimed) return false
	registry.claimed = true
	return true
}

/**
 * The form's errors at its top: a sentence for the whole form (FormError), then a list of the
 * fields to fix, each a link to its field. Wrap the form's fields in it so the first with an error
 * gets the focus.
 */
/** Field names whose label key is not their own name. */
const LABEL_KEYS: Record<string, string> = { provinceCode: 'province', communeCode: 'commune', code: 'setupCode', pin: 'newPin', pinAgain: 'newPinAgain' }

export function FormErrors({
	form,
	fields,
	labels = {},
	children,
}: {
	form: FormMetadata<any>
	fields: Record<string, FieldMetadata<any>>
	/** The field's label where it is not `auth:fields.<name>`. */
	labels?: Record<string, string>
	children: React.ReactNode
}) {
	const { t, i18n } = useTranslation()
	// Each item names the field (its message sits under the field itself, said once).
	const invalid = Object.entries(form.allErrors)
		// `fields` is Conform's proxy (no `in`); '' holds the form's own errors, shown above.
		.filter(([name, errors]) => name !== '' && errors.length)
		.map(([name, errors]) => ({
			id: fields[name]!.id,
			label: labels[name] ?? (i18n.exists(`auth:fields.${LABEL_KEYS[name] ?? name}`) ? t(`auth:fields.${LABEL_KEYS[name] ?? name}`) : t(errors[0]!)),
		}))
	return (
		<FirstError.Provider value={{ claimed: false }}>
			<FormError errors={form.errors} />
			{invalid.length ? (
				<div className="form-error error-summary">
					<p>
						<strong>{t('errors.summary', { count: invalid.length })}</strong>
					</p>
					<ul>
						{invalid.map(({ id, label }) => (
							<li key={id}>
								<a href={`#${id}`}>{label}</a>
							</li>
						))}
					</ul>
				</div>
			) : null}
			{children}
		</FirstError.Provider>
	)
}

/** Errors are translation keys (see *.schema.ts); shown next to the field, announced by readers. */
export function ErrorList({ id, errors }: { id?: string; errors?: string[] | null }) {
	const { t } = useTranslation()
	if (!errors?.length) return null
	return (
		<div id={id}>
			{errors.map((e) => (
				<p key={e} className="field-error">
					{t(e)}
				</p>
			))}
		</div>
	)
}

/** Form-level errors: translation keys, optionally with a parameter after "|" (minutes to wait). */
export function FormError({ errors }: { errors?: string[] | null }) {
	const { t } = useTranslation()
	if (!errors?.length) return null
	return (
		<div className="form-error" role="alert">
			{errors.map((e) => {
				const [key, minutes] = e.split('|')
				return <p key={e}>{t(key!, { minutes })}</p>
			})}
		</div>
	)
}

/**
 * A PIN field opens the phone's number keyboard (inputmode) — iPhones need the pattern too; the
 * forms are `noValidate`, so the pattern only picks the keyboard and never refuses a password.
 * Only where the PIN is known to be asked for: a password (staff, officers, residents who chose
 * one) keeps the letter keyboard. `data-pin-field` lets app/browser/secret-field.ts switch it when
 * the person changes their choice on the page.
 */
export function pinKeyboard(numeric: boolean) {
	return { 'data-pin-field': '', ...(numeric ? { inputMode: 'numeric' as const, pattern: '[0-9]*' } : {}) }
}

/** A phone number: the phone keyboard, the hint on how to write it (every form that takes one). */
export function PhoneField({ meta, autoComplete = 'tel' }: { meta: FieldMetadata<any>; autoComplete?: string }) {
	const { t } = useTranslation()
	return (
		<Field label={t('auth:fields.phone')} hint={t('auth:fields.phoneHint')} meta={meta} type="tel" autoComplete={autoComplete} inputMode="tel" maxLength={20} />
	)
}

/**
 * A PIN or password, hidden as typed: `pin` opens the number keyboard (`pinKeyboard`), which the
 * page's script switches when the person changes their choice. Every PIN field goes through here.
 */
export function SecretField({
	label,
	hint,
	meta,
	autoComplete,
	pin,
	maxLength = 128,
}: {
	label: string
	hint?: string
	meta: FieldMetadata<any>
	autoComplete: 'current-password' | 'new-password'
	pin: boolean
	maxLength?: number
}) {
	return <Field label={label} hint={hint} meta={meta} type="password" autoComplete={autoComplete} maxLength={maxLength} {...pinKeyboard(pin)} />
}

export function Field({
	label,
	hint,
	meta,
	type = 'text',
	...rest
}: {
	label: string
	hint?: string
	meta: FieldMetadata<any>
	type?: 'text' | 'tel' | 'password' | 'number' | 'email'
} & Omit<React.InputHTMLAttributes<HTMLInputElement>, 'type'>) {
	const props = getInputProps(meta, { type })
	const focus = useFirstError(Boolean(meta.errors?.length))
	const hintId = hint ? `${meta.id}-hint` : undefined
	return (
		<div className="field">
			<label htmlFor={meta.id}>{label}</label>
			{hint ? (
				<p className="hint" id={hintId}>
					{hint}
				</p>
			) : null}
			<input
				{...props}
				{...rest}
				// biome-ignore lint/a11y/noAutofocus: only after a failed submit, on the first field the person must fix (see FirstError)
				autoFocus={focus || undefined}
				aria-describedby={[hintId, meta.errors?.length ? meta.errorId : undefined].filter(Boolean).join(' ') || undefined}
			/>
			<ErrorList id={meta.errorId} errors={meta.errors} />
		</div>
	)
}

export function SelectField({
	label,
	meta,
	options,
	placeholder,
	...rest
}: {
	label: string
	meta: FieldMetadata<any>
	options: { value: string; label: string }[]
	placeholder?: string
} & React.SelectHTMLAttributes<HTMLSelectElement>) {
	const focus = useFirstError(Boolean(meta.errors?.length))
	return (
		<div className="field">
			<label htmlFor={meta.id}>{label}</label>
			{/* biome-ignore lint/a11y/noAutofocus: only after a failed submit, on the first field the person must fix (see FirstError) */}
			<select {...getSelectProps(meta)} {...rest} autoFocus={focus || undefined}>
				{placeholder ? <option value="">{placeholder}</option> : null}
				{options.map((o) => (
					<option key={o.value} value={o.value}>
						{o.label}
					</option>
				))}
			</select>
			<ErrorList id={meta.errorId} errors={meta.errors} />
		</div>
	)
}

export function RadioGroup({ legend, meta, options }: { legend: string; meta: FieldMetadata<any>; options: { value: string; label: string }[] }) {
	const current = typeof meta.initialValue === 'string' ? meta.initialValue : undefined
	const focus = useFirstError(Boolean(meta.errors?.length))
	return (
		<fieldset aria-describedby={meta.errors?.length ? meta.errorId : undefined}>
			<legend>{legend}</legend>
			<div className="inline-choice">
				{options.map((o, i) => (
					<label key={o.value}>
						<input
							type="radio"
							id={i === 0 ? meta.id : undefined}
							name={meta.name}
							value={o.value}
							defaultChecked={current === o.value}
							// biome-ignore lint/a11y/noAutofocus: only after a failed submit, on the first field the person must fix (see FirstError)
							autoFocus={(focus && i === 0) || undefined}
						/>
						{o.label}
					</label>
				))}
			</div>
			<ErrorList id={meta.errorId} errors={meta.errors} />
		</fieldset>
	)
}

/** One ticked box (a consent, a confirmation): its error sits under it and is announced. */
export function CheckboxField({ label, meta }: { label: string; meta: FieldMetadata<any> }) {
	const props = getInputProps(meta, { type: 'checkbox' })
	const focus = useFirstError(Boolean(meta.errors?.length))
	return (
		<div className="field">
			<label className="check">
				{/* biome-ignore lint/a11y/noAutofocus: only after a failed submit, on the first field the person must fix (see FirstError) */}
				<input {...props} autoFocus={focus || undefined} aria-describedby={meta.errors?.length ? meta.errorId : undefined} /> {label}
			</label>
			<ErrorList id={meta.errorId} errors={meta.errors} />
		</div>
	)
}
