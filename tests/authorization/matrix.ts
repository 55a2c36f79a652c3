import { getCourseById } from '#app/modules/course/course.server.ts'
import { type Fixture, type Persona, TARGET_KINDS, type TargetKind } from './personas.ts'
import { type Outcome } from './run.ts'

/**
 * Every route file under app/routes, with what each persona must get from its loader and action.
 * tests/integration/authorization-matrix.test.ts fails when a route (or a route's loader/action)
 * is missing here, so a new route cannot ship without deciding who may use it.
 */
export type Expect = Record<Persona, Outcome | 'skip'>

export interface RouteRule {
	url: (f: Fixture) => string
	params?: (f: Fixture) => Record<string, string>
	loader?: Expect
	action?: { form: (f: Fixture) => Record<string, string>; expect: Expect }
	/** The route ends the session it is called with: give it a throwaway one. */
	freshSession?: boolean
	/**
	 * Routes that take a person (they read one of PERSON_INPUTS): what each persona gets on each kind
	 * of person (TARGET_KINDS).
	 */
	targets?: TargetRule
}

export interface TargetRule {
	url: (f: Fixture, targetId: string) => string
	params?: (f: Fixture, targetId: string) => Record<string, string>
	loader?: Record<TargetKind, Expect>
	actions?: { name: string; form: (f: Fixture, targetId: string, targetPhone: string) => Record<string, string>; expect: Record<TargetKind, Expect> }[]
}

/**
 * The inputs (path parameters, form and query fields, schema fields, headers) routes read, as
 * tests/authorization/route-inputs.ts finds them, each classified once: those that name a person
 * make the route one that takes a person, which must say what happens for every kind of person
 * (`targets`). A route reading a name in neither list fails tests/integration/authorization-matrix.test.ts
 * until it is classified here.
 */
export const PERSON_INPUTS = [
	'residentId',
	// A flat route's escaped segment ($residentId_: the resident's erase and correction pages).
	'residentId_',
	'userId',
	'attendeeId',
	'attendeeIds',
	'phone',
	'assignmentId',
	// A narrator permission (issue #23): it names the person who holds it.
	'grantId',
	// The audit viewer's filters: a person the entries are about, a staff member who acted.
	'person',
	'actor',
] as const
export const OTHER_INPUTS = [
	// The sign-in page's keyboard for the secret (?keyboard=text: letters instead of the PIN's digits).
	'keyboard',
	// The setup slip: the count of courses just enrolled in (?registered=); its confirm step is ?confirm=code.
	'registered',
	// Headers.
	'Authorization',
	'Cookie',
	'Content-Length',
	'Content-Type',
	// Places, periods, reports.
	'province',
	'provinceCode',
	'commune',
	'communes',
	'communeCode',
	'village',
	'year',
	'from',
	'to',
	'granularity',
	'breakdown',
	'format',
	'lng',
	// Learning: courses, lessons, quizzes, the offline outbox.
	'course',
	'courseId',
	'lesson',
	'lessonId',
	'lessonIds',
	'answers',
	'events',
	'clientId',
	'cid',
	// Things that are not people: a certificate or setup code, a class, an import, a token, a file.
	'code',
	'classId',
	'jobId',
	// A flat route's escaped segment ($jobId_: the import's batch of setup slips).
	'jobId_',
	'tokenId',
	'file',
	'name',
	'reason',
	'note',
	// The caller's own form fields and page flags.
	'intent',
	'secret',
	'secretKind',
	'secretAgain',
	'current',
	'pin',
	'pinAgain',
	'fullName',
	'birthYear',
	'sex',
	'ethnicGroup',
	'learnerGroup',
	'role',
	'redirectTo',
	'vneid',
	'everywhere',
	'linked',
	'changed',
	'saved',
	'show',
	'page',
	'q',
	'status',
	'group',
	'heldOn',
	'place',
	// Notice and consent boxes, confirmations and page flags (ADR 018, 019, 020).
	'consent',
	// The notice read again before going on (/me/notice, ADR 028): the box.
	'agree',
	'ethnicityConsent',
	'noticeGiven',
	'requested',
	'confirm',
	// An API key's revoke confirm step (?revoke=<token id>) and its one button (confirmed=yes).
	'revoke',
	'confirmed',
	// An import's undo confirm step (?undo=confirm).
	'undo',
	// A class's correction form (?edit=1), its notes, and what the saved correction changed.
	'edit',
	'notes',
	'added',
	'removed',
	'done',
	'welcome',
	'reissued',
	'corrected',
	'erased',
	'moved',
	// The audit viewer's action filter.
	'action',
	// A certificate status list (public), its cache validator.
	'listId',
	'If-None-Match',
	// The province's population and targets form.
	'adultPopulation',
	'source',
	'asOf',
	'value',
	'indicator',
	// Local voices (issue #23): a recording's fields and file, its id, the audio's file name and byte range.
	'language',
	'dialectNote',
	'section',
	'grant',
	'audio',
	'recordingId',
	'id',
	'Range',
] as const

