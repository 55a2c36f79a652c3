import { type FieldMetadata, getInputProps, getSelectProps } from '@conform-to/react'
import { useTranslation } from 'react-i18next'

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
	const hintId = hint ? `${meta.id}-hint` : undefined
	return (
		<div className="field">
			<label htmlFor={meta.id}>{label}</label>
			{hint ? (
				<p className="hint" id={hintId}>
					{hint}
				</p>
			) : null}
			<input {...props} {...rest} aria-describedby={[hintId, meta.errors?.length ? meta.errorId : undefined].filter(Boolean).join(' ') || undefined} />
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
	return (
		<div className="field">
			<label htmlFor={meta.id}>{label}</label>
			<select {...getSelectProps(meta)} {...rest}>
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
	return (
		<fieldset aria-describedby={meta.errors?.length ? meta.errorId : undefined}>
			<legend>{legend}</legend>
			<div className="inline-choice">
				{options.map((o) => (
					<label key={o.value}>
						<input type="radio" name={meta.name} value={o.value} defaultChecked={current === o.value} />
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
	return (
		<div className="field">
			<label className="check">
				<input {...props} aria-describedby={meta.errors?.length ? meta.errorId : undefined} /> {label}
			</label>
			<ErrorList id={meta.errorId} errors={meta.errors} />
		</div>
	)
}
