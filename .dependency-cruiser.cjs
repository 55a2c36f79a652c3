/**
 * Layer rules as code (ADR 012), run by `npm test` (`npm run lint:deps`). The module graph is one-way:
 *
 *   kernel (pure)  <-  utils (infrastructure)  <-  modules  <-  features  <-  routes, components
 *   modules, lowest first: course, units, audit  ->  counting  ->  people, certificate  ->  progress, voice  ->  reporting
 *
 * A module may import only modules below it; nothing below imports anything above. Tests are exempt.
 */
const TESTS = '(\\.test\\.tsx?|\\.spec\\.ts)$'
const LEVELS = [['course', 'units', 'audit'], ['counting'], ['people', 'certificate'], ['progress', 'voice'], ['reporting']]
const mod = (names) => `^app/modules/(${names.join('|')})/`

const layerRules = LEVELS.flatMap((level, i) => {
	const above = LEVELS.slice(i + 1).flat()
	const rules = []
	if (above.length)
		rules.push({
			name: `modules-one-way-${level.join('-')}`,
			comment: `${level.join(', ')} may not import a module above it (${above.join(', ')}): see .dependency-cruiser.cjs`,
			severity: 'error',
			from: { path: mod(level), pathNot: TESTS },
			to: { path: mod(above) },
		})
	// Modules of one level do not import each other either.
	for (const a of level)
		for (const b of level)
			if (a !== b)
				rules.push({
					name: `modules-same-level-${a}-${b}`,
					comment: `${a} and ${b} are on one level: neither imports the other`,
					severity: 'error',
					from: { path: mod([a]), pathNot: TESTS },
					to: { path: mod([b]) },
				})
	return rules
})

module.exports = {
	forbidden: [
		{
			name: 'no-circular',
			comment: 'Two files that import each other, directly or not: split the shared part out, one way.',
			severity: 'error',
			from: { path: '^app/' },
			to: { circular: true, dependencyTypesNot: ['type-only'] },
		},
		{
			name: 'kernel-is-pure',
			comment: 'app/kernel is pure and safe in the browser: it imports only the kernel and the generated enums (types from the Prisma client are fine).',
			severity: 'error',
			from: { path: '^app/kernel/', pathNot: TESTS },
			to: { pathNot: ['^app/kernel/', '^app/generated/prisma/enums\\.ts$'], dependencyTypesNot: ['type-only'] },
		},
		{
			name: 'utils-are-infrastructure',
			comment: 'app/utils (database, session, i18n, env) knows no domain: it may not import modules, features, routes or components.',
			severity: 'error',
			from: { path: '^app/utils/', pathNot: TESTS },
			to: { path: '^app/(modules|features|routes|components)/' },
		},
		{
			name: 'modules-know-no-channel',
			comment: 'A domain module may not import a feature, a route, a component or the root.',
			severity: 'error',
			from: { path: '^app/modules/', pathNot: TESTS },
			to: { path: ['^app/(features|routes|components)/', '^app/(root|entry\\.server|entry\\.client)\\.tsx$'] },
		},
		{
			name: 'features-know-no-page',
			comment: 'A feature (workspace, api, offline) may not import a route, a component or another feature.',
			severity: 'error',
			from: { path: '^app/features/([^/]+)/', pathNot: TESTS },
			to: { path: ['^app/(routes|components)/', '^app/features/'], pathNot: '^app/features/$1/' },
		},
		...layerRules,
	],
	options: {
		doNotFollow: { path: 'node_modules' },
		exclude: { path: ['^app/generated/', 'node_modules'] },
		tsPreCompilationDeps: true,
		tsConfig: { fileName: 'tsconfig.json' },
		enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.json'] },
	},
}
