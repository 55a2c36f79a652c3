import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { OFFLINE_SAVE_HEADER } from '#app/kernel/offline-constants.ts'
import { getLessonBySlugs } from '#app/modules/course/course.server.ts'
import { flagOutdatedRecordings, grantNarrator } from '#app/modules/voice/voice.server.ts'
import * as lessonRoute from '#app/routes/courses+/$course.$lesson.tsx'
import * as courseRoute from '#app/routes/courses+/$course._index.tsx'
import * as narrateLesson from '#app/routes/narrate+/$course.$lesson.tsx'
import * as narrateIndex from '#app/routes/narrate+/_index.tsx'
import * as reviewRoute from '#app/routes/narrate+/review.tsx'
import * as narratorsRoute from '#app/routes/province+/staff.narrators.tsx'
import * as voicesOverviewRoute from '#app/routes/province+/voices.tsx'
import * as audioRoute from '#app/routes/voices+/$id.$file.tsx'
import { byteRange } from '#app/utils/range.server.ts'
import { scopeFromRoles } from '#app/kernel/scope.ts'
import { prisma } from '#app/utils/db.server.ts'
import { officer, resident, sessionCookie } from '#tests/utils/factories.ts'
import { callRoute } from '#tests/utils/route.ts'

// Issue #23: narrators upload recordings of lessons; bad files are refused by content with a clear
// reason and nothing is stored; someone else approves; learners hear only published recordings of
// the lesson's current text, served with ranges and long cache headers; plays are counted anonymously.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-voices-test-'))
/** Audio made by Debian's ffmpeg from its own sources, so no file is checked in. */
function make(name: string, args: string[]) {
	const file = path.join(dir, name)
	execFileSync('ffmpeg', ['-nostdin', '-v', 'error', ...args, '-y', file])
	return new Uint8Array(fs.readFileSync(file))
}
// A voice-like signal: a tone with noise, 6 seconds.
const speech = () =>
	make('speech.wav', [
		'-f',
		'lavfi',
		'-i',
		'sine=frequency=220:duration=6',
		'-f',
		'lavfi',
		'-i',
		'anoisesrc=d=6:a=0.05',
		'-filter_complex',
		'amix=inputs=2',
		'-ac',
		'1',
		'-ar',
		'16000',
	])

const lesson = getLessonBySlugs('smartphone', 'turn-on')!
const officerScope = scopeFromRoles([{ role: 'PROVINCE_OFFICER', communeCode: null, provinceCode: '14' }])

let officerId: string
let narratorA: string
let narratorB: string
let outsider: string
let cookies: Record<'officer' | 'a' | 'b' | 'outsider' | 'learner', string>

beforeAll(async () => {
	officerId = await officer('14')
	narratorA = await resident({ fullName: 'Lò Văn Đọc', communeCode: '03808' })
	narratorB = await resident({ fullName: 'Cầm Thị Nghe', communeCode: '03808' })
	outsider = await resident({ fullName: 'Quàng Văn Khác', communeCode: '03646' })
	const learner = await resident({ fullName: 'Lò Thị Học Viên' })
	for (const userId of [narratorA, narratorB]) {
		const { phone } = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { phone: true } })
		await grantNarrator({ scope: officerScope, actorId: officerId, phone: phone!, provinceCode: '14', communeCode: '03808' })
	}
	cookies = {
		officer: await sessionCookie(officerId),
		a: await sessionCookie(narratorA),
		b: await sessionCookie(narratorB),
		outsider: await sessionCookie(outsider),
		learner: await sessionCookie(learner),
	}
})

function upload(cookie: string, file: Uint8Array, fields: Record<string, string> = {}, { name = 'voice.m4a', type = 'audio/mp4' } = {}) {
	const form = new FormData()
	form.set('language', 'blt')
	form.set('dialectNote', 'Thái Đen, bản Nà Sài')
	for (const [k, v] of Object.entries(fields)) form.set(k, v)
	form.set('audio', new File([new Uint8Array(file)], name, { type }))
	return callRoute(narrateLesson, 'action', { url: '/narrate/smartphone/turn-on', params: { course: 'smartphone', lesson: 'turn-on' }, cookie, body: form })
}

