import { periodsOf } from '#app/kernel/calendar.ts'
import { isLessonUnlocked, unlockedLessons } from '#app/kernel/progression.ts'
import { DomainError } from '#app/kernel/errors.ts'
import { NOTICE_VERSION } from '#app/kernel/privacy.ts'
import { Prisma } from '#app/generated/prisma/client.ts'
import { prisma, sql as db, sqlTransaction } from '#app/utils/db.server.ts'
import { isUniqueViolation } from '#app/utils/db-errors.ts'
import { finishWith, newId, parseJson, type Sql } from '#app/utils/sql.server.ts'
import { sessionIsSteady } from '#app/utils/session.server.ts'
import { getCourseById, getLessonById } from '../course/course.server.ts'
import { gradeQuiz, type QuizResult } from '../course/quiz.server.ts'
import { certificateStatement } from '../certificate/certificate.server.ts'
import { activeInsert, basicSkillsEventId, type LearnerCell, Rollups } from '#app/modules/counting/rollup.server.ts'

/**
 * Learning writes. Every write:
 * - runs in one transaction (on PostgreSQL straight on the pg driver, ADR 009) that first locks the learner's row, so concurrent writes of one
 *   learner (double taps, two tabs, an offline replay racing a live submit) happen one after the
 *   other and each sees the previous one's result;
 * - carries a client-generated id (ClientEvent): a replay returns the first answer and changes nothing;
 * - records the time the event happened (offline events keep their own time), counted in the
 *   rollups in the same transaction.
 */
export class ProgressError extends DomainError {
	constructor(
		readonly reason: 'notEnrolled' | 'locked' | 'quizRequired' | 'unknownLesson' | 'badAnswers' | 'clientIdTaken' | 'unknownCourse' | 'sessionNotUsable',
		status = 400,
	) {
		super(`learning:errors.${reason}`, { status })
	}
}

type LearnerRow = LearnerCell & { id: string; fullName: string }

/**
 * The statement that locks the learner's row (writes of one learner run one after the other) and
 * reads their cell, sent with BEGIN (`sqlTransaction`'s `first`, one round trip); `counted` is
 * false for a person who holds a role (only residents are counted; granting and removing a role
 * take the same lock, so the two never interleave). A person erased meanwhile (ADR 020) is nobody
 * to write for: a request already past sign-in when the erasure committed records nothing.
 */
function lockStatement(userId: string) {
	return Prisma.sql`
		SELECT id, "fullName", "communeCode", "provinceCode", sex::text AS sex, "birthYear", "ethnicGroup", "learnerGroup"::text AS "learnerGroup",
			NOT EXISTS (SELECT 1 FROM "RoleAssignment" r WHERE r."userId" = "User".id) AS counted
		FROM "User" WHERE id = ${userId} AND "erasedAt" IS NULL FOR UPDATE`
}

function lockedLearner([user]: LearnerRow[]): LearnerRow {
	if (!user) throw new ProgressError('notEnrolled', 404)
	return user
}

/**
 * `lockStatement` reached through a session (by its token's hash): the learner's row locked and read
 * with the session's expiry, and whether they agreed to the current learners' notice, in the
 * statement sent with BEGIN — a write from a signed-in page needs no session read of its own
 * (ADR 035). Values only (no literals in the text), so it rides on BEGIN (`beginWith`).
 */
function lockBySessionStatement(sessionId: string) {
	return Prisma.sql`
		SELECT u.id, u."fullName", u."communeCode", u."provinceCode", u.sex::text AS sex, u."birthYear", u."ethnicGroup", u."learnerGroup"::text AS "learnerGroup",
			NOT EXISTS (SELECT 1 FROM "RoleAssignment" r WHERE r."userId" = u.id) AS counted,
			s."expiresAt",
			EXISTS (SELECT 1 FROM "Consent" n WHERE n."userId" = u.id AND n.purpose = ${'LEARNING'}::"ConsentPurpose" AND n."withdrawnAt" IS NULL AND n."noticeVersion" = ${NOTICE_VERSION}) AS "noticeAccepted"
		FROM "Session" s JOIN "User" u ON u.id = s."userId"
		WHERE s.id = ${sessionId} AND u."erasedAt" IS NULL FOR UPDATE OF u`
}

/**
 * The learner a session names, locked, when it may write without Remix: a session that exists and is
 * steady (not due to slide or expired: Remix's `keepAlive` writes those), of a resident (no role)
 * who agreed to the current notice. Otherwise `sessionNotUsable`: nothing is written, and the caller
 * leaves the request to Remix.
 */
function learnerOfSession(rows: (LearnerRow & { expiresAt: Date; noticeAccepted: boolean })[]): LearnerRow {
	const [row] = rows
	if (!row || !row.counted || !row.noticeAccepted || !sessionIsSteady(row.expiresAt, false)) throw new ProgressError('sessionNotUsable', 401)
	const { expiresAt: _expiresAt, noticeAccepted: _noticeAccepted, ...learner } = row
	return learner
}

/** Event time as the server accepts it: never in the future, never before the platform existed. */
export function clampEventTime(at: Date | undefined, now = new Date()): Date {
	if (!at || Number.isNaN(at.getTime()) || at > now) return now
	const floor = new Date('2025-01-01T00:00:00Z')
	return at < floor ? floor : at
}

/** Answers given again to a replayed write (each a fresh object read from ClientEvent). */
const replays = new WeakSet<object>()

/** True when a write's answer is the stored one of an earlier send (offline sync counts these, ADR 024). */
export function wasReplayed(result: object): boolean {
	return replays.has(result)
}

function markReplay<T>(result: T): T {
	if (result && typeof result === 'object') replays.add(result)
	return result
}

async function replayed<T>(sql: Sql, clientEventId: string, userId: string): Promise<T | undefined> {
	const [event] = await sql.query<{ userId: string; result: unknown }>(Prisma.sql`SELECT "userId", result FROM "ClientEvent" WHERE id = ${clientEventId}`)
	if (!event) return undefined
	if (event.userId !== userId) throw new ProgressError('clientIdTaken', 409)
	return markReplay(parseJson<T>(event.result))
}

