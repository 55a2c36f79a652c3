import { type Fixture, type Persona } from './personas.ts'
import { type Outcome } from './run.ts'

/**
 * Every route file under app/routes, with what each persona must get from its loader and action.
 * tests/integration/authorization-matrix.test.ts fails when a route (or a route's loader/action)
 * is missing here, so a new route cannot ship without deciding who may use it.
 */
export type Expect = Record<Persona, Outcome>

export interface RouteRule {
	url: (f: Fixture) => string
	params?: (f: Fixture) => Record<string, string>
	loader?: Expect
	action?: { form: (f: Fixture) => Record<string, string>; expect: Expect }
	/** The route ends the session it is called with: give it a throwaway one. */
	freshSession?: boolean
}

const all = (outcome: Outcome): Expect => ({
	anonymous: outcome, learner: outcome, staffOther: outcome, staffRight: outcome, officerOther: outcome, officerRight: outcome, admin: outcome,
})

export const PUBLIC = all('ok')
export const ANONYMOUS_ONLY: Expect = { ...all('redirect'), anonymous: 'ok' }
export const SIGNED_IN: Expect = { ...all('ok'), anonymous: 'login' }
/** Any staff member sees their own workspace. */
export const STAFF: Expect = { ...all('ok'), anonymous: 'login', learner: 'forbidden' }
/** Acting on residentRight (commune 03646, province 14). */
export const STAFF_OF_RESIDENT: Expect = {
	anonymous: 'login', learner: 'forbidden', staffOther: 'not-found', staffRight: 'ok', officerOther: 'not-found', officerRight: 'ok', admin: 'ok',
}
/** Province-level pages: officers (their own province's data) and administrators. */
export const PROVINCE: Expect = {
	anonymous: 'login', learner: 'forbidden', staffOther: 'forbidden', staffRight: 'forbidden', officerOther: 'ok', officerRight: 'ok', admin: 'ok',
}
/** Province-level pages about province 14 in particular. */
export const PROVINCE_14: Expect = { ...PROVINCE, officerOther: 'not-found' }

