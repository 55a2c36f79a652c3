import { createRequire } from 'node:module'
import { afterEach, expect, test } from 'vitest'

// The routing patches (patches/@remix-run+router+*.patch, @remix-run+react+*.patch,
// react-router-dom+*.patch, ADR 011) must keep taking effect: each made route matching and the route
// tree once per build instead of once per request. Nothing else fails when a package upgrade or a
// patch that no longer applies drops one, so these tests watch each cache work. They load the
// packages' CommonJS files, which are what the server runs (the patched files).
const require = createRequire(import.meta.url)
const router = require('@remix-run/router') as typeof import('@remix-run/router')
const rrServer = require('react-router-dom/server') as typeof import('react-router-dom/server')
const remixReact = require('@remix-run/react') as typeof import('@remix-run/react')

const restore: (() => void)[] = []
afterEach(() => {
	for (const undo of restore.splice(0)) undo()
})

test('@remix-run/router: the ranked branches of a route tree are made once (flattenRoutes reads each route once)', () => {
	let reads = 0
	const route = (id: string, path: string, children?: object[]) => {
		const r: Record<string, unknown> = { id, children }
		Object.defineProperty(r, 'path', { get: () => (reads++, path), enumerable: true })
		return r
	}
	const routes = [route('root', '/', [route('courses', 'courses'), route('lesson', 'courses/:course/:lesson')])] as never
	expect(router.matchRoutes(routes, '/courses/a/b')?.at(-1)?.route.id).toBe('lesson')
	const first = reads
	expect(first).toBeGreaterThan(0)
	for (let i = 0; i < 5; i++) expect(router.matchRoutes(routes, '/courses/a/b')?.at(-1)?.route.id).toBe('lesson')
	expect(reads).toBe(first)
	// A different tree (another build) is flattened for itself.
	const other = [route('root', '/', [route('x', 'x')])] as never
	expect(router.matchRoutes(other, '/x')?.at(-1)?.route.id).toBe('x')
	expect(reads).toBeGreaterThan(first)
})

test('@remix-run/router: a path pattern is compiled to a regular expression once', () => {
	const Original = globalThis.RegExp
	let made = 0
	globalThis.RegExp = new Proxy(Original, {
		construct(target, args) {
			made++
			return Reflect.construct(target, args)
		},
	})
	restore.push(() => {
		globalThis.RegExp = Original
	})
	const pattern = { path: `/patch-test-${Date.now()}/:id`, caseSensitive: false, end: true }
	expect(router.matchPath(pattern, `${pattern.path.replace(':id', '7')}`)?.params.id).toBe('7')
	const first = made
	expect(first).toBeGreaterThan(0)
	for (let i = 0; i < 5; i++) expect(router.matchPath(pattern, `${pattern.path.replace(':id', String(i))}`)?.params.id).toBe(String(i))
	expect(made).toBe(first)
})

test('react-router-dom/server: one route tree gets the same data routes on every render', async () => {
	const routes = [{ id: 'root', path: '/', children: [{ id: 'page', path: 'page' }] }]
	const handler = rrServer.createStaticHandler(routes)
	const context = async () => (await handler.query(new Request('http://localhost/page'))) as Exclude<Awaited<ReturnType<typeof handler.query>>, Response>
	const a = rrServer.createStaticRouter(routes, await context())
	const b = rrServer.createStaticRouter(routes, await context())
	expect(a.routes).toBe(b.routes)
	expect(a.state.matches.at(-1)?.route.id).toBe('page')
	// Another tree, other data routes.
	const c = rrServer.createStaticRouter([...routes], await context())
	expect(c.routes).not.toBe(a.routes)
})

test('@remix-run/react: RemixServer hands React Router the same route tree for every render of one build', () => {
	const seen: unknown[] = []
	const original = rrServer.createStaticRouter
	// @remix-run/react's server.js calls it through the module's exports object, at render time.
	;(rrServer as { createStaticRouter: unknown }).createStaticRouter = (routes: unknown) => {
		seen.push(routes)
		return { state: { location: { pathname: '/' } } }
	}
	restore.push(() => {
		;(rrServer as { createStaticRouter: unknown }).createStaticRouter = original
	})
	const manifest = {
		routes: {
			root: { id: 'root', path: '', hasLoader: false, hasAction: false, hasClientLoader: false, hasClientAction: false, hasErrorBoundary: false, module: '' },
		},
	}
	const context = () => ({
		manifest,
		routeModules: { root: { default: () => null } },
		future: {},
		isSpaMode: false,
		staticHandlerContext: { loaderData: {}, matches: [] },
		serverHandoffString: '',
	})
	const render = remixReact.RemixServer as unknown as (props: { context: unknown; url: string }) => unknown
	render({ context: context(), url: 'http://localhost/' })
	render({ context: context(), url: 'http://localhost/' })
	expect(seen).toHaveLength(2)
	expect(seen[1]).toBe(seen[0])
	// A new build (another manifest) gets its own tree.
	render({ context: { ...context(), manifest: { routes: { ...manifest.routes } } }, url: 'http://localhost/' })
	expect(seen[2]).not.toBe(seen[0])
})