const ownRecordings = (narratorId: string) => prisma.recording.count({ where: { narratorId } })

describe('uploads that cannot be a lesson recording are refused with their reason, and nothing is stored', () => {
	test.each([
		['a text file named .mp3', () => new TextEncoder().encode('These are words about a lesson, not sound.'), 'voice:errors.notAudio', 400],
		['a picture named .webm', () => make('picture.png', ['-f', 'lavfi', '-i', 'color=c=red:s=32x32:d=1', '-frames:v', '1']), 'voice:errors.notAudio', 400],
		[
			'a WebM header followed by garbage',
			() => new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, ...Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256)]),
			'voice:errors.corrupt',
			400,
		],
		[
			'a video with no sound',
			() => make('mute.webm', ['-f', 'lavfi', '-i', 'color=c=blue:s=32x32:d=3', '-c:v', 'libvpx', '-an']),
			'voice:errors.notAudio',
			400,
		],
		['five seconds of silence', () => make('silence.wav', ['-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '5']), 'voice:errors.silent', 400],
		['a whisper far below speech', () => make('whisper.wav', ['-f', 'lavfi', '-i', 'anoisesrc=d=5:a=0.0005', '-ar', '16000']), 'voice:errors.silent', 400],
		['half a second', () => make('short.wav', ['-f', 'lavfi', '-i', 'sine=frequency=300:duration=0.5']), 'voice:errors.tooShort', 400],
		// The lesson is 5 minutes: at most 12 minutes of reading.
		[
			'13 minutes for a 5-minute lesson',
			() => make('long.mp3', ['-f', 'lavfi', '-i', 'sine=frequency=300:duration=780:sample_rate=8000', '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '8k']),
			'voice:errors.tooLong',
			400,
		],
		['more than 5 MB', () => new Uint8Array(5 * 1024 * 1024 + 10).fill(0xff), 'voice:errors.tooLarge', 413],
	] as const)('%s', { timeout: 120_000 }, async (_, bytes, message, status) => {
		const before = await ownRecordings(narratorA)
		const result = await upload(cookies.a, bytes())
		expect(result.status).toBe(status)
		expect(result.body).toEqual({ error: message })
		expect(await ownRecordings(narratorA)).toBe(before)
	})

	test('a language that is not on the list, or a part number of 0, is refused on the form', async () => {
		expect((await upload(cookies.a, speech(), { language: 'xyz' })).body).toEqual({ error: 'voice:errors.badLanguage' })
		expect((await upload(cookies.a, speech(), { section: '0' })).body).toEqual({ error: 'voice:errors.badSection' })
		expect(await ownRecordings(narratorA)).toBe(0)
	})

	test('someone who is not a narrator cannot upload or open the narrate pages', async () => {
		const result = await upload(cookies.outsider, speech())
		expect(result.status).toBe(403)
		expect(result.body).toEqual({ message: 'voice:errors.notNarrator' })
		expect((await callRoute(narrateIndex, 'loader', { url: '/narrate', cookie: cookies.outsider })).status).toBe(403)
		expect(await ownRecordings(outsider)).toBe(0)
	})
})

describe('a recording from upload to learners', () => {
	let recordingId: string
	let url: string

	test('an upload is encoded small, waits for review, and is audited', async () => {
		const result = await upload(cookies.a, speech())
		expect(result.status).toBe(302)
		const rec = await prisma.recording.findFirstOrThrow({ where: { narratorId: narratorA }, include: { audio: true } })
		recordingId = rec.id
		expect(rec).toMatchObject({
			status: 'PENDING',
			language: 'blt',
			communeCode: '03808',
			provinceCode: '14',
			section: null,
			dialectNote: 'Thái Đen, bản Nà Sài',
		})
		expect(rec.durationMs).toBeGreaterThan(5500)
		expect(rec.durationMs).toBeLessThan(6500)
		// 15 kbit/s: 6 seconds is about 11 KB, from a 192 KB WAV.
		expect(rec.bytes).toBeLessThan(16_000)
		expect(rec.uploadedBytes).toBeGreaterThan(150_000)
		expect(Buffer.from(rec.audio!.data).subarray(0, 4)).toEqual(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]))
		expect(await prisma.auditLog.count({ where: { actorId: narratorA, action: 'recording.upload' } })).toBe(1)
		const page = await callRoute(narrateIndex, 'loader', { url: '/narrate', cookie: cookies.a })
		expect(page.body).toMatchObject({ recordings: [{ id: rec.id, status: 'PENDING' }] })
		url = (
			await callRoute(narrateLesson, 'loader', { url: '/narrate/smartphone/turn-on', params: { course: 'smartphone', lesson: 'turn-on' }, cookie: cookies.a })
		).body as never
		url = (url as unknown as { recordings: { url: string }[] }).recordings[0]!.url
	})

	test('before it is published a learner gets nothing; the narrator can listen, privately', async () => {
		const [id, file] = url.split('/').slice(2)
		expect((await callRoute(audioRoute, 'loader', { url, params: { id: id!, file: file! }, cookie: cookies.learner })).status).toBe(404)
		expect((await callRoute(audioRoute, 'loader', { url, params: { id: id!, file: file! } })).status).toBe(404)
		const own = await callRoute(audioRoute, 'loader', { url, params: { id: id!, file: file! }, cookie: cookies.a })
		expect(own.status).toBe(200)
		expect(own.headers.get('Cache-Control')).toBe('private, no-store')
		const lessonPage = await callRoute(lessonRoute, 'loader', { url: '/courses/smartphone/turn-on', params: { course: 'smartphone', lesson: 'turn-on' } })
		expect((lessonPage.body as { voices: unknown[] }).voices).toEqual([])
	})

	test('the narrator cannot approve their own recording; someone outside the commune cannot either', async () => {
		const own = await callRoute(reviewRoute, 'action', {
			url: '/narrate/review',
			cookie: cookies.a,
			body: new URLSearchParams({ recordingId, intent: 'approve' }),
		})
		expect(own.status).toBe(404)
		expect(own.body).toEqual({ error: 'voice:errors.noSuchRecording' })
		const review = await callRoute(reviewRoute, 'loader', { url: '/narrate/review', cookie: cookies.a })
		expect((review.body as { recordings: unknown[] }).recordings).toEqual([])
		expect(
			(
				await callRoute(reviewRoute, 'action', {
					url: '/narrate/review',
					cookie: cookies.outsider,
					body: new URLSearchParams({ recordingId, intent: 'approve' }),
				})
			).status,
		).toBe(403)
		expect((await prisma.recording.findUniqueOrThrow({ where: { id: recordingId } })).status).toBe('PENDING')
	})

	test('a second narrator of the commune approves it: learners see «Nghe bằng tiếng Thái Đen» and play it with ranges', async () => {
		const review = await callRoute(reviewRoute, 'loader', { url: '/narrate/review', cookie: cookies.b })
		expect(review.body).toMatchObject({ recordings: [{ id: recordingId, status: 'PENDING', current: true }] })
		const approved = await callRoute(reviewRoute, 'action', {
			url: '/narrate/review',
			cookie: cookies.b,
			body: new URLSearchParams({ recordingId, intent: 'approve' }),
		})
		expect(approved.status).toBe(302)
		expect(await prisma.recording.findUniqueOrThrow({ where: { id: recordingId } })).toMatchObject({ status: 'PUBLISHED', reviewedById: narratorB })
		expect(await prisma.auditLog.count({ where: { actorId: narratorB, action: 'recording.publish' } })).toBe(1)

		const lessonPage = await callRoute(lessonRoute, 'loader', { url: '/courses/smartphone/turn-on', params: { course: 'smartphone', lesson: 'turn-on' } })
		expect((lessonPage.body as { voices: unknown[] }).voices).toEqual([
			expect.objectContaining({ id: recordingId, name: 'Thái Đen', url, dialectNote: 'Thái Đen, bản Nà Sài' }),
		])

		const [id, file] = url.split('/').slice(2)
		const params = { id: id!, file: file! }
		const playsBefore = await prisma.recordingPlayDay.aggregate({ where: { recordingId }, _sum: { plays: true } })
		expect(playsBefore._sum.plays).toBeNull()
		const whole = await callRoute(audioRoute, 'loader', { url, params, cookie: cookies.learner })
		expect(whole.status).toBe(200)
		expect(whole.headers.get('Content-Type')).toBe('audio/webm')
		expect(whole.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
		expect(whole.headers.get('Accept-Ranges')).toBe('bytes')
		const size = Number(whole.headers.get('Content-Length'))
		const part = await callRoute(audioRoute, 'loader', { url, params, headers: { Range: 'bytes=100-199' } })
		expect(part.status).toBe(206)
		expect(part.headers.get('Content-Range')).toBe(`bytes 100-199/${size}`)
		expect((await part.response!.arrayBuffer()).byteLength).toBe(100)
		expect((await callRoute(audioRoute, 'loader', { url, params, headers: { Range: `bytes=${size}-` } })).status).toBe(416)
		// Saving the course for offline use is not a play; a range from the middle (seeking) is not a new one.
		await callRoute(audioRoute, 'loader', { url, params, headers: { [OFFLINE_SAVE_HEADER]: '1' } })
		const plays = await prisma.recordingPlayDay.findMany({ where: { recordingId } })
		expect(plays).toHaveLength(1)
		expect(plays[0]!.plays).toBe(1)
		expect(Object.keys(plays[0]!)).toEqual(['recordingId', 'day', 'plays'])

		// The course page counts it in the size of saving the course.
		const coursePage = await callRoute(courseRoute, 'loader', { url: '/courses/smartphone', params: { course: 'smartphone' } })
		expect(coursePage.body).toMatchObject({ offline: { voices: { count: 1 } } })
		const overview = await callRoute(voicesOverviewRoute, 'loader', { url: '/province/voices', cookie: cookies.officer })
		const row = (overview.body as { lessons: { id: string; languages: { code: string; published: number; plays: number }[] }[] }).lessons.find(
			(l) => l.id === lesson.lesson.id,
		)
		expect(row?.languages).toEqual([expect.objectContaining({ code: 'blt', published: 1, plays: 1 })])
	})

	test('a wrong hash in the URL is a 404, not the audio', async () => {
		const [id] = url.split('/').slice(2)
		expect((await callRoute(audioRoute, 'loader', { url, params: { id: id!, file: '0000000000000000.webm' } })).status).toBe(404)
	})

	test('when the lesson text changes, the recording waits for review and learners no longer get it', async () => {
		await prisma.recording.update({ where: { id: recordingId }, data: { contentVersion: 'an-older-text' } })
		expect(await flagOutdatedRecordings()).toBeGreaterThanOrEqual(1)
		expect((await prisma.recording.findUniqueOrThrow({ where: { id: recordingId } })).status).toBe('NEEDS_REVIEW')
		const lessonPage = await callRoute(lessonRoute, 'loader', { url: '/courses/smartphone/turn-on', params: { course: 'smartphone', lesson: 'turn-on' } })
		expect((lessonPage.body as { voices: unknown[] }).voices).toEqual([])
		const [id, file] = url.split('/').slice(2)
		expect((await callRoute(audioRoute, 'loader', { url, params: { id: id!, file: file! }, cookie: cookies.learner })).status).toBe(404)
		const again = await callRoute(reviewRoute, 'action', {
			url: '/narrate/review',
			cookie: cookies.officer,
			body: new URLSearchParams({ recordingId, intent: 'approve' }),
		})
		expect(again.body).toEqual({ error: 'voice:errors.outdated' })
		// The officer takes it down instead; audited.
		const down = await callRoute(reviewRoute, 'action', {
			url: '/narrate/review',
			cookie: cookies.officer,
			body: new URLSearchParams({ recordingId, intent: 'take-down' }),
		})
		expect(down.status).toBe(302)
		expect((await prisma.recording.findUniqueOrThrow({ where: { id: recordingId } })).status).toBe('TAKEN_DOWN')
		expect(await prisma.auditLog.count({ where: { actorId: officerId, action: 'recording.take-down' } })).toBe(1)
	})
})

describe('narrator permissions on /province/staff/narrators', () => {
	test('an officer of province 14 grants and revokes, audited; an officer of province 12 cannot grant in 14', async () => {
		const person = await resident({ fullName: 'Lường Văn Mới', communeCode: '03646' })
		const { phone } = await prisma.user.findUniqueOrThrow({ where: { id: person }, select: { phone: true } })
		const other = await sessionCookie(await officer('12'))
		const refused = await callRoute(narratorsRoute, 'action', {
			url: '/province/staff/narrators',
			cookie: other,
			body: new URLSearchParams({ phone: phone!, provinceCode: '14', communeCode: '03646' }),
		})
		expect(refused.status).toBe(403)
		expect(await prisma.narratorGrant.count({ where: { userId: person } })).toBe(0)
		const badCommune = await callRoute(narratorsRoute, 'action', {
			url: '/province/staff/narrators',
			cookie: cookies.officer,
			body: new URLSearchParams({ phone: phone!, provinceCode: '14', communeCode: '03388' }),
		})
		expect(badCommune.body).toEqual({ error: 'voice:errors.badCommune' })
		const granted = await callRoute(narratorsRoute, 'action', {
			url: '/province/staff/narrators',
			cookie: cookies.officer,
			body: new URLSearchParams({ phone: phone!, provinceCode: '14', communeCode: '03646' }),
		})
		expect(granted.status).toBe(302)
		const grant = await prisma.narratorGrant.findFirstOrThrow({ where: { userId: person } })
		expect(grant).toMatchObject({ provinceCode: '14', communeCode: '03646', grantedById: officerId, revokedAt: null })
		expect(await prisma.auditLog.count({ where: { targetUserId: person, action: 'narrator.grant' } })).toBe(1)
		const cookie = await sessionCookie(person)
		expect((await callRoute(narrateIndex, 'loader', { url: '/narrate', cookie })).status).toBe(200)
		await callRoute(narratorsRoute, 'action', {
			url: '/province/staff/narrators',
			cookie: cookies.officer,
			body: new URLSearchParams({ intent: 'revoke', grantId: grant.id }),
		})
		expect((await prisma.narratorGrant.findUniqueOrThrow({ where: { id: grant.id } })).revokedById).toBe(officerId)
		expect(await prisma.auditLog.count({ where: { targetUserId: person, action: 'narrator.revoke' } })).toBe(1)
		expect((await callRoute(narrateIndex, 'loader', { url: '/narrate', cookie })).status).toBe(403)
	})
})

test('byte ranges: open-ended, suffix, clipped, past the end, several', () => {
	expect(byteRange(null, 1000)).toBeNull()
	expect(byteRange('bytes=0-', 1000)).toEqual({ start: 0, end: 999 })
	expect(byteRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 })
	expect(byteRange('bytes=900-5000', 1000)).toEqual({ start: 900, end: 999 })
	expect(byteRange('bytes=1000-', 1000)).toBe('unsatisfiable')
	expect(byteRange('bytes=0-1,5-6', 1000)).toBeNull()
})

test('an officer grants narration only to a person of the place granted: another commune or province is "no such person", and nothing is stored', async () => {
	const elsewhere = await resident({ fullName: 'Lò Văn Nơi Khác', communeCode: '03646' })
	const commune12 = await prisma.commune.findFirstOrThrow({ where: { provinceCode: '12' }, select: { code: true } })
	const laiChau = await resident({ fullName: 'Tòng Văn Lai Châu', provinceCode: '12', communeCode: commune12.code })
	for (const [userId, communeCode] of [
		[elsewhere, '03808'],
		[laiChau, null],
	] as const) {
		const { phone } = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { phone: true } })
		await expect(grantNarrator({ scope: officerScope, actorId: officerId, phone: phone!, provinceCode: '14', communeCode })).rejects.toMatchObject({
			message: 'voice:errors.noSuchPerson',
		})
		expect(await prisma.narratorGrant.count({ where: { userId } })).toBe(0)
	}
})