export const MATRIX: Record<string, RouteRule> = {
	'_index.tsx': { url: () => '/', loader: PUBLIC },
	'resources+/healthcheck.tsx': { url: () => '/resources/healthcheck', loader: PUBLIC },
	'resources+/communes.tsx': { url: () => '/resources/communes?province=14', loader: PUBLIC },
	'_auth+/login.tsx': {
		url: () => '/login',
		loader: ANONYMOUS_ONLY,
		// A wrong PIN for a phone that does not exist: 400 for the anonymous visitor.
		action: { form: () => ({ phone: '0399999999', secret: '000000' }), expect: { ...ANONYMOUS_ONLY, anonymous: 'bad-request' } },
	},
	'_auth+/register.tsx': {
		url: () => '/register',
		loader: ANONYMOUS_ONLY,
		action: { form: () => ({ phone: 'x' }), expect: { ...ANONYMOUS_ONLY, anonymous: 'bad-request' } },
	},
	'_auth+/setup.tsx': {
		url: () => '/setup',
		loader: PUBLIC,
		action: { form: () => ({ phone: '0399999999', code: 'AAAAA-AAAAA', pin: '480317', pinAgain: '480317' }), expect: all('bad-request') },
	},
	// Signing out needs no permission; it ends only the caller's own session.
	'_auth+/logout.tsx': { url: () => '/logout', freshSession: true, loader: all('redirect'), action: { form: () => ({}), expect: all('redirect') } },
	// VNeID is not configured in this test: the routes do not exist.
	'_auth+/auth.vneid.tsx': { url: () => '/auth/vneid', loader: all('not-found'), action: { form: () => ({}), expect: all('not-found') } },
	'_auth+/auth.vneid.callback.tsx': { url: () => '/auth/vneid/callback', loader: all('not-found') },
	'me+/index.tsx': { url: () => '/me', loader: SIGNED_IN },
	// Linking VNeID needs a session (anonymous: to the login page); without VNeID configured (as
	// in this test) the page does not exist. app/modules/people/vneid.test.ts and tests/e2e/vneid.test.ts cover it configured.
	'me+/vneid.tsx': {
		url: () => '/me/vneid',
		loader: { ...all('not-found'), anonymous: 'login' },
		action: { form: () => ({ secret: '000000' }), expect: { ...all('not-found'), anonymous: 'login' } },
	},
	// Every fixture person already has a commune: completing the profile again sends them back.
	'me+/complete.tsx': {
		url: () => '/me/complete',
		loader: { ...all('redirect'), anonymous: 'login' },
		action: { form: () => ({}), expect: { ...all('redirect'), anonymous: 'login' } },
	},
	'province+/staff._index.tsx': {
		url: () => '/province/staff',
		loader: PROVINCE,
		// Appointing commune staff in 03646 (province 14): an officer of province 12 is refused as bad input.
		action: {
			form: () => ({ phone: '0399100200', fullName: 'Lường Thị Mới', role: 'COMMUNE_STAFF', communeCode: '03646' }),
			expect: { ...PROVINCE, officerOther: 'bad-request' },
		},
	},
	'province+/staff.$userId.tsx': {
		url: (f) => `/province/staff/${f.ids.staffRight}`,
		params: (f) => ({ userId: f.ids.staffRight }),
		loader: PROVINCE_14,
		// A made-up assignment id: authorised callers get 400, nothing is removed.
		action: { form: () => ({ assignmentId: 'nope' }), expect: { ...PROVINCE_14, officerRight: 'bad-request', admin: 'bad-request' } },
	},
	'courses+/_index.tsx': { url: () => '/courses', loader: PUBLIC },
	'courses+/$course._index.tsx': {
		url: () => '/courses/smartphone',
		params: () => ({ course: 'smartphone' }),
		loader: PUBLIC,
		// Enrolling yourself: any signed-in person, then on to the first lesson.
		action: { form: () => ({ intent: 'enrol' }), expect: { ...all('redirect'), anonymous: 'login' } },
	},
	'courses+/$course.$lesson.tsx': {
		url: () => '/courses/smartphone/turn-on',
		params: () => ({ course: 'smartphone', lesson: 'turn-on' }),
		loader: PUBLIC,
		// A quiz with an unanswered question: refused for everyone, nothing recorded.
		action: { form: () => ({ intent: 'submit-quiz', clientId: '00000000-0000-4000-8000-000000000001', 'answer.q1': 'b' }), expect: all('bad-request') },
	},
	'certificates+/$code.tsx': {
		url: (f) => `/certificates/${f.certificateCode}`,
		params: (f) => ({ code: f.certificateCode }),
		loader: { ...all('not-found'), anonymous: 'login', learner: 'ok' },
	},
	'certificates+/$code.credential.tsx': {
		url: (f) => `/certificates/${f.certificateCode}/credential`,
		params: (f) => ({ code: f.certificateCode }),
		loader: { ...all('not-found'), anonymous: 'login', learner: 'ok' },
	},
	'verify+/$code.tsx': { url: (f) => `/verify/${f.certificateCode}`, params: (f) => ({ code: f.certificateCode }), loader: PUBLIC },
	// The code-entry form: anyone may use it; a code sends them on to /verify/<code>.
	'verify+/_index.tsx': { url: () => '/verify', loader: PUBLIC },
	'[.]well-known.jwks[.]json.tsx': { url: () => '/.well-known/jwks.json', loader: PUBLIC },
	// The page the service worker shows offline: static, no loader.
	'offline.tsx': { url: () => '/offline' },
	// The offline outbox (JSON only; tests/integration/offline-sync.test.ts covers the JSON side): a
	// signed-in person's own progress; without a session a 401 (not a redirect: the caller is a script).
	// A form body is refused with 415 for everyone, nothing recorded.
	'api+/sync.tsx': {
		url: () => '/api/sync?course=smartphone',
		loader: { ...all('ok'), anonymous: 'bad-request' },
		action: { form: () => ({ events: '[]' }), expect: all('bad-request') },
	},
	// A quiz answered in place (JSON only; tests/integration/quiz-in-place.test.ts covers the JSON
	// side, visitors included): a form body is refused with 415 for everyone, nothing recorded.
	'api+/quiz.tsx': { url: () => '/api/quiz', action: { form: () => ({ lessonId: 'x' }), expect: all('bad-request') } },
	// The dashboard and printable report default to the officer's own province.
	'province+/_index.tsx': { url: () => '/province', loader: PROVINCE },
	'province+/report.tsx': { url: () => '/province/report?province=14&year=2026', loader: { ...PROVINCE, officerOther: 'forbidden' } },
	// A population figure that is not a number: refused for those allowed, nothing saved.
	'province+/population.tsx': {
		url: () => '/province/population',
		loader: PROVINCE,
		action: {
			form: () => ({ intent: 'population', communeCode: '03646', adultPopulation: 'many', source: 'Kiểm tra', asOf: '2026-01-01' }),
			expect: { ...PROVINCE, officerOther: 'bad-request', officerRight: 'bad-request', admin: 'bad-request' },
		},
	},
	// Indicator exports of province 14: an officer of province 12 is refused.
	'province+/export.tsx': { url: () => '/province/export?format=csv&province=14&year=2026', loader: { ...PROVINCE, officerOther: 'forbidden' } },
	'province+/certificates.tsx': {
		url: () => '/province/certificates',
		loader: PROVINCE,
		// Revoking the learner's certificate (province 14): an officer of province 12 does not find it.
		action: { form: (f) => ({ code: f.certificateCode, reason: 'ISSUED_IN_ERROR', note: 'Kiểm tra phân quyền' }), expect: PROVINCE_14 },
	},
	// Creating an API token for province 14: an officer of province 12 is refused as bad input.
	'province+/api-tokens.tsx': {
		url: () => '/province/api-tokens',
		loader: PROVINCE,
		action: { form: () => ({ intent: 'create', name: 'Ma trận phân quyền', provinceCode: '14' }), expect: { ...PROVINCE, officerOther: 'bad-request' } },
	},
	// The machine API takes only a bearer token: a session cookie alone is 401 for everyone (run.ts
	// classes 401 with the 4xx refusals; app/modules/api/api.test.ts asserts the exact status).
	'api+/v1.indicators.tsx': { url: () => '/api/v1/indicators?province=14&year=2026', loader: all('bad-request') },
	'api+/v1.openapi[.]json.tsx': { url: () => '/api/v1/openapi.json', loader: PUBLIC },
	'staff+/index.tsx': { url: () => '/staff', loader: STAFF },
	'staff+/residents.new.tsx': {
		url: () => '/staff/residents/new',
		loader: STAFF,
		// Registering a resident of 03646: staff of another commune and officers of another province
		// are refused as bad input (that commune is not theirs); nothing is created.
		action: {
			form: () => ({
				phone: `039${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`, fullName: 'Lò Văn Mới', birthYear: '1970', sex: 'MALE',
				ethnicGroup: '03', learnerGroup: 'RESIDENT', provinceCode: '14', communeCode: '03646',
			}),
			expect: { ...STAFF, staffOther: 'bad-request', officerOther: 'bad-request' },
		},
	},
	'staff+/residents.$residentId.tsx': {
		url: (f) => `/staff/residents/${f.ids.residentRight}`,
		params: (f) => ({ residentId: f.ids.residentRight }),
		loader: STAFF_OF_RESIDENT,
		action: { form: () => ({ intent: 'reset-pin' }), expect: STAFF_OF_RESIDENT },
	},
	// The commune workspace of 03646: residents, classes (the list, the form, one class).
	'staff+/residents._index.tsx': { url: () => '/staff/residents?commune=03646', loader: STAFF_OF_RESIDENT },
	'staff+/classes._index.tsx': { url: () => '/staff/classes?commune=03646', loader: STAFF_OF_RESIDENT },
	'staff+/classes.new.tsx': {
		url: () => '/staff/classes/new?commune=03646&course=smartphone',
		loader: STAFF_OF_RESIDENT,
		// A class of 03646 with residentRight and no lesson ticked: refused as bad input, nothing recorded.
		action: {
			form: (f) => ({ clientId: '00000000-0000-4000-8000-00000000c1a5', communeCode: '03646', courseId: 'smartphone', heldOn: '2026-01-05', place: 'Nhà văn hoá', attendeeId: f.ids.residentRight }),
			expect: { ...all('bad-request'), anonymous: 'login', learner: 'forbidden' },
		},
	},
	'staff+/classes.$classId.tsx': { url: (f) => `/staff/classes/${f.classId}`, params: (f) => ({ classId: f.classId }), loader: STAFF_OF_RESIDENT },
	'staff+/import._index.tsx': {
		url: () => '/staff/import',
		loader: STAFF,
		// Uploading into 03646 without a file: refused as bad input where the commune is the caller's,
		// not found where it is not (staff of another commune, officers of another province).
		action: { form: () => ({ communeCode: '03646' }), expect: { ...STAFF_OF_RESIDENT, staffRight: 'bad-request', officerRight: 'bad-request', admin: 'bad-request' } },
	},
	'staff+/import.$jobId.tsx': {
		url: (f) => `/staff/import/${f.importJobId}`,
		params: (f) => ({ jobId: f.importJobId }),
		loader: STAFF_OF_RESIDENT,
		// Confirming an import of 03646 (it has nobody new): back to its page; others do not find it.
		action: { form: () => ({ intent: 'confirm' }), expect: { ...STAFF_OF_RESIDENT, staffRight: 'redirect', officerRight: 'redirect', admin: 'redirect' } },
	},
	// Residents of 03646 with their progress: only staff whose scope holds 03646.
	'staff+/export.tsx': { url: () => '/staff/export?format=csv&commune=03646', loader: STAFF_OF_RESIDENT },
}