/** Routes that read a person input about the caller themselves, not about someone else: why. */
export const SELF_ONLY: Record<string, string> = {
	'_auth+/login.tsx': 'the phone is the one signing in (one answer for unknown phone and wrong secret; rate-limited)',
	'_auth+/register.tsx': 'the phone is the one registering (rate-limited: tests/integration/rate-limits.test.ts)',
	'_auth+/setup.tsx': "the phone is the setup code holder's own (rate-limited, works only with its code)",
}

const all = (outcome: Outcome): Expect => ({
	anonymous: outcome,
	learner: outcome,
	staffOther: outcome,
	staffRight: outcome,
	officerOther: outcome,
	officerRight: outcome,
	admin: outcome,
})

/** The same expectations with 'ok' read as another outcome (an action refused for bad input where it is allowed). */
const okAs = (expect: Expect, outcome: Outcome): Expect =>
	Object.fromEntries(Object.entries(expect).map(([persona, o]) => [persona, o === 'ok' ? outcome : o])) as Expect

export const PUBLIC = all('ok')
export const ANONYMOUS_ONLY: Expect = { ...all('redirect'), anonymous: 'ok' }
export const SIGNED_IN: Expect = { ...all('ok'), anonymous: 'login' }
/** Any staff member sees their own workspace. */
export const STAFF: Expect = { ...all('ok'), anonymous: 'login', learner: 'forbidden' }
/** Acting on residentRight (commune 03646, province 14). */
export const STAFF_OF_RESIDENT: Expect = {
	anonymous: 'login',
	learner: 'forbidden',
	staffOther: 'not-found',
	staffRight: 'ok',
	officerOther: 'not-found',
	officerRight: 'ok',
	admin: 'ok',
}
/**
 * Residents' personal data of 03646 (names, phones: the residents list, a resident's page, a class's
 * attendees, an import): its commune's staff; officers of the province and administrators see the
 * commune (403, not 404) but get aggregates unless an administrator allowed the officer
 * (`canSeePersonalData`; the allowed officer: tests/integration/personal-data-export.test.ts).
 */
export const PERSONAL_DATA_OF_RESIDENT: Expect = { ...STAFF_OF_RESIDENT, officerRight: 'forbidden', admin: 'forbidden' }
/** Province-level pages: officers (their own province's data) and administrators. */
export const PROVINCE: Expect = {
	anonymous: 'login',
	learner: 'forbidden',
	staffOther: 'forbidden',
	staffRight: 'forbidden',
	officerOther: 'ok',
	officerRight: 'ok',
	admin: 'ok',
}
/** Province-level pages about province 14 in particular. */
export const PROVINCE_14: Expect = { ...PROVINCE, officerOther: 'not-found' }

/** A resident's page or action: only their commune's staff, their province's officers, administrators. */
/** The same outcomes where a success answers with a redirect (an action that then shows another page). */
const okIsRedirect = (e: Expect): Expect => Object.fromEntries(Object.entries(e).map(([p, o]) => [p, o === 'ok' ? 'redirect' : o])) as Expect
const okIsRedirectAll = <K extends string>(rules: Record<K, Expect>) =>
	Object.fromEntries(Object.entries(rules).map(([k, e]) => [k, okIsRedirect(e as Expect)])) as Record<K, Expect>
