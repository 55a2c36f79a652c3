import { type FieldMetadata } from '@conform-to/react'
import { useTranslation } from 'react-i18next'
import { ETHNIC_GROUPS, ETHNICITY_NOT_STATED, OTHER_ETHNIC_GROUP } from '#app/kernel/demographics.ts'
import { type Lng } from '#app/utils/i18n.ts'
import { CheckboxField, Field, RadioGroup, SelectField } from './forms.tsx'

export interface UnitOption {
	value: string
	label: string
}

type ProfileMeta = Record<
	'fullName' | 'birthYear' | 'sex' | 'ethnicGroup' | 'ethnicityConsent' | 'learnerGroup' | 'provinceCode' | 'communeCode' | 'village',
	FieldMetadata<any>
>

/**
 * The resident's details, shared by self-registration, assisted registration, VNeID completion and
 * corrections. Ethnic group is optional ("Không muốn trả lời" first) with its own consent box,
 * worded for the resident or for the staff member asking them (`audience`).
 */
export function ProfileFields({
	fields,
	provinces,
	communes,
	lng,
	names = true,
	audience = 'self',
}: {
	fields: ProfileMeta
	provinces: UnitOption[]
	communes: UnitOption[]
	lng: Lng
	names?: boolean
	audience?: 'self' | 'staff'
}) {
	const { t } = useTranslation()
	const ethnicOptions = [
		{ value: ETHNICITY_NOT_STATED, label: t('privacy:ethnicity.notStated') },
		...ETHNIC_GROUPS.map(([code, vi, en]) => ({ value: code, label: lng === 'vi' ? vi : en })),
		{ value: OTHER_ETHNIC_GROUP, label: lng === 'vi' ? 'Dân tộc khác' : 'Other' },
	]
	return (
		<>
			{names ? <Field label={t('auth:fields.fullName')} meta={fields.fullName} autoComplete="name" maxLength={100} /> : null}
			<Field label={t('auth:fields.birthYear')} meta={fields.birthYear} type="number" inputMode="numeric" min={1900} max={2030} />
			<RadioGroup
				legend={t('auth:fields.sex')}
				meta={fields.sex}
				options={[
					{ value: 'MALE', label: t('auth:fields.male') },
					{ value: 'FEMALE', label: t('auth:fields.female') },
				]}
			/>
			<fieldset>
				<legend>{t('privacy:ethnicity.legend')}</legend>
				<p className="hint">{t(`privacy:ethnicity.hint.${audience}`)}</p>
				<SelectField label={t('auth:fields.ethnicGroup')} meta={fields.ethnicGroup} options={ethnicOptions} />
				<CheckboxField label={t(`privacy:ethnicity.consent.${audience}`)} meta={fields.ethnicityConsent} />
			</fieldset>
			<SelectField
				label={t(audience === 'staff' ? 'auth:fields.learnerGroupStaff' : 'auth:fields.learnerGroup')}
				meta={fields.learnerGroup}
				options={(['RESIDENT', 'OFFICIAL', 'STUDENT', 'WORKER'] as const).map((g) => ({ value: g, label: t(`auth:learnerGroups.${g}`) }))}
			/>
			<div data-commune-picker="">
				<SelectField label={t('auth:fields.province')} meta={fields.provinceCode} options={provinces} />
				<p className="hint">
					<button type="submit" name="intent" value="choose-province" formNoValidate className="secondary" data-show-communes="">
						{t('auth:fields.showCommunes')}
					</button>
				</p>
				<SelectField label={t('auth:fields.commune')} meta={fields.communeCode} options={communes} placeholder={t('auth:fields.choose')} />
			</div>
			<Field label={t('auth:fields.village')} meta={fields.village} maxLength={100} />
			<script src="/commune-picker.js" defer />
		</>
	)
}
