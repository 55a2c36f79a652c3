import { describe, expect, test } from 'vitest'
import { parseEnv } from './env.server.ts'

describe('the environment schema', () => {
	test('defaults that run offline, in development', () => {
		const env = parseEnv({})
		expect(env).toMatchObject({
			NODE_ENV: 'development',
			PORT: 3000,
			DATABASE_POOL_SIZE: 10,
			WEB_CONCURRENCY: 1,
			TRUST_PROXY: false,
			LOG_REQUESTS: true,
			RENDER_CACHE: true,
			LEARNER_CACHE: true,
			COOKIE_SECURE: true,
			DEFAULT_PROVINCE: '14',
			APP_ORIGIN: 'http://localhost:3000',
		})
		expect(parseEnv({ PORT: '3300' }).APP_ORIGIN).toBe('http://localhost:3300')
	})

	test.each([
		['DATABASE_POOL_SIZE', 'abc', /DATABASE_POOL_SIZE: expected the number of database connections per process: a whole number from 1 to 500 \(got "abc"\)/],
		['DATABASE_POOL_SIZE', '0', /DATABASE_POOL_SIZE: .*from 1 to 500/],
		['PORT', '-1', /PORT: expected a TCP port: a whole number from 1 to 65535 \(got "-1"\)/],
		['PORT', '70000', /PORT: expected a TCP port/],
		['PORT', '3000abc', /PORT: expected a TCP port/],
		['WEB_CONCURRENCY', 'two', /WEB_CONCURRENCY: expected the number of worker processes/],
		['TRUST_PROXY', 'yes please', /TRUST_PROXY: expected the number of proxies in front of the server .* not "yes please"/],
		['TRUST_PROXY', 'true', /TRUST_PROXY: expected the number of proxies/],
		['TRUST_PROXY', '10.0.0.0/33', /TRUST_PROXY: .*not "10.0.0.0\/33"/],
		['TRUST_PROXY', '99', /TRUST_PROXY: expected a number of proxies from 1 to 10/],
		['LOG_REQUESTS', 'no', /LOG_REQUESTS: expected 0 or 1 \(got "no"\)/],
		['SEED_DEMO', 'yes', /SEED_DEMO: expected 0 or 1/],
		['APP_ORIGIN', 'hocvuso.sonla.gov.vn', /APP_ORIGIN: expected the public origin/],
		['APP_ORIGIN', 'https://hocvuso.sonla.gov.vn/app', /APP_ORIGIN: expected the public origin.*no path/],
		['APP_ORIGIN', 'ftp://hocvuso.sonla.gov.vn', /APP_ORIGIN: expected the public origin/],
		['VNEID_ISSUER', 'not a url', /VNEID_ISSUER: expected an absolute URL/],
		['CREDENTIAL_PRIVATE_JWK', '{"kty":"EC"}', /CREDENTIAL_PRIVATE_JWK: expected a private JWK/],
		['DEFAULT_PROVINCE', 'Sơn La', /DEFAULT_PROVINCE: expected an official two-digit province code/],
		['NODE_ENV', 'staging', /NODE_ENV/],
		['SECURITY_CONTACT', 'the province office', /SECURITY_CONTACT: expected e-mail addresses or mailto:, https: or tel: URIs.*not "the province office"/],
		['SECURITY_CONTACT', 'http://sonla.gov.vn/report', /SECURITY_CONTACT: .*not "http:\/\/sonla.gov.vn\/report"/],
		['SECURITY_CONTACT', 'a@b.vn\nExpires: 2099', /SECURITY_CONTACT: expected e-mail/],
	])('%s=%s stops the start with a message naming it', (name, value, message) => {
		expect(() => parseEnv({ [name]: value })).toThrow(message)
	})

	test('several bad values are all named at once', () => {
		expect(() => parseEnv({ PORT: '-1', DATABASE_POOL_SIZE: 'abc' })).toThrow(/DATABASE_POOL_SIZE: [^\n]+\n {2}PORT: /)
	})

	test('production needs APP_ORIGIN: no URL is ever built from request headers', () => {
		expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/APP_ORIGIN: required when NODE_ENV=production/)
		expect(parseEnv({ NODE_ENV: 'production', APP_ORIGIN: 'https://hocvuso.sonla.gov.vn/' }).APP_ORIGIN).toBe('https://hocvuso.sonla.gov.vn')
	})

	test('the security contact: addresses become mailto:, URIs stay; unset publishes nothing', () => {
		expect(parseEnv({}).SECURITY_CONTACT).toEqual([])
		expect(parseEnv({ SECURITY_CONTACT: 'attt@sonla.gov.vn, https://sonla.gov.vn/bao-cao-lo-hong, tel:+84-212-3852-000' }).SECURITY_CONTACT).toEqual([
			'mailto:attt@sonla.gov.vn',
			'https://sonla.gov.vn/bao-cao-lo-hong',
			'tel:+84-212-3852-000',
		])
	})

	test('numbers, flags and proxy trust are parsed', () => {
		const env = parseEnv({
			PORT: '8080',
			DATABASE_POOL_SIZE: '25',
			WEB_CONCURRENCY: '2',
			LOG_REQUESTS: '0',
			RENDER_CACHE: '0',
			COOKIE_SECURE: '0',
			TRUST_PROXY: '2',
		})
		expect(env).toMatchObject({
			PORT: 8080,
			DATABASE_POOL_SIZE: 25,
			WEB_CONCURRENCY: 2,
			LOG_REQUESTS: false,
			RENDER_CACHE: false,
			COOKIE_SECURE: false,
			TRUST_PROXY: 2,
		})
		expect(parseEnv({ TRUST_PROXY: '0' }).TRUST_PROXY).toBe(false)
		expect(parseEnv({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,loopback,::1,192.168.1.0/255.255.255.0' }).TRUST_PROXY).toEqual([
			'10.0.0.0/8',
			'127.0.0.1',
			'loopback',
			'::1',
			'192.168.1.0/255.255.255.0',
		])
	})
})
