import { expect, test } from 'vitest'
import { pooledRandom } from './random.server.ts'

test('pooled random bytes: the asked size and encoding, never the same bytes twice, across pool refills', () => {
	const seen = new Set<string>()
	// 4 KB pools: 2,000 draws of 16 bytes span eight refills.
	for (let i = 0; i < 2000; i++) {
		const hex = pooledRandom(16, 'hex')
		expect(hex).toMatch(/^[0-9a-f]{32}$/)
		seen.add(hex)
	}
	expect(seen.size).toBe(2000)
	expect(Buffer.from(pooledRandom(16, 'base64'), 'base64')).toHaveLength(16)
	expect(pooledRandom(8, 'hex')).toHaveLength(16)
	expect(pooledRandom(300, 'hex')).toHaveLength(600)
})