/**
 * Everything a write needs to decide, read in one statement under the learner's lock (so nothing
 * of theirs changes until COMMIT): the client event if this is a replay, the enrolment, the
 * learner's progress rows in the course, how many attempts of the lesson they made, and in which
 * of the periods of the write's time they are marked active already.
 */
interface LearnerState {
	event: { userId: string; result: unknown } | null
	enrolment: {
		id: string
		createdAt: Date
		completedAt: Date | null
		communeCode: string | null
		provinceCode: string | null
		certificate: { code: string; revoked: boolean } | null
	} | null
	lessons: { id: string; lessonId: string; completed: boolean; completedAt: Date | null }[]
	attempts: number
	/** The write's time and the periods of it the learner is not yet marked active in (`markActiveOnce` empties it). */
	active: { at: Date; missing: string[] }
	/**
	 * "Basic digital skills" (`settleBasicSkills`), read only for a write that may complete a course:
	 * the core courses now, when the learner completed each (null: not yet), and whether and where
	 * they are counted already.
	 */
	core: CoreState | null
}

interface CoreState {
	completed: Map<string, Date | null>
	counted: { at: Date; communeCode: string | null; provinceCode: string | null } | null
}

interface StateRow {
	event: LearnerState['event'] | string | null
	enrolmentId: string | null
	createdAt: Date | null
	completedAt: Date | null
	certificate: { code: string; revoked: boolean } | string | null
	communeCode: string | null
	provinceCode: string | null
	lessons: LearnerState['lessons'] | string
	attempts: number
	activeAlready: string[] | string | null
	core?: CoreRow | string | null
}

interface CoreRow {
	courses: { id: string; completedAt: string | null }[] | null
	counted: { at: string; in: { communeCode?: string | null; provinceCode?: string | null } | null } | null
}

