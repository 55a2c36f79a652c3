import { data, type LinksFunction, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useLocation, useMatches, useRouteLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary, useErrorPage } from './components/error-boundary.tsx'
import { OfflineBar } from './components/offline-bar.tsx'
import appCss from './styles/app.css?url'
import { fallbackLng, isLng, type Lng } from './utils/i18n.ts'
import { getLng, lngCookie } from './utils/i18n.server.ts'
import { getUser, requireNoticeAccepted } from './utils/auth.server.ts'
import { isProvinceLevel, isStaff } from '#app/kernel/scope.ts'
import { useNonce } from './utils/nonce-provider.ts'
import { titled } from './utils/title.ts'

export const links: LinksFunction = () => [
	{ rel: 'stylesheet', href: appCss },
	{ rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
	{ rel: 'manifest', href: '/manifest.webmanifest' },
	{ rel: 'apple-touch-icon', href: '/icons/apple-touch-icon.png' },
]

export async function loader({ request, context }: LoaderFunctionArgs) {
	const lng = await getLng(request)
	const headers = new Headers()
	// ?lng=en in a link switches the language and remembers it, with or without JavaScript.
	if (new URL(request.url).searchParams.has('lng')) {
		headers.append('Set-Cookie', await lngCookie.serialize(lng))
	}
	const user = await getUser(request, context)
	// Every page, public ones too: a signed-in person agrees to the current notice first (ADR 028).
	if (user) requireNoticeAccepted(request, user)
	return data(
		{ lng, user: user ? { id: user.id, firstName: user.fullName.split(' ').at(-1), staff: isStaff(user.scope), province: isProvinceLevel(user.scope) } : null },
		{ headers },
	)
}

export type RouteHandle = {
	/** Load React in the browser on this page. Lesson and catalogue pages do not (ADR 004). */
	hydrate?: boolean
}

/** The page around every route; `title` only for an error page, whose route `meta` is not there to give one. */
function Document({ lng, title, children }: { lng: Lng; title?: string; children: React.ReactNode }) {
	const matches = useMatches()
	const hydrate = matches.some((m) => (m.handle as RouteHandle | undefined)?.hydrate)
	const nonce = useNonce()
	return (
		<html lang={lng}>
			<head>
				<meta charSet="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<meta name="theme-color" content="#b91c1c" />
				{title ? <title>{title}</title> : null}
				<Meta />
				<Links />
			</head>
			<body>
				{children}
				{/* Pages that hydrate (staff) leave the DOM to React; the outbox lives on the learner pages. */}
				{hydrate ? null : <OfflineBar />}
				{hydrate ? (
					<>
						<ScrollRestoration nonce={nonce} />
						<Scripts nonce={nonce} />
					</>
				) : null}
			</body>
		</html>
	)
}

type HeaderUser = { firstName?: string; staff: boolean; province?: boolean } | null

function SiteHeader({ lng, user }: { lng: Lng; user: HeaderUser }) {
	const { t } = useTranslation()
	const location = useLocation()
	const other: Lng = lng === 'vi' ? 'en' : 'vi'
	const switchParams = new URLSearchParams(location.search)
	switchParams.set('lng', other)
	return (
		<header className="site-header">
			<a className="skip-link" href="#main">
				{t('layout.skipToContent')}
			</a>
			<Link to="/" className="brand">
				{t('app.name')}
			</Link>
			<nav aria-label={t('layout.mainNav')}>
				<Link to="/courses">{t('nav.courses')}</Link>
				{user?.staff ? <Link to="/staff">{t('auth:nav.staff')}</Link> : null}
				{user?.province ? <Link to="/province">{t('auth:nav.province')}</Link> : null}
				{user ? <Link to="/me">{t('auth:nav.me')}</Link> : <Link to="/login">{t('auth:nav.login')}</Link>}
				<a href={`${location.pathname}?${switchParams}`} hrefLang={other} lang={other}>
					{t('layout.switchLanguage')}
				</a>
			</nav>
		</header>
	)
}

export default function App() {
	const { lng, user } = useLoaderData<typeof loader>()
	return (
		<Document lng={lng}>
			<SiteHeader lng={lng} user={user} />
			<main id="main">
				<Outlet />
			</main>
			<SiteFooter />
		</Document>
	)
}

function SiteFooter() {
	const { t } = useTranslation()
	return (
		<footer className="site-footer">
			<p>{t('layout.footer')}</p>
			<p>
				<a href="/privacy">{t('privacy:title')}</a>
			</p>
		</footer>
	)
}

export function ErrorBoundary() {
	const rootData = useRouteLoaderData<typeof loader>('root')
	const { i18n } = useTranslation()
	// An address no route matches has no root data: the language the request was rendered in
	// (entry.server.tsx), so that a page in English is not marked as Vietnamese for a screen reader.
	const lng = rootData?.lng ?? (isLng(i18n.language) ? i18n.language : fallbackLng)
	const page = useErrorPage()
	return (
		<Document lng={lng} title={titled(page.heading)}>
			<SiteHeader lng={lng} user={rootData?.user ?? null} />
			<main id="main">
				<GeneralErrorBoundary />
			</main>
		</Document>
	)
}
