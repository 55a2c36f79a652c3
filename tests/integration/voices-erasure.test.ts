import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, expect, test } from 'vitest'
import { scopeFromRoles } from '#app/kernel/scope.ts'
import { getLessonBySlugs } from '#app/modules/course/course.server.ts'
import { eraseResident } from '#app/modules/people/erasure.server.ts'
import { activeGrantsOf, audioUrl, grantNarrator, reviewRecording, uploadRecording } from '#app/modules/voice/voice.server.ts'
import * as lessonRoute from '#app/routes/courses+/$course.$lesson.tsx'
import * as audioRoute from '#app/routes/voices+/$id.$file.tsx'
import { prisma } from '#app/utils/db.server.ts'
import { officer, resident, sessionCookie } from '#tests/utils/factories.ts'
import { callRoute } from '#tests/utils/route.ts'

/**
 * Issue #23 with ADR 020: a narrator's voice is their personal data. Erasing a narrator removes
 * their recordings (the audio bytes and play counts with them) and their narrator grants; every
 * other narrator's recording, its audio and its play counts are exactly as they were. Scoped to this
 * file's own people and recordings (test files share a database).
 */

// A lesson no other test file records: voices.test.ts counts the voices of smartphone/turn-on and of its course.
const lesson = getLessonBySlugs('health', 'booking')!
const officerScope = scopeFromRoles([{ role: 'PROVINCE_OFFICER', communeCode: null, provinceCode: '14' }])
const lessonParams = { url: '/courses/health/booking', params: { course: 'health', lesson: 'booking' } }

/** A 4-second voice-like signal made by Debian's ffmpeg, so no audio file is checked in. */
function speech() {
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hvs-voices-erasure-')), 'speech.wav')
	execFileSync('ffmpeg', [
		'-nostdin',
		'-v',
		'error',
		'-f',
		'lavfi',
		'-i',
		'sine=frequency=200:duration=4',
		'-f',
		'lavfi',
		'-i',
		'anoisesrc=d=4:a=0.05',
		'-filter_complex',
		'amix=inputs=2',
		'-ac',
		'1',
		'-ar',
		'16000',
		'-y',
		file,
	])
	return new Uint8Array(fs.readFileSync(file))
}

let officerId: string
let leaving: string // the narrator who asks to be erased
let staying: string // another narrator of the same commune
let learnerCookie: string
let leavingRecordings: string[]
let stayingRecording: { id: string; sha256: string }

/** A learner plays the recording once, as the lesson page's <audio> does (a whole GET, no range). */
async function play(recordingId: string) {
	const r = await prisma.recording.findUniqueOrThrow({ where: { id: recordingId }, select: { id: true, sha256: true } })
	const url = audioUrl(r)
	const [id, file] = url.split('/').slice(2)
	return callRoute(audioRoute, 'loader', { url, params: { id: id!, file: file! }, cookie: learnerCookie })
}

const playsOf = (recordingIds: string[]) =>
	prisma.recordingPlayDay.findMany({ where: { recordingId: { in: recordingIds } }, orderBy: [{ recordingId: 'asc' }, { day: 'asc' }] })

beforeAll(async () => {
	officerId = await officer('14')
	leaving = await resident({ fullName: 'Lò Văn Giọng Xoá', communeCode: '03808' })
	staying = await resident({ fullName: 'Cầm Thị Giọng Giữ', communeCode: '03808' })
	learnerCookie = await sessionCookie(await resident({ fullName: 'Quàng Thị Nghe Bài' }))
	for (const userId of [leaving, staying]) {
		const { phone } = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { phone: true } })
		await grantNarrator({ scope: officerScope, actorId: officerId, phone: phone!, provinceCode: '14', communeCode: '03808' })
	}
	const audio = speech()
	const upload = (narratorId: string, language: string, section: number | null) =>
		uploadRecording({ narratorId, lessonId: lesson.lesson.id, language, dialectNote: '', section, grantId: null, file: audio })
	// The leaving narrator: a published whole-lesson recording and a pending one of a section.
	const published = await upload(leaving, 'blt', null)
	const pending = await upload(leaving, 'blt', 1)
	const other = await upload(staying, 'mww', null)
	const officerUser = { id: officerId, scope: officerScope }
	await reviewRecording({ user: officerUser, recordingId: published.id, decision: 'approve' })
	await reviewRecording({ user: officerUser, recordingId: other.id, decision: 'approve' })
	leavingRecordings = [published.id, pending.id]
	stayingRecording = await prisma.recording.findUniqueOrThrow({ where: { id: other.id }, select: { id: true, sha256: true } })
	// Learners play both published recordings: two plays of the leaving narrator's, three of the other.
	for (const id of [published.id, published.id, other.id, other.id, other.id]) expect((await play(id)).status).toBe(200)
}, 120_000)