/** A timestamp read through json_build_object: ISO text without a zone, holding UTC. */
function jsonTime(value: string | null): Date | null {
	return value ? new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`) : null
}

/** The learner of a write in SQL: their id, or the learner the session with this token hash names. */
function learnerRef({ userId, sessionId }: { userId?: string; sessionId?: string }): Prisma.Sql {
	return sessionId ? Prisma.sql`(SELECT s."userId" FROM "Session" s WHERE s.id = ${sessionId})` : Prisma.sql`${userId!}::text`
}

/**
 * The statement reading the learner's state (`stateOf`), sent with BEGIN right after the lock
 * statement (`sqlTransaction`'s `read`): it runs once the lock is held, in the same round trip
 * (ADR 037). Values only, so it is prepared like the lock.
 */
function stateStatement({
	learner,
	clientEventId,
	courseId,
	lessonId,
	at,
	core = false,
}: {
	learner: Prisma.Sql
	clientEventId: string | null
	courseId: string
	lessonId: string
	at: Date
	/** Also read the basic-skills facts (`LearnerState.core`): for a write that may complete a course. */
	core?: boolean
}): Prisma.Sql {
	// In the same read, so that completing a course needs no round trip of its own (ADR 042): the
	// core courses and the learner's completion of each, and the basic-skills event if counted.
	const coreSelect = core
		? Prisma.sql`,
			json_build_object(
				'courses', (SELECT json_agg(json_build_object('id', c.id, 'completedAt', ec."completedAt"))
				            FROM "Course" c LEFT JOIN "Enrolment" ec ON ec."courseId" = c.id AND ec."userId" = me.id
				            WHERE c.core AND c."retiredAt" IS NULL),
				'counted', (SELECT json_build_object('at', bs."occurredAt", 'in', bs.result) FROM "ClientEvent" bs WHERE bs.id = ${basicSkillsEventId('')}::text || me.id)
			) AS core`
		: Prisma.empty
	return Prisma.sql`
		SELECT
			(SELECT json_build_object('userId', ce."userId", 'result', ce.result) FROM "ClientEvent" ce WHERE ce.id = ${clientEventId ?? ''}) AS event,
			e.id AS "enrolmentId", e."createdAt", e."completedAt", e."communeCode", e."provinceCode",
			(SELECT json_build_object('code', c.code, 'revoked', c."revokedAt" IS NOT NULL) FROM "Certificate" c WHERE c."enrolmentId" = e.id) AS certificate,
			COALESCE((SELECT json_agg(json_build_object('id', lp.id, 'lessonId', lp."lessonId", 'completed', lp."completedAt" IS NOT NULL, 'completedAt', lp."completedAt"))
			          FROM "LessonProgress" lp WHERE lp."enrolmentId" = e.id), '[]'::json) AS lessons,
			(SELECT count(*)::int FROM "QuizAttempt" qa WHERE qa."userId" = me.id AND qa."lessonId" = ${lessonId}) AS attempts,
			(SELECT json_agg(ap.period) FROM "ActivePeriod" ap WHERE ap."userId" = me.id AND ap.period IN (${Prisma.join(periodsOf(at))})) AS "activeAlready"${coreSelect}
		FROM (SELECT ${learner} AS id) AS me
		LEFT JOIN "Enrolment" e ON e."userId" = me.id AND e."courseId" = ${courseId}`
}

function stateOf([row]: StateRow[], at: Date): LearnerState {
	if (!row) throw new Error('the state statement returns one row')
	const event = parseJson<LearnerState['event']>(row.event)
	const already = parseJson<string[] | null>(row.activeAlready) ?? []
	return {
		event: event ? { ...event, result: parseJson(event.result) } : null,
		enrolment: row.enrolmentId
			? {
					id: row.enrolmentId,
					createdAt: row.createdAt!,
					completedAt: row.completedAt,
					communeCode: row.communeCode,
					provinceCode: row.provinceCode,
					certificate: parseJson(row.certificate),
				}
			: null,
		lessons: parseJson<(Omit<LearnerState['lessons'][number], 'completedAt'> & { completedAt: string | null })[]>(row.lessons).map((l) => ({
			...l,
			completedAt: jsonTime(l.completedAt),
		})),
		attempts: Number(row.attempts),
		active: { at, missing: periodsOf(at).filter((p) => !already.includes(p)) },
		core: coreOf(parseJson<CoreRow | null>(row.core ?? null)),
	}
}

function coreOf(row: CoreRow | null): CoreState | null {
	if (!row) return null
	const counted = row.counted
	return {
		completed: new Map((row.courses ?? []).map((c) => [c.id, jsonTime(c.completedAt)])),
		counted: counted ? { at: jsonTime(counted.at)!, communeCode: counted.in?.communeCode ?? null, provinceCode: counted.in?.provinceCode ?? null } : null,
	}
}

/**
 * Marks the learner active at the write's time, once per transaction, without a round trip of its
 * own: the ActivePeriod rows they lack (read under their lock with the state) are inserted with the
 * write's last statement, and the `active` bumps go with the other rollups. Every writer of a
 * learner's ActivePeriod rows holds the learner's lock, so what the state read is what COMMIT finds.
 */
function markActiveOnce(rollups: Rollups, writes: Prisma.Sql[], { learner, state }: { learner: LearnerRow; state: LearnerState }) {
	const { at, missing } = state.active
	if (!missing.length) return
	state.active = { at, missing: [] }
	const insert = activeInsert({ userId: learner.id, learner, at, periods: missing })
	if (!insert) return
	writes.push(insert)
	rollups.addActive({ learner, at, periods: missing })
}

/** The stored answer of a replayed write (same client id), or undefined for a new one. */
function replayOf<T>(state: LearnerState, userId: string): T | undefined {
	if (!state.event) return undefined
	if (state.event.userId !== userId) throw new ProgressError('clientIdTaken', 409)
	return markReplay(state.event.result as T)
}

/** The client event that makes a replay return its first answer (written with the write's other statements). */
function remember({
	clientEventId,
	userId,
	kind,
	occurredAt,
	result,
}: {
	clientEventId: string
	userId: string
	kind: string
	occurredAt: Date
	result: unknown
}) {
	return Prisma.sql`
		INSERT INTO "ClientEvent" (id, "userId", kind, "occurredAt", "receivedAt", result)
		VALUES (${clientEventId}, ${userId}, ${kind}, ${occurredAt}::timestamp, ${new Date()}::timestamp, ${result === undefined ? null : JSON.stringify(result)}::jsonb)`
}

function enrolmentCell(learner: LearnerRow, enrolment: { communeCode: string | null; provinceCode: string | null }): LearnerCell {
	return { ...learner, communeCode: enrolment.communeCode, provinceCode: enrolment.provinceCode }
}

export interface EnrolResult {
	enrolmentId: string
	created: boolean
}

/** Enrols a learner (idempotent: enrolling twice returns the first enrolment). */
export async function enrolResident({
	userId,
	courseId,
	enrolledById,
	at: requested,
}: {
	userId: string
	courseId: string
	enrolledById?: string | null
	at?: Date
}): Promise<EnrolResult> {
	// Never in the future: a class held today is recorded at noon, which may not have come yet.
	const at = clampEventTime(requested)
	const course = getCourseById(courseId)
	if (!course) throw new ProgressError('unknownCourse', 404)
	return sqlTransaction<EnrolResult, LearnerRow, { id: string; createdAt: Date; communeCode: string | null; provinceCode: string | null }>(
		async (sql, locked, [existing]) => {
			const learner = lockedLearner(locked)
			if (existing) {
				// Enrolled earlier than recorded (a class recorded after the resident enrolled online): the
				// enrolment is dated by its first event, and its count moves with it.
				if (at < existing.createdAt) {
					const rollups = new Rollups()
					await enrolEarlier(sql, rollups, learner, { ...existing, courseId }, at)
					await finishWith(sql, rollups.statements())
				}
				return { enrolmentId: existing.id, created: false }
			}
			const enrolmentId = newId()
			const rollups = new Rollups().add({ learner, at, metric: 'enrolments', courseId })
			await rollups.markActive(sql, { userId, learner, at })
			// The last statement, with COMMIT (ADR 035).
			await finishWith(sql, [
				Prisma.sql`
				INSERT INTO "Enrolment" (id, "userId", "courseId", "communeCode", "provinceCode", "enrolledById", "createdAt")
				VALUES (${enrolmentId}, ${userId}, ${courseId}, ${learner.communeCode}, ${learner.provinceCode}, ${enrolledById ?? null}, ${at}::timestamp)`,
				...rollups.statements(),
			])
			return { enrolmentId, created: true }
		},
		{
			first: lockStatement(userId),
			// Read under the lock, in the same round trip as BEGIN and the lock (ADR 037).
			read: Prisma.sql`SELECT id, "createdAt", "communeCode", "provinceCode" FROM "Enrolment" WHERE "userId" = ${userId} AND "courseId" = ${courseId}`,
		},
	)
}

/**
 * Dates an enrolment by an earlier event (`at` before its `createdAt`): moves its count from the
 * period of the old date to the period of `at` and marks the learner active then.
 */
async function enrolEarlier(
	sql: Sql,
	rollups: Rollups,
	learner: LearnerRow,
	enrolment: { id: string; courseId: string; createdAt: Date; communeCode: string | null; provinceCode: string | null },
	at: Date,
	{ markActive = true }: { markActive?: boolean } = {},
) {
	const cell = enrolmentCell(learner, enrolment)
	rollups.add({ learner: cell, at: enrolment.createdAt, metric: 'enrolments', courseId: enrolment.courseId, by: -1 })
	rollups.add({ learner: cell, at, metric: 'enrolments', courseId: enrolment.courseId })
	if (markActive) await rollups.markActive(sql, { userId: learner.id, learner, at })
	await sql.execute(Prisma.sql`UPDATE "Enrolment" SET "createdAt" = ${at}::timestamp WHERE id = ${enrolment.id}`)
}

/** Records that the learner opened a lesson (first opening only). */
export async function recordLessonOpened({
	userId,
	lessonId,
	at = new Date(),
	unopened = false,
}: {
	userId: string
	lessonId: string
	at?: Date
	/** The caller has just read that it is not opened (the learner page): no read before the lock. */
	unopened?: boolean
}) {
	const found = getLessonById(lessonId)
	if (!found) throw new ProgressError('unknownLesson', 404)
	// Reopening a lesson is the common case on the hot path: no transaction, no lock. The transaction
	// checks again under the lock either way.
	if (!unopened && (await db.query(Prisma.sql`SELECT 1 FROM "LessonProgress" WHERE "userId" = ${userId} AND "lessonId" = ${lessonId}`)).length) return
	// The lock, then the state read under it, with BEGIN; the writes with COMMIT: two round trips (ADR 037).
	await sqlTransaction<void, LearnerRow, StateRow>(
		async (sql, locked, read) => {
			const learner = lockedLearner(locked)
			const state = stateOf(read, at)
			if (!state.enrolment || state.lessons.some((l) => l.lessonId === lessonId)) return
			const rollups = new Rollups()
			const writes = [
				Prisma.sql`
				INSERT INTO "LessonProgress" (id, "userId", "lessonId", "enrolmentId", "openedAt", source, "updatedAt")
				VALUES (${newId()}, ${userId}, ${lessonId}, ${state.enrolment.id}, ${at}::timestamp, 'SELF', ${new Date()}::timestamp)`,
			]
			markActiveOnce(rollups, writes, { learner, state })
			await finishWith(sql, [...writes, ...rollups.statements()])
		},
		{ first: lockStatement(userId), read: stateStatement({ learner: learnerRef({ userId }), clientEventId: null, courseId: found.course.id, lessonId, at }) },
	)
}

export interface CompletionResult {
	lessonCompleted: boolean
	courseCompleted: boolean
	certificateCode: string | null
}

/**
 * Completes a lesson. SELF/OFFLINE completions of a lesson with a quiz need a passed attempt
 * (that path goes through recordQuizAttempt); CLASS completions are recorded by staff for an
 * in-person lesson. Completing the last requirement completes the course in the same transaction.
 */
export async function recordLessonCompletion({
	userId,
	lessonId,
	clientEventId,
	occurredAt,
	source = 'SELF',
	recordedById = null,
}: {
	userId: string
	lessonId: string
	clientEventId: string
	occurredAt?: Date
	source?: 'SELF' | 'CLASS' | 'OFFLINE'
	recordedById?: string | null
}): Promise<CompletionResult> {
	const at = clampEventTime(occurredAt)
	const found = getLessonById(lessonId)
	return sqlTransaction<CompletionResult, LearnerRow, StateRow>(
		async (sql, locked, read) => {
			const learner = lockedLearner(locked)
			if (!found) {
				// A replay of a lesson that has since left the content still gets its first answer.
				const previous = await replayed<CompletionResult>(sql, clientEventId, userId)
				if (previous) return previous
				throw new ProgressError('unknownLesson', 404)
			}
			const state = stateOf(read, at)
			const previous = replayOf<CompletionResult>(state, userId)
			if (previous) return previous
			if (source !== 'CLASS' && found.lesson.quiz.vi?.length) throw new ProgressError('quizRequired')
			const rollups = new Rollups()
			const writes: Prisma.Sql[] = []
			const result = await completeLesson(sql, rollups, writes, { learner, state, courseId: found.course.id, lessonId, at, source, recordedById })
			// One statement; rollups last: the commune's shared rows stay locked only until COMMIT (ADR 008).
			await finishWith(sql, [...writes, remember({ clientEventId, userId, kind: 'lesson.complete', occurredAt: at, result }), ...rollups.statements()])
			return result
		},
		{
			first: lockStatement(userId),
			read: found ? stateStatement({ learner: learnerRef({ userId }), clientEventId, courseId: found.course.id, lessonId, at, core: true }) : undefined,
		},
	)
}

export interface AttemptResult extends CompletionResult {
	quiz: QuizResult
	attemptNumber: number
}

/**
 * What `recordQuizAttempt` answers: the stored result (a replay gets exactly that again) and, for
 * a new attempt, the learner's progress in the course after it, so the page that shows the result
 * needs no second read.
 */
export type RecordedAttempt = AttemptResult & { progress?: CourseProgress }

/** Grades and stores a quiz attempt; a passing attempt completes the lesson. */
export async function recordQuizAttempt({
	userId: givenUserId,
	sessionId,
	lessonId,
	clientEventId,
	answers,
	occurredAt,
	source = 'SELF',
}: {
	/** The learner; or, instead, `sessionId`: the hash of the session of a signed-in page (see `learnerOfSession`). */
	userId?: string
	sessionId?: string
	lessonId: string
	clientEventId: string
	answers: Record<string, string>
	occurredAt?: Date
	/** OFFLINE: taken on the phone without a connection and sent later (the completion says so). */
	source?: 'SELF' | 'OFFLINE'
}): Promise<RecordedAttempt> {
	const at = clampEventTime(occurredAt)
	const found = getLessonById(lessonId)
	if (!found || !found.lesson.quiz.vi?.length) throw new ProgressError('unknownLesson', 404)
	// Graded against the canonical (Vietnamese) quiz: ids and answers are the same in every language.
	let quiz: QuizResult
	try {
		quiz = gradeQuiz({ quiz: found.lesson.quiz.vi, answers, passMark: found.course.passMark })
	} catch {
		throw new ProgressError('badAnswers')
	}
	const courseId = found.course.id
	if (!givenUserId === !sessionId) throw new Error('recordQuizAttempt takes a user id or a session id')
	// BEGIN, the learner's lock and the state read under it in one round trip; the writes and COMMIT
	// in the second (ADR 037).
	return sqlTransaction<RecordedAttempt, LearnerRow & { expiresAt: Date; noticeAccepted: boolean }, StateRow>(
		async (sql, locked, read) => {
			const learner = sessionId ? learnerOfSession(locked) : lockedLearner(locked)
			const userId = learner.id
			const state = stateOf(read, at)
			const previous = replayOf<AttemptResult>(state, userId)
			if (previous) return previous
			if (!state.enrolment) throw new ProgressError('notEnrolled', 403)
			requireUnlocked(state, { courseId, lessonId })
			// The learner's lock orders their attempts: this one is the next.
			const attemptNumber = state.attempts + 1
			const rollups = new Rollups()
			const writes: Prisma.Sql[] = [
				Prisma.sql`
				INSERT INTO "QuizAttempt" (id, "clientId", "userId", "lessonId", answers, correct, total, passed, "occurredAt", "createdAt")
				VALUES (${newId()}, ${clientEventId}, ${userId}, ${lessonId}, ${JSON.stringify(answers)}::jsonb, ${quiz.correct}, ${quiz.total}, ${quiz.passed}, ${at}::timestamp, ${new Date()}::timestamp)`,
			]
			markActiveOnce(rollups, writes, { learner, state })
			const completion = quiz.passed
				? await completeLesson(sql, rollups, writes, { learner, state, courseId, lessonId, at, source, recordedById: null })
				: { lessonCompleted: false, courseCompleted: false, certificateCode: null }
			const result: AttemptResult = { ...completion, quiz, attemptNumber }
			try {
				// One statement for the attempt, the lesson, the client event and the rollups (last, ADR 008).
				// …and COMMIT in the same round trip (finishWith, ADR 035).
				await finishWith(sql, [...writes, remember({ clientEventId, userId, kind: 'quiz.attempt', occurredAt: at, result }), ...rollups.statements()])
			} catch (error) {
				// The client id is the attempt's and the event's: taken by another learner's write.
				if (isUniqueViolation(error)) throw new ProgressError('clientIdTaken', 409)
				throw error
			}
			const enrolment = state.enrolment
			const completed = state.lessons.filter((l) => l.completed || (l.lessonId === lessonId && completion.lessonCompleted)).map((l) => l.lessonId)
			const opened = state.lessons.map((l) => l.lessonId)
			if (completion.lessonCompleted && !opened.includes(lessonId)) completed.push(lessonId), opened.push(lessonId)
			const progress = courseProgressOf(courseId, {
				createdAt: enrolment.createdAt,
				completedAt: enrolment.completedAt,
				certificateCode: completion.certificateCode ?? liveCertificate(enrolment.certificate?.code, enrolment.certificate?.revoked),
				completed,
				opened,
			})
			return { ...result, progress }
		},
		{
			first: sessionId ? lockBySessionStatement(sessionId) : lockStatement(givenUserId!),
			// A passed attempt may complete the course: its read brings the basic-skills facts too.
			read: stateStatement({ learner: learnerRef({ userId: givenUserId, sessionId }), clientEventId, courseId, lessonId, at, core: quiz.passed }),
		},
	)
}

/**
 * The stored answer of this learner's attempt of this lesson with this client id (null: none), as
 * a replay would get it: what the page a full-page quiz post redirects to shows (ADR 033). One
 * indexed statement; another learner's client id, or one of another lesson, finds nothing.
 */
export async function storedQuizAttempt({ userId, lessonId, clientEventId }: { userId: string; lessonId: string; clientEventId: string }) {
	const [row] = await db.query<{ result: unknown }>(Prisma.sql`
		SELECT ce.result FROM "QuizAttempt" qa JOIN "ClientEvent" ce ON ce.id = qa."clientId"
		WHERE qa."clientId" = ${clientEventId} AND qa."userId" = ${userId} AND qa."lessonId" = ${lessonId} AND ce."userId" = ${userId}`)
	return row ? parseJson<AttemptResult>(row.result) : null
}

/** The lessons of a course in order, as content defines them now. */
function courseLessonIds(courseId: string) {
	return getCourseById(courseId)?.lessons.map((l) => l.id) ?? []
}

function requireUnlocked(state: LearnerState, { courseId, lessonId }: { courseId: string; lessonId: string }) {
	const completed = state.lessons.filter((l) => l.completed).map((l) => l.lessonId)
	const sequential = Boolean(getCourseById(courseId)?.sequential)
	if (!isLessonUnlocked({ lessonIds: courseLessonIds(courseId), lessonId, completed, sequential })) throw new ProgressError('locked', 403)
}

/**
 * Completes the lesson from the state read under the learner's lock; marks the learner active;
 * completing the course's last lesson completes the enrolment, issues the certificate and counts
 * both (in `rollups`, written by the caller at the end of the transaction).
 */
async function completeLesson(
	sql: Sql,
	rollups: Rollups,
	/** Statements without results, sent by the caller with its own (finishWith). */
	writes: Prisma.Sql[],
	{
		learner,
		state,
		courseId,
		lessonId,
		at,
		source,
		recordedById,
	}: {
		learner: LearnerRow
		state: LearnerState
		courseId: string
		lessonId: string
		at: Date
		source: 'SELF' | 'CLASS' | 'OFFLINE'
		recordedById: string | null
	},
): Promise<CompletionResult> {
	const userId = learner.id
	const enrolment = state.enrolment
	if (!enrolment) throw new ProgressError('notEnrolled', 403)
	if (source !== 'CLASS') requireUnlocked(state, { courseId, lessonId })
	// Once per transaction (recordQuizAttempt marked it already).
	markActiveOnce(rollups, writes, { learner, state })
	const nothing = { lessonCompleted: false, courseCompleted: false, certificateCode: null }
	const existing = state.lessons.find((l) => l.lessonId === lessonId)
	// A lesson is completed when it was first completed, whatever order the events arrive in: a
	// completion sent later with an earlier time (offline, a class record) dates it earlier.
	if (existing?.completedAt && existing.completedAt <= at) return nothing
	const earlier = Boolean(existing?.completedAt)
	writes.push(
		existing
			? Prisma.sql`
				UPDATE "LessonProgress" SET "completedAt" = ${at}::timestamp, source = ${source}::"ProgressSource", "recordedById" = ${recordedById}, "updatedAt" = ${new Date()}::timestamp
				WHERE id = ${existing.id}`
			: Prisma.sql`
				INSERT INTO "LessonProgress" (id, "userId", "lessonId", "enrolmentId", "openedAt", "completedAt", source, "recordedById", "updatedAt")
				VALUES (${newId()}, ${userId}, ${lessonId}, ${enrolment.id}, ${at}::timestamp, ${at}::timestamp, ${source}::"ProgressSource", ${recordedById}, ${new Date()}::timestamp)`,
	)
	// An enrolment is never dated after its own learning.
	if (at < enrolment.createdAt) {
		// Marked active at `at` above: enrolEarlier must not mark (and count) it again.
		await enrolEarlier(sql, rollups, learner, { ...enrolment, courseId }, at, { markActive: false })
		enrolment.createdAt = at
	}
	const lessonCompleted = !earlier
	// When each lesson of the course was (first) completed, this one included.
	const times = new Map(state.lessons.filter((l) => l.completedAt).map((l) => [l.lessonId, l.completedAt!]))
	times.set(lessonId, at)
	const cell = enrolmentCell(learner, enrolment)
	if (enrolment.completedAt) {
		// Completed already (once granted, a completion stays, whatever later content edits add): an
		// earlier completion of one of its lessons can only move the course's date earlier.
		const latest = latestOf(courseLessonIds(courseId).map((id) => times.get(id)))
		if (!earlier || !latest || latest >= enrolment.completedAt) return { ...nothing, lessonCompleted }
		writes.push(Prisma.sql`UPDATE "Enrolment" SET "completedAt" = ${latest}::timestamp WHERE id = ${enrolment.id}`)
		rollups
			.add({ learner: cell, at: enrolment.completedAt, metric: 'completions', courseId, by: -1 })
			.add({ learner: cell, at: latest, metric: 'completions', courseId })
		enrolment.completedAt = latest
		settleBasicSkills(rollups, writes, learner, coreAfter(state, courseId, latest))
		return { ...nothing, lessonCompleted }
	}
	// The course is complete when every lesson it has now is complete, on the day the last of them
	// was completed (not the day the last of them arrived).
	const lessonTimes = courseLessonIds(courseId).map((id) => times.get(id))
	if (lessonTimes.some((t) => !t)) return { ...nothing, lessonCompleted }
	const completedAt = latestOf(lessonTimes)!
	// Not completed, as read under the learner's lock: only a write holding that lock completes an
	// enrolment (the figures rebuild only moves the date of a completed one), so this write is the one
	// that does. The completion and its certificate go with the write's last statement (ADR 042).
	writes.push(Prisma.sql`UPDATE "Enrolment" SET "completedAt" = ${completedAt}::timestamp WHERE id = ${enrolment.id}`)
	// The state is what the caller shows (the progress after a quiz): the enrolment as stored now.
	enrolment.completedAt = completedAt
	let certificateCode = enrolment.certificate?.code
	if (!certificateCode) {
		const certificate = certificateStatement({
			enrolmentId: enrolment.id,
			userId,
			courseId,
			communeCode: enrolment.communeCode,
			provinceCode: enrolment.provinceCode,
			at: completedAt,
			recipientName: learner.fullName,
		})
		writes.push(certificate.statement)
		certificateCode = certificate.code
	}
	rollups.add({ learner: cell, at: completedAt, metric: 'completions', courseId }).add({ learner: cell, at: completedAt, metric: 'certificates', courseId })
	settleBasicSkills(rollups, writes, learner, coreAfter(state, courseId, completedAt))
	return { lessonCompleted, courseCompleted: true, certificateCode }
}

/** The latest of these times (null when there is none). */
function latestOf(times: (Date | null | undefined)[]): Date | null {
	return times.reduce<Date | null>((latest, t) => (t && (!latest || t > latest) ? t : latest), null)
}

/**
 * The basic-skills facts read with the state, with this course completed at `completedAt`: every
 * core course complete, and the latest of their completions (the day basic skills are reached).
 */
function coreAfter(state: LearnerState, courseId: string, completedAt: Date) {
	// Read with the state by every write that may complete a course (`stateStatement`'s `core`).
	if (!state.core) throw new Error('the state was read without the basic-skills facts')
	const times = [...state.core.completed].map(([id, at]) => (id === courseId ? completedAt : at))
	return { all: times.length > 0 && times.every(Boolean), reached: latestOf(times), counted: state.core.counted }
}

/**
 * "Basic digital skills": every core course complete, counted once per resident, on the day the
 * last of them was completed (the latest completion date, not the last completion processed). Run
 * after any change of a completion date in this transaction: the first time the set is complete it
 * is counted; when a later-arriving earlier event moves that day, the count moves with it.
 */
function settleBasicSkills(rollups: Rollups, writes: Prisma.Sql[], learner: LearnerRow, { all, reached, counted }: ReturnType<typeof coreAfter>) {
	const eventId = basicSkillsEventId(learner.id)
	if (counted) {
		// Counted already: only an earlier day moves it (a core course added since changes nothing).
		if (!reached || !all || reached >= counted.at) return
		writes.push(Prisma.sql`UPDATE "ClientEvent" SET "occurredAt" = ${reached}::timestamp WHERE id = ${eventId}`)
		// It stays in the commune it was counted in, even if the person has moved since (docs/indicators.md).
		const place = counted.communeCode ? { ...learner, communeCode: counted.communeCode, provinceCode: counted.provinceCode ?? learner.provinceCode } : learner
		rollups.add({ learner: place, at: counted.at, metric: 'basicSkills', by: -1 }).add({ learner: place, at: reached, metric: 'basicSkills' })
		return
	}
	if (!all || !reached) return
	// Only once (the learner row lock orders their writes). The commune it was counted in is kept with
	// it: after a move, a recount finds it there (docs/indicators.md).
	writes.push(
		remember({
			clientEventId: eventId,
			userId: learner.id,
			kind: 'basic-skills',
			occurredAt: reached,
			result: { communeCode: learner.communeCode, provinceCode: learner.provinceCode },
		}),
	)
	rollups.add({ learner, at: reached, metric: 'basicSkills' })
}

export interface CourseProgress {
	enrolled: boolean
	enrolledAt: string | null
	completedAt: string | null
	completed: string[]
	opened: string[]
	/** Lessons the learner may open now. */
	unlocked: string[]
	certificateCode: string | null
}

export async function getCourseProgress(userId: string, courseId: string): Promise<CourseProgress> {
	// One statement (read on every lesson page of a signed-in learner).
	const [row] = await db.query<{
		createdAt: Date
		completedAt: Date | null
		code: string | null
		revokedAt: Date | null
		lessons: { lessonId: string; completed: boolean }[] | string
	}>(Prisma.sql`
		SELECT e."createdAt", e."completedAt", c.code, c."revokedAt",
			COALESCE((SELECT json_agg(json_build_object('lessonId', lp."lessonId", 'completed', lp."completedAt" IS NOT NULL))
			          FROM "LessonProgress" lp WHERE lp."enrolmentId" = e.id), '[]'::json) AS lessons
		FROM "Enrolment" e LEFT JOIN "Certificate" c ON c."enrolmentId" = e.id
		WHERE e."userId" = ${userId} AND e."courseId" = ${courseId}`)
	if (!row) return courseProgressOf(courseId, null)
	const lessons = parseJson<{ lessonId: string; completed: boolean }[]>(row.lessons)
	return courseProgressOf(courseId, {
		createdAt: row.createdAt,
		completedAt: row.completedAt,
		certificateCode: liveCertificate(row.code, row.revokedAt),
		completed: lessons.filter((l) => l.completed).map((l) => l.lessonId),
		opened: lessons.map((l) => l.lessonId),
	})
}

/** The columns of a session and its user that a learner's page reads first (Session s JOIN User u). */
type SessionUserRow = {
	expiresAt: Date
	id: string
	fullName: string
	phone: string | null
	communeCode: string | null
	provinceCode: string | null
	credentialKind: string
	privileged: boolean
	noticeAccepted: boolean
}
const SESSION_USER_COLUMNS = Prisma.sql`s."expiresAt", u.id, u."fullName", u.phone, u."communeCode", u."provinceCode", u."credentialKind"::text AS "credentialKind",
	EXISTS (SELECT 1 FROM "RoleAssignment" r WHERE r."userId" = u.id) AS privileged,
	EXISTS (SELECT 1 FROM "Consent" n WHERE n."userId" = u.id AND n.purpose = 'LEARNING' AND n."withdrawnAt" IS NULL AND n."noticeVersion" = ${NOTICE_VERSION}) AS "noticeAccepted"`

/** A session, its user and the user's progress in one course, as `sessionCourseProgress` reads them. */
export interface SessionCourseProgress {
	session: { id: string; expiresAt: Date }
	/** The user as `getUser` returns them (without the scope), with `privileged` set when they hold any role. */
	user: { id: string; fullName: string; phone: string | null; communeCode: string | null; provinceCode: string | null; credentialKind: string }
	privileged: boolean
	/** Whether they agreed to the learners' notice at its current version (ADR 028); if not, `requireNoticeAccepted` sends them to it. */
	noticeAccepted: boolean
	progress: CourseProgress
	/** The stored attempt asked for (`attempt`), as `storedQuizAttempt` reads it; null when it is none of this user's. */
	attempt: AttemptResult | null
}

/**
 * The session (by its token's hash), its user, whether they hold a role, and their progress in one
 * course, in one statement: the signed-in learner's lesson page (app/features/learner-pages) needs
 * nothing else from the database. Every table is reached by its primary key or a unique index
 * (Session.id, User.id, RoleAssignment(userId, …), Enrolment(userId, courseId), Certificate.enrolmentId,
 * LessonProgress.enrolmentId). Null when the session does not exist (signed out, ended everywhere,
 * PIN reset). Expiry is the caller's to check (`keepAlive`).
 */
export async function sessionCourseProgress(
	sessionId: string,
	courseId: string,
	/** Also read this stored quiz attempt of the user (the page after a full-page quiz post), as `storedQuizAttempt` does. */
	attempt?: { lessonId: string; clientEventId: string },
): Promise<SessionCourseProgress | null> {
	const [row] = await db.query<
		SessionUserRow & {
			enrolledAt: Date | null
			completedAt: Date | null
			code: string | null
			revokedAt: Date | null
			lessons: { lessonId: string; completed: boolean }[] | string | null
			attempt?: unknown
		}
	>(Prisma.sql`
		SELECT ${SESSION_USER_COLUMNS},
			e."createdAt" AS "enrolledAt", e."completedAt", c.code, c."revokedAt",
			CASE WHEN e.id IS NULL THEN NULL ELSE COALESCE((SELECT json_agg(json_build_object('lessonId', lp."lessonId", 'completed', lp."completedAt" IS NOT NULL))
			          FROM "LessonProgress" lp WHERE lp."enrolmentId" = e.id), '[]'::json) END AS lessons${
									attempt
										? Prisma.sql`,
			(SELECT ce.result FROM "QuizAttempt" qa JOIN "ClientEvent" ce ON ce.id = qa."clientId"
			 WHERE qa."clientId" = ${attempt.clientEventId} AND qa."userId" = u.id AND qa."lessonId" = ${attempt.lessonId} AND ce."userId" = u.id) AS attempt`
										: Prisma.empty
								}
		FROM "Session" s JOIN "User" u ON u.id = s."userId"
			LEFT JOIN "Enrolment" e ON e."userId" = u.id AND e."courseId" = ${courseId}
			LEFT JOIN "Certificate" c ON c."enrolmentId" = e.id
		WHERE s.id = ${sessionId}`)
	if (!row) return null
	const lessons = row.lessons === null ? null : parseJson<{ lessonId: string; completed: boolean }[]>(row.lessons)
	const { expiresAt, privileged, noticeAccepted, enrolledAt, completedAt, code, revokedAt, lessons: _lessons, attempt: stored, ...user } = row
	return {
		session: { id: sessionId, expiresAt },
		user,
		privileged,
		noticeAccepted,
		attempt: stored ? parseJson<AttemptResult>(stored) : null,
		progress: courseProgressOf(
			courseId,
			enrolledAt && lessons
				? {
						createdAt: enrolledAt,
						completedAt,
						certificateCode: liveCertificate(code, revokedAt),
						completed: lessons.filter((l) => l.completed).map((l) => l.lessonId),
						opened: lessons.map((l) => l.lessonId),
					}
				: null,
		),
	}
}

/** A learner's progress in a course from their enrolment (null: not enrolled) and its lessons. */
/** The certificate a learner may show: none once revoked. */
function liveCertificate(code: string | null | undefined, revoked: unknown): string | null {
	return code && !revoked ? code : null
}

function courseProgressOf(
	courseId: string,
	enrolment: { createdAt: Date; completedAt: Date | null; certificateCode: string | null; completed: string[]; opened: string[] } | null,
): CourseProgress {
	const course = getCourseById(courseId)
	const ids = course?.lessons.map((l) => l.id) ?? []
	const completed = enrolment?.completed ?? []
	const unlocked = unlockedLessons({ lessonIds: ids, completed, sequential: Boolean(course?.sequential) })
	return {
		enrolled: Boolean(enrolment),
		enrolledAt: enrolment?.createdAt.toISOString() ?? null,
		completedAt: enrolment?.completedAt?.toISOString() ?? null,
		completed,
		opened: enrolment?.opened ?? [],
		unlocked,
		certificateCode: enrolment?.certificateCode ?? null,
	}
}

/** "My learning": every course the learner is enrolled in, with progress and the next step. */
export async function getMyLearning(userId: string) {
	const enrolments = await prisma.enrolment.findMany({
		where: { userId },
		select: {
			courseId: true,
			createdAt: true,
			completedAt: true,
			lessons: { select: { lessonId: true, completedAt: true } },
			certificate: { select: { code: true, revokedAt: true } },
		},
		orderBy: { createdAt: 'asc' },
	})
	return myLearningOf(
		enrolments.map((e) => ({
			courseId: e.courseId,
			completedAt: e.completedAt,
			completedLessons: e.lessons.filter((l) => l.completedAt).map((l) => l.lessonId),
			certificate: e.certificate,
		})),
	)
}

export type MyLearning = ReturnType<typeof myLearningOf>

/** The course "Học tiếp" leads to on the home page: the first one under way, else the first not done. */
export function continueWith(learning: MyLearning) {
	return learning.find((c) => c.next && c.completedCount > 0) ?? learning.find((c) => c.next) ?? null
}

/** A learner's enrolments (oldest first) as `getMyLearning` gives them: courses no longer in the catalogue left out. */
function myLearningOf(
	enrolments: { courseId: string; completedAt: Date | null; completedLessons: string[]; certificate: { code: string; revokedAt: Date | null } | null }[],
) {
	return enrolments.flatMap((e) => {
		const course = getCourseById(e.courseId)
		if (!course) return []
		const completed = new Set(e.completedLessons)
		const next = course.lessons.find((l) => !completed.has(l.id)) ?? null
		return [
			{
				courseId: course.id,
				slug: course.slug,
				title: course.title,
				lessonCount: course.lessons.length,
				completedCount: course.lessons.filter((l) => completed.has(l.id)).length,
				completedAt: e.completedAt?.toISOString() ?? null,
				next: next ? { slug: next.slug, title: next.title } : null,
				certificateCode: liveCertificate(e.certificate?.code, e.certificate?.revokedAt),
			},
		]
	})
}

/**
 * The session (by its token's hash), its user, whether they hold a role or agreed to the current
 * notice, and every enrolment as `getMyLearning` gives them, in one statement (the catalogue of a
 * signed-in learner, ADR 043): Session.id, User.id, RoleAssignment(userId, …), Enrolment(userId, …),
 * Certificate.enrolmentId, LessonProgress.enrolmentId. Null when the session does not exist.
 */
export async function sessionLearning(sessionId: string) {
	const [row] = await db.query<
		SessionUserRow & {
			enrolments:
				| { courseId: string; completedAt: string | null; completedLessons: string[]; certificate: { code: string; revokedAt: string | null } | null }[]
				| string
		}
	>(Prisma.sql`
		SELECT ${SESSION_USER_COLUMNS},
			COALESCE((SELECT json_agg(json_build_object(
				'courseId', e."courseId",
				'completedAt', e."completedAt",
				'completedLessons', COALESCE((SELECT json_agg(lp."lessonId") FROM "LessonProgress" lp WHERE lp."enrolmentId" = e.id AND lp."completedAt" IS NOT NULL), '[]'::json),
				'certificate', (SELECT json_build_object('code', c.code, 'revokedAt', c."revokedAt") FROM "Certificate" c WHERE c."enrolmentId" = e.id)
			) ORDER BY e."createdAt", e.id) FROM "Enrolment" e WHERE e."userId" = u.id), '[]'::json) AS enrolments
		FROM "Session" s JOIN "User" u ON u.id = s."userId"
		WHERE s.id = ${sessionId}`)
	if (!row) return null
	const { expiresAt, privileged, noticeAccepted, enrolments, ...user } = row
	return {
		session: { id: sessionId, expiresAt },
		user,
		privileged,
		noticeAccepted,
		learning: myLearningOf(
			parseJson<Exclude<typeof enrolments, string>>(enrolments).map((e) => ({
				...e,
				completedAt: jsonTime(e.completedAt),
				certificate: e.certificate && { code: e.certificate.code, revokedAt: jsonTime(e.certificate.revokedAt) },
			})),
		),
	}
}
