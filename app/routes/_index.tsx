import { type MetaFunction } from '@remix-run/node'
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

export const meta: MetaFunction = () => [
	{ title: 'Học Vụ Số' },
	{ name: 'description', content: 'Bình dân học vụ số: học dùng điện thoại, VNeID và dịch vụ công trực tuyến.' },
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
		</div>
	)
}
