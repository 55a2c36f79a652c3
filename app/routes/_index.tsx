import { type MetaFunction } from '@remix-run/node'
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { pageTitle } from '#app/utils/meta.ts'

export const meta: MetaFunction = ({ matches }) => [
	{ title: 'Học Vụ Số' },
	{ name: 'description', content: pageTitle(matches, 'home.lead')[0]!.title.replace(/ — Học Vụ Số$/, '') },
]

export default function Index() {
	const { t } = useTranslation()
	return (
		<div className="home">
			<h1>{t('home.title')}</h1>
			<p className="lead">{t('home.lead')}</p>
			<ul className="home-topics">
				<li>{t('home.topics.smartphone')}</li>
				<li>{t('home.topics.vneid')}</li>
				<li>{t('home.topics.publicServices')}</li>
				<li>{t('home.topics.scams')}</li>
			</ul>
			<p>
				<Link className="button" to="/courses">
					{t('home.browseCourses')}
				</Link>
			</p>
			<p>
				<Link className="button secondary" to="/register">
					{t('home.register')}
				</Link>
			</p>
			<p>
				<Link to="/login">{t('home.login')}</Link>
			</p>
		</div>
	)
}
