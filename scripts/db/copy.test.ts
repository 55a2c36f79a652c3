import { expect, test } from 'vitest'
import { dependencyOrder } from './copy.ts'

test('tables are copied after the tables they refer to; a table referring to itself is no cycle', () => {
	const order = dependencyOrder(
		['Certificate', 'Enrolment', 'User', 'Commune', 'Province'],
		[
			{ child: 'Certificate', parent: 'Enrolment' },
			{ child: 'Certificate', parent: 'User' },
			{ child: 'Enrolment', parent: 'User' },
			{ child: 'User', parent: 'Commune' },
			{ child: 'User', parent: 'User' },
			{ child: 'Commune', parent: 'Province' },
		],
	)
	expect(order).toHaveLength(5)
	const before = (a: string, b: string) => order.indexOf(a) < order.indexOf(b)
	expect(before('Province', 'Commune') && before('Commune', 'User') && before('User', 'Enrolment') && before('Enrolment', 'Certificate')).toBe(true)
})

test('a cycle between two tables is named, not copied half-way', () => {
	expect(() =>
		dependencyOrder(
			['A', 'B'],
			[
				{ child: 'A', parent: 'B' },
				{ child: 'B', parent: 'A' },
			],
		),
	).toThrow(/cycle: A → B → A/)
})