const ON_RESIDENT: Record<'residentRight' | 'residentOtherCommune' | 'residentOtherProvince', Expect> = {
	residentRight: PERSONAL_DATA_OF_RESIDENT,
	residentOtherCommune: {
		anonymous: 'login',
		learner: 'forbidden',
		staffOther: 'ok',
		staffRight: 'not-found',
		officerOther: 'not-found',
		officerRight: 'forbidden',
		admin: 'forbidden',
	},
	residentOtherProvince: {
		anonymous: 'login',
		learner: 'forbidden',
		staffOther: 'not-found',
		staffRight: 'not-found',
		officerOther: 'forbidden',
		officerRight: 'not-found',
		admin: 'forbidden',
	},
}
/** Nobody reaches a person who holds a role through the commune workspace, administrators included. */
const NOBODY_IN_WORKSPACE: Expect = { ...all('not-found'), anonymous: 'login', learner: 'forbidden' }
const ROLE_HOLDERS_REFUSED = {
	staffRight: NOBODY_IN_WORKSPACE,
	staffOther: NOBODY_IN_WORKSPACE,
	officerRight: NOBODY_IN_WORKSPACE,
	officerOther: NOBODY_IN_WORKSPACE,
	admin: NOBODY_IN_WORKSPACE,
}
/** Staff management pages: nobody finds a resident or an administrator there. */
const NOT_STAFF: Expect = { ...all('not-found'), anonymous: 'login', learner: 'forbidden', staffOther: 'forbidden', staffRight: 'forbidden' }
/** Province 12's people: its officer and administrators. */
const PROVINCE_12: Expect = { ...PROVINCE, officerRight: 'not-found' }
/** Resetting a staff member's secret: administrators alone; officers who see the person are refused. */
const ADMIN_ALONE_14: Expect = { ...PROVINCE_14, officerRight: 'forbidden' }
const ADMIN_ALONE_12: Expect = { ...PROVINCE_12, officerOther: 'forbidden' }