test('erasing a narrator removes their recordings, audio, play counts and grants; other recordings and their plays are unchanged', async () => {
	// Before: learners find both voices on the lesson, and the plays are counted.
	const voicesBefore = (await callRoute(lessonRoute, 'loader', lessonParams)).body as { voices: { id: string }[] }
	expect(voicesBefore.voices.map((v) => v.id)).toEqual(expect.arrayContaining([leavingRecordings[0], stayingRecording.id]))
	expect((await playsOf(leavingRecordings)).reduce((n, p) => n + p.plays, 0)).toBe(2)
	const otherPlaysBefore = await playsOf([stayingRecording.id])
	expect(otherPlaysBefore.reduce((n, p) => n + p.plays, 0)).toBe(3)
	const otherAudioBefore = await prisma.recordingAudio.findUniqueOrThrow({ where: { recordingId: stayingRecording.id } })
	const otherRowBefore = await prisma.recording.findUniqueOrThrow({ where: { id: stayingRecording.id } })
	expect(await activeGrantsOf(leaving)).toHaveLength(1)
	const stayingGrantsBefore = await prisma.narratorGrant.findMany({ where: { userId: staying } })

	await eraseResident({ userId: leaving, via: 'SELF', actorId: leaving })

	// Their recordings, the audio bytes and the play counts of those recordings are gone.
	expect(await prisma.recording.count({ where: { narratorId: leaving } })).toBe(0)
	expect(await prisma.recording.count({ where: { id: { in: leavingRecordings } } })).toBe(0)
	expect(await prisma.recordingAudio.count({ where: { recordingId: { in: leavingRecordings } } })).toBe(0)
	expect(await playsOf(leavingRecordings)).toEqual([])
	// So is the permission to narrate: no grant, active or revoked, is left.
	expect(await prisma.narratorGrant.count({ where: { userId: leaving } })).toBe(0)
	expect(await activeGrantsOf(leaving)).toEqual([])
	// A learner no longer finds or hears their voice; the other narrator's is still there.
	const voicesAfter = (await callRoute(lessonRoute, 'loader', lessonParams)).body as { voices: { id: string }[] }
	expect(voicesAfter.voices.map((v) => v.id)).not.toContain(leavingRecordings[0])
	expect(voicesAfter.voices.map((v) => v.id)).toContain(stayingRecording.id)
	const gone = await callRoute(audioRoute, 'loader', {
		url: `/voices/${leavingRecordings[0]}/0000000000000000.webm`,
		params: { id: leavingRecordings[0]!, file: '0000000000000000.webm' },
		cookie: learnerCookie,
	})
	expect(gone.status).toBe(404)

	// The other narrator's recording: same row, same audio bytes, same play counts, same grant.
	expect(await prisma.recording.findUniqueOrThrow({ where: { id: stayingRecording.id } })).toEqual(otherRowBefore)
	const otherAudioAfter = await prisma.recordingAudio.findUniqueOrThrow({ where: { recordingId: stayingRecording.id } })
	expect(Buffer.from(otherAudioAfter.data).equals(Buffer.from(otherAudioBefore.data))).toBe(true)
	expect(await playsOf([stayingRecording.id])).toEqual(otherPlaysBefore)
	expect(await prisma.narratorGrant.findMany({ where: { userId: staying } })).toEqual(stayingGrantsBefore)
	// …and it still plays, counted as before.
	expect((await play(stayingRecording.id)).status).toBe(200)
	expect((await playsOf([stayingRecording.id])).reduce((n, p) => n + p.plays, 0)).toBe(4)
})
