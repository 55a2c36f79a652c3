import { type MetaFunction } from '@remix-run/node'
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { pageTitle } from '#app/utils/meta.ts'

/**
 * "Quên mã PIN?": a resident who forgot their PIN is told the one way back — commune staff give a
 * setup code on paper, the resident chooses a new PIN at /setup — and that their learning is kept.
 * A PIN is never sent by message or told over the phone, so nothing here can be asked for remotely.
 */
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'auth:forgot.title')

export default function ForgotPin() {
	const { t } = useTranslation()
	return (
		<div>
			<h1>{t('auth:forgot.title')}</h1>
			<p>{t('auth:forgot.intro')}</p>
			<ol className="steps">
				<li>{t('auth:forgot.step1')}</li>
				<li>{t('auth:forgot.step2')}</li>
				<li>
					{t('auth:forgot.step3')} <Link to="/setup">{t('auth:forgot.setupLink')}</Link>
				</li>
			</ol>
			<p className="notice">{t('auth:forgot.kept')}</p>
			<p className="form-error">{t('auth:forgot.neverAsk')}</p>
			<p>
				<Link to="/login">← {t('auth:forgot.back')}</Link>
			</p>
		</div>
	)
}