export const MATRIX: Record<string, RouteRule> = {
	// Local voices (issue #23). None of the personas is a narrator: the narrate pages refuse them all
	// (tests/integration/voices.test.ts covers narrators, reviewers and the audio); an upload without a
	// narrator permission changes nothing.
	'narrate+/_index.tsx': { url: () => '/narrate', loader: { ...all('forbidden'), anonymous: 'login' } },
	'narrate+/$course.$lesson.tsx': {
		url: () => '/narrate/smartphone/turn-on',
		params: () => ({ course: 'smartphone', lesson: 'turn-on' }),
		loader: { ...all('forbidden'), anonymous: 'login' },
		action: { form: () => ({ language: 'blt' }), expect: { ...all('forbidden'), anonymous: 'login' } },
	},
	// Reviewing: province officers and administrators (and narrators); a made-up recording is a 404 for them.
	'narrate+/review.tsx': {
		url: () => '/narrate/review',
		loader: PROVINCE,
		action: {
			form: () => ({ recordingId: 'nope', intent: 'approve' }),
			expect: { ...PROVINCE, officerOther: 'not-found', officerRight: 'not-found', admin: 'not-found' },
		},
	},
	// A recording's audio: published ones are public; an unknown one is a 404 for everyone.
	'voices+/$id.$file.tsx': {
		url: () => '/voices/nope/0000000000000000.webm',
		params: () => ({ id: 'nope', file: '0000000000000000.webm' }),
		loader: all('not-found'),
	},
	'province+/voices.tsx': { url: () => '/province/voices', loader: PROVINCE },
	// Narrator permissions: officers for their provinces, administrators anywhere. The action revoking a
	// made-up permission is refused as bad input; granting is tried on every kind of person below.
	'province+/staff.narrators.tsx': {
		url: () => '/province/staff/narrators',
		loader: PROVINCE,
		action: { form: () => ({ intent: 'revoke', grantId: 'nope' }), expect: okAs(PROVINCE, 'bad-request') },
		targets: {
			url: () => '/province/staff/narrators',
			actions: [
				{
					name: 'allow to narrate for 03646',
					form: (_, __, phone) => ({ phone, provinceCode: '14', communeCode: '03646' }),
					// Anyone of 03646 with an account may narrate there (it is not a role); a person of another
					// commune or province is refused as bad input, so the answer tells nothing of phones elsewhere.
					expect: Object.fromEntries(
						TARGET_KINDS.map((kind) => {
							const ofPlace = kind === 'residentRight' || kind === 'staffRight' || kind === 'officerRight' || kind === 'admin'
							const granted = ofPlace ? 'redirect' : 'bad-request'
							return [kind, { ...PROVINCE, officerOther: 'forbidden', officerRight: granted, admin: granted } satisfies Expect]
						}),
					) as Record<TargetKind, Expect>,
				},
			],
		},
	},
	'_index.tsx': { url: () => '/', loader: PUBLIC },
	'resources+/healthcheck.tsx': { url: () => '/resources/healthcheck', loader: PUBLIC },
	'resources+/livez.tsx': { url: () => '/resources/livez', loader: PUBLIC },
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
	'_auth+/forgot-pin.tsx': { url: () => '/forgot-pin', loader: PUBLIC },
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
	// One's own data (issue #18): every signed-in person sees and downloads theirs, nobody else's (the
	// routes take no person; app/features/mydata/my-data.test.ts and tests/e2e/my-data.test.ts check the content).
	'me+/data.tsx': { url: () => '/me/data', loader: SIGNED_IN },
	'me+/data.download.tsx': { url: () => '/me/data/download', loader: SIGNED_IN },
	// One's own PIN: a wrong current PIN is bad input for everyone signed in (nobody else's account is reachable).
	'me+/security.tsx': {
		url: () => '/me/security',
		loader: SIGNED_IN,
		action: {
			form: () => ({ current: '000000', secretKind: 'PIN', secret: '592604', secretAgain: '592604' }),
			expect: { ...all('bad-request'), anonymous: 'login' },
		},
	},
	// Erasing oneself (ADR 020): without the confirmation ticked (a learner) or holding a role
	// (staff, officers, administrators: refused, 409) nothing is erased. tests/integration/erasure.test.ts erases.
	'me+/erase.tsx': {
		url: () => '/me/erase',
		loader: SIGNED_IN,
		action: { form: () => ({ secret: '000000' }), expect: { ...all('bad-request'), anonymous: 'login' } },
	},
	// Linking VNeID needs a session (anonymous: to the login page); without VNeID configured (as
	// in this test) the page does not exist. app/modules/people/vneid.test.ts and tests/e2e/vneid.test.ts cover it configured.
	'me+/vneid.tsx': {
		url: () => '/me/vneid',
		loader: { ...all('not-found'), anonymous: 'login' },
		action: { form: () => ({ secret: '000000' }), expect: { ...all('not-found'), anonymous: 'login' } },
	},
	// Every fixture person already has a commune: completing the profile again sends them back. Without
	// a pending VNeID sign-in (cookie; tests/integration/notice-gate.test.ts) anonymous goes to sign in.
	'me+/complete.tsx': {
		url: () => '/me/complete',
		loader: { ...all('redirect'), anonymous: 'login' },
		action: { form: () => ({}), expect: { ...all('redirect'), anonymous: 'login' } },
	},
	// Agreeing to the current notice (ADR 028): everyone in the fixture has, so the page sends them
	// on; without the box ticked it is bad input and records nothing. Nobody else's agreement is reachable.
	// tests/integration/notice-gate.test.ts covers those who have not agreed.
	'me+/notice.tsx': {
		url: () => '/me/notice',
		loader: { ...all('redirect'), anonymous: 'login' },
		action: { form: () => ({ redirectTo: '/me' }), expect: { ...all('bad-request'), anonymous: 'login' } },
	},
	// One's own profile (ADR 018): everyone signed in has one; an incomplete form is bad input, nobody else's is reachable.
	'me+/profile.tsx': {
		url: () => '/me/profile',
		loader: SIGNED_IN,
		action: { form: () => ({ fullName: '' }), expect: { ...all('bad-request'), anonymous: 'login' } },
	},
	'province+/staff._index.tsx': {
		url: () => '/province/staff',
		loader: PROVINCE,
		// Appointing commune staff in 03646 (province 14): an officer of province 12 is refused as bad input.
		action: {
			form: () => ({ phone: '0399100200', fullName: 'Lường Thị Mới', role: 'COMMUNE_STAFF', communeCode: '03646' }),
			expect: { ...PROVINCE, officerOther: 'bad-request' },
		},
		// Appointing an existing account by phone. Only refusals are tried here (an appointment would
		// change the fixture): the administrator and officers are nobody's commune staff, an officer of
		// province 12 may not appoint in 03646, and staff of 03721 are not officerRight's to move… but are.
		targets: {
			url: () => '/province/staff',
			actions: [
				{
					name: 'appoint as staff of 03646',
					form: (_, __, phone) => ({ phone, fullName: 'Người Được Bổ Nhiệm', role: 'COMMUNE_STAFF', communeCode: '03646' }),
					expect: {
						residentRight: { ...PROVINCE, officerOther: 'bad-request', officerRight: 'skip', admin: 'skip' },
						residentOtherCommune: { ...PROVINCE, officerOther: 'bad-request', officerRight: 'skip', admin: 'skip' },
						residentOtherProvince: { ...PROVINCE, officerOther: 'bad-request', officerRight: 'skip', admin: 'skip' },
						staffRight: { ...PROVINCE, officerOther: 'bad-request', officerRight: 'skip', admin: 'skip' },
						staffOther: { ...PROVINCE, officerOther: 'bad-request', officerRight: 'skip', admin: 'skip' },
						officerRight: { ...PROVINCE, officerOther: 'bad-request', officerRight: 'bad-request', admin: 'skip' },
						officerOther: { ...PROVINCE, officerOther: 'bad-request', officerRight: 'bad-request', admin: 'skip' },
						admin: { ...PROVINCE, officerOther: 'bad-request', officerRight: 'bad-request', admin: 'bad-request' },
					},
				},
			],
		},
	},
	'province+/staff.$userId.tsx': {
		url: (f) => `/province/staff/${f.ids.staffRight}`,
		params: (f) => ({ userId: f.ids.staffRight }),
		loader: PROVINCE_14,
		// A made-up assignment id: authorised callers get 400, nothing is removed.
		action: { form: () => ({ assignmentId: 'nope' }), expect: { ...PROVINCE_14, officerRight: 'bad-request', admin: 'bad-request' } },
		targets: {
			url: (_, id) => `/province/staff/${id}`,
			params: (_, id) => ({ userId: id }),
			loader: {
				residentRight: NOT_STAFF,
				residentOtherCommune: NOT_STAFF,
				residentOtherProvince: NOT_STAFF,
				staffRight: PROVINCE_14,
				staffOther: PROVINCE_14,
				officerRight: PROVINCE_14,
				officerOther: PROVINCE_12,
				// An administrator is nobody's staff member: no page shows or resets them.
				admin: NOT_STAFF,
			},
			actions: [
				{
					name: 'reset-secret',
					form: () => ({ intent: 'reset-secret' }),
					expect: {
						residentRight: NOT_STAFF,
						residentOtherCommune: NOT_STAFF,
						residentOtherProvince: NOT_STAFF,
						staffRight: ADMIN_ALONE_14,
						staffOther: ADMIN_ALONE_14,
						officerRight: ADMIN_ALONE_14,
						officerOther: ADMIN_ALONE_12,
						admin: NOT_STAFF,
					},
				},
			],
		},
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
	// "Lưu ảnh": the certificate as a PNG, for its owner only, like the page.
	'certificates+/$code.image.tsx': {
		url: (f) => `/certificates/${f.certificateCode}/image`,
		params: (f) => ({ code: f.certificateCode }),
		loader: { ...all('not-found'), anonymous: 'login', learner: 'ok' },
	},
	'verify+/$code.tsx': { url: (f) => `/verify/${f.certificateCode}`, params: (f) => ({ code: f.certificateCode }), loader: PUBLIC },
	// The code-entry form: anyone may use it; a code sends them on to /verify/<code>.
	'verify+/_index.tsx': { url: () => '/verify', loader: PUBLIC },
	'[.]well-known.jwks[.]json.tsx': { url: () => '/.well-known/jwks.json', loader: PUBLIC },
	// The W3C Bitstring Status List the credentials name (ADR 016): public, like the keys that verify it.
	'credentials+/status.$listId.tsx': {
		url: (f) => `/credentials/status/${f.statusListId}`,
		params: (f) => ({ listId: String(f.statusListId) }),
		loader: PUBLIC,
	},
	// RFC 9116: where to report a vulnerability (SECURITY_CONTACT; tests/integration/security-txt.test.ts).
	'[.]well-known.security[.]txt.tsx': { url: () => '/.well-known/security.txt', loader: PUBLIC },
	// The page the service worker shows offline: static, no loader.
	'offline.tsx': { url: () => '/offline' },
	// The full personal-data notice: public (ADR 018).
	'privacy.tsx': { url: () => '/privacy' },
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
	// The audit viewer (ADR 019): officers and administrators; an officer's page holds only their
	// provinces' entries, whoever is filtered on (app/modules/audit/access-log.test.ts), so a person
	// of another province is an empty page, not a refusal that would confirm they exist.
	'province+/audit.tsx': {
		url: () => '/province/audit',
		loader: PROVINCE,
		targets: {
			url: (_, id) => `/province/audit?person=${id}`,
			loader: {
				residentRight: PROVINCE,
				residentOtherCommune: PROVINCE,
				residentOtherProvince: PROVINCE,
				staffRight: PROVINCE,
				staffOther: PROVINCE,
				officerRight: PROVINCE,
				officerOther: PROVINCE,
				admin: PROVINCE,
			},
		},
	},
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
	// classes 401 with the 4xx refusals; app/features/api/api.test.ts asserts the exact status).
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
				phone: `039${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
				fullName: 'Lò Văn Mới',
				birthYear: '1970',
				sex: 'MALE',
				ethnicGroup: '03',
				ethnicityConsent: 'on',
				noticeGiven: 'on',
				learnerGroup: 'RESIDENT',
				provinceCode: '14',
				communeCode: '03646',
			}),
			// Registered: on to the slip's own page.
			expect: okIsRedirect({ ...STAFF, staffOther: 'bad-request', officerOther: 'bad-request' }),
		},
		// Registering (and enrolling) a phone that already has an account, of any kind: refused, nobody
		// is enrolled or changed.
		targets: {
			url: () => '/staff/residents/new',
			actions: [
				{
					name: 'register an existing phone',
					form: (_, __, phone) => ({
						phone,
						fullName: 'Lò Văn Trùng',
						birthYear: '1970',
						sex: 'MALE',
						ethnicGroup: '03',
						ethnicityConsent: 'on',
						noticeGiven: 'on',
						learnerGroup: 'RESIDENT',
						provinceCode: '14',
						communeCode: '03646',
						courseId: 'vneid',
					}),
					expect: Object.fromEntries(
						(
							['residentRight', 'residentOtherCommune', 'residentOtherProvince', 'staffRight', 'staffOther', 'officerRight', 'officerOther', 'admin'] as const
						).map((k) => [k, { ...all('bad-request'), anonymous: 'login', learner: 'forbidden' } as Expect]),
					) as Record<TargetKind, Expect>,
				},
			],
		},
	},
	'staff+/residents.$residentId.tsx': {
		url: (f) => `/staff/residents/${f.ids.residentRight}`,
		params: (f) => ({ residentId: f.ids.residentRight }),
		loader: PERSONAL_DATA_OF_RESIDENT,
		// A setup code made goes to the slip's own page (POST → redirect → GET).
		action: { form: () => ({ intent: 'reset-pin' }), expect: okIsRedirect(PERSONAL_DATA_OF_RESIDENT) },
		targets: {
			url: (_, id) => `/staff/residents/${id}`,
			params: (_, id) => ({ residentId: id }),
			loader: { ...ON_RESIDENT, ...ROLE_HOLDERS_REFUSED },
			actions: [
				{ name: 'reset-pin', form: () => ({ intent: 'reset-pin' }), expect: okIsRedirectAll({ ...ON_RESIDENT, ...ROLE_HOLDERS_REFUSED }) },
				{ name: 'enrol', form: () => ({ intent: 'enrol', courseId: 'vneid' }), expect: { ...ON_RESIDENT, ...ROLE_HOLDERS_REFUSED } },
			],
		},
	},
	// The resident's setup slip, shown again while its code works (from the code this browser kept).
	'staff+/residents.$residentId_.slip.tsx': {
		url: (f) => `/staff/residents/${f.ids.residentRight}/slip`,
		params: (f) => ({ residentId: f.ids.residentRight }),
		loader: PERSONAL_DATA_OF_RESIDENT,
		targets: {
			url: (_, id) => `/staff/residents/${id}/slip`,
			params: (_, id) => ({ residentId: id }),
			loader: { ...ON_RESIDENT, ...ROLE_HOLDERS_REFUSED },
		},
	},
	// Recording a resident's request to erase, made in person: whoever may open the resident's page.
	// Tried without the confirmation ticked (bad input, nothing erased); tests/integration/erasure.test.ts erases.
	'staff+/residents.$residentId_.erase.tsx': {
		url: (f) => `/staff/residents/${f.ids.residentRight}/erase`,
		params: (f) => ({ residentId: f.ids.residentRight }),
		loader: PERSONAL_DATA_OF_RESIDENT,
		action: { form: () => ({}), expect: okAs(PERSONAL_DATA_OF_RESIDENT, 'bad-request') },
		targets: {
			url: (_, id) => `/staff/residents/${id}/erase`,
			params: (_, id) => ({ residentId: id }),
			loader: { ...ON_RESIDENT, ...ROLE_HOLDERS_REFUSED },
			actions: [
				{
					name: 'erase, unconfirmed',
					form: () => ({}),
					expect: Object.fromEntries(
						Object.entries({ ...ON_RESIDENT, ...ROLE_HOLDERS_REFUSED }).map(([kind, expect]) => [kind, okAs(expect, 'bad-request')]),
					) as Record<TargetKind, Expect>,
				},
			],
		},
	},
	// Correcting a resident's details at their request: the resident page's rule (commune staff, the
	// province's officers, administrators; never a person who holds a role). Showing the communes of a
	// province changes nothing; a correction itself is tested in tests/integration/profile-correction.test.ts.
	'staff+/residents.$residentId_.profile.tsx': {
		url: (f) => `/staff/residents/${f.ids.residentRight}/profile`,
		params: (f) => ({ residentId: f.ids.residentRight }),
		loader: PERSONAL_DATA_OF_RESIDENT,
		action: { form: () => ({ intent: 'choose-province', provinceCode: '14' }), expect: PERSONAL_DATA_OF_RESIDENT },
		targets: {
			url: (_, id) => `/staff/residents/${id}/profile`,
			params: (_, id) => ({ residentId: id }),
			loader: { ...ON_RESIDENT, ...ROLE_HOLDERS_REFUSED },
			actions: [
				{ name: 'choose-province', form: () => ({ intent: 'choose-province', provinceCode: '14' }), expect: { ...ON_RESIDENT, ...ROLE_HOLDERS_REFUSED } },
				{
					name: 'correct (incomplete form)',
					form: () => ({ fullName: '' }),
					expect: Object.fromEntries(
						Object.entries({ ...ON_RESIDENT, ...ROLE_HOLDERS_REFUSED }).map(([kind, e]) => [
							kind,
							Object.fromEntries(Object.entries(e).map(([persona, o]) => [persona, o === 'ok' ? 'bad-request' : o])) as Expect,
						]),
					) as Record<TargetKind, Expect>,
				},
			],
		},
	},
	// The commune workspace of 03646: residents, classes (the list, the form, one class).
	'staff+/residents._index.tsx': { url: () => '/staff/residents?commune=03646', loader: PERSONAL_DATA_OF_RESIDENT },
	'staff+/classes._index.tsx': { url: () => '/staff/classes?commune=03646', loader: STAFF_OF_RESIDENT },
	'staff+/classes.new.tsx': {
		url: () => '/staff/classes/new?commune=03646&course=smartphone&cid=00000000-0000-4000-8000-00000000c1a5',
		loader: PERSONAL_DATA_OF_RESIDENT,
		// A class of 03646 with residentRight and no lesson ticked: refused as bad input, nothing recorded.
		action: {
			form: (f) => ({
				clientId: '00000000-0000-4000-8000-00000000c1a5',
				communeCode: '03646',
				courseId: 'smartphone',
				heldOn: '2026-01-05',
				place: 'Nhà văn hoá',
				attendeeId: f.ids.residentRight,
			}),
			expect: { ...all('bad-request'), anonymous: 'login', learner: 'forbidden' },
		},
		// A class of 03646 with one attendee: only a resident of 03646 can attend (staff of 03721 and
		// officers of province 12 are refused as bad input); a class is recorded for each success.
		targets: {
			url: () => `/staff/classes/new?commune=03646&course=vneid&cid=${crypto.randomUUID()}`,
			actions: [
				{
					name: 'record a class',
					form: (_, id) => ({
						clientId: crypto.randomUUID(),
						communeCode: '03646',
						courseId: 'vneid',
						heldOn: '2026-01-05',
						place: 'Nhà văn hoá',
						lessonId: getCourseById('vneid')!.lessons[0]!.id,
						attendeeId: id,
					}),
					expect: {
						// Officers of the province and administrators: the form names the commune's residents (403).
						residentRight: {
							...all('redirect'),
							anonymous: 'login',
							learner: 'forbidden',
							staffOther: 'bad-request',
							officerOther: 'bad-request',
							officerRight: 'forbidden',
							admin: 'forbidden',
						},
						...(Object.fromEntries(
							(['residentOtherCommune', 'residentOtherProvince', 'staffRight', 'staffOther', 'officerRight', 'officerOther', 'admin'] as const).map((k) => [
								k,
								{ ...all('bad-request'), anonymous: 'login', learner: 'forbidden', officerRight: 'forbidden', admin: 'forbidden' } as Expect,
							]),
						) as Record<Exclude<TargetKind, 'residentRight'>, Expect>),
					},
				},
			],
		},
	},
	'staff+/classes.$classId.tsx': {
		url: (f) => `/staff/classes/${f.classId}`,
		params: (f) => ({ classId: f.classId }),
		loader: PERSONAL_DATA_OF_RESIDENT,
		// A correction with a bad date: refused as bad input by the class's commune's staff, nothing changed.
		action: {
			form: (f) => ({ intent: 'correct', heldOn: 'hôm qua', place: 'Nhà văn hoá tổ 1', attendeeId: f.ids.residentRight }),
			expect: okAs(PERSONAL_DATA_OF_RESIDENT, 'bad-request'),
		},
		// The class of 03646 corrected to this one attendee (residentRight, who came, is taken off): only a
		// resident of 03646 can be ticked; a refusal changes nothing.
		targets: {
			url: (f) => `/staff/classes/${f.classId}`,
			params: (f) => ({ classId: f.classId }),
			actions: [
				{
					name: 'add an attendee to a class',
					form: (_, id) => ({ intent: 'correct', heldOn: '2026-01-05', place: 'Nhà văn hoá tổ 1', attendeeId: id }),
					expect: {
						residentRight: okIsRedirect(PERSONAL_DATA_OF_RESIDENT),
						...(Object.fromEntries(
							(['residentOtherCommune', 'residentOtherProvince', 'staffRight', 'staffOther', 'officerRight', 'officerOther', 'admin'] as const).map((k) => [
								k,
								okAs(PERSONAL_DATA_OF_RESIDENT, 'bad-request'),
							]),
						) as Record<Exclude<TargetKind, 'residentRight'>, Expect>),
					},
				},
			],
		},
	},
	'staff+/import._index.tsx': {
		url: () => '/staff/import',
		loader: STAFF,
		// Uploading into 03646 without a file: refused as bad input where the commune is the caller's,
		// not found where it is not (staff of another commune, officers of another province).
		action: {
			form: () => ({ communeCode: '03646' }),
			expect: { ...PERSONAL_DATA_OF_RESIDENT, staffRight: 'bad-request' },
		},
	},
	'staff+/import.$jobId.tsx': {
		url: (f) => `/staff/import/${f.importJobId}`,
		params: (f) => ({ jobId: f.importJobId }),
		loader: PERSONAL_DATA_OF_RESIDENT,
		// Confirming an import of 03646 (it has nobody new), the notice confirmed: back to its page; others do not find it.
		action: { form: () => ({ intent: 'confirm', noticeGiven: 'on' }), expect: { ...PERSONAL_DATA_OF_RESIDENT, staffRight: 'redirect' } },
	},
	// The setup slips of the residents an import of 03646 added (it has nobody new: nothing made); others do not find it.
	'staff+/import.$jobId_.slips.tsx': {
		url: (f) => `/staff/import/${f.importJobId}/slips`,
		params: (f) => ({ jobId: f.importJobId }),
		loader: PERSONAL_DATA_OF_RESIDENT,
		action: { form: () => ({ intent: 'make-slips' }), expect: PERSONAL_DATA_OF_RESIDENT },
	},
	// Residents of 03646 with their names and phones: only the commune's own staff. Officers of the province and
	// administrators see the commune (so 403, not 404) but get aggregates, unless an administrator allowed the
	// officer (tests/integration/personal-data-export.test.ts).
	'staff+/export.tsx': {
		url: () => '/staff/export?format=csv&commune=03646',
		loader: PERSONAL_DATA_OF_RESIDENT,
	},
}
