import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { VOICE_LIMITS } from '#app/kernel/voices.ts'

/**
 * Turns whatever a phone uploaded into a small, evenly loud WebM/Opus file, or says why it cannot
 * (a localised message key). ffmpeg and ffprobe (Debian's) run as separate processes, never through
 * a shell, each with a time limit, on a private temporary folder that is removed afterwards: nothing
 * is kept when anything fails.
 */
export type EncodeResult = { ok: true; data: Buffer; durationMs: number; sha256: string; mimeType: typeof AUDIO_MIME } | { ok: false; error: AudioError }

export type AudioError =
	| 'voice:errors.notAudio'
	| 'voice:errors.corrupt'
	| 'voice:errors.tooShort'
	| 'voice:errors.tooLong'
	| 'voice:errors.silent'
	| 'voice:errors.tooLarge'

export const AUDIO_MIME = 'audio/webm'

export async function encodeNarration(input: Uint8Array, { maxSeconds }: { maxSeconds: number }): Promise<EncodeResult> {
	if (input.byteLength > VOICE_LIMITS.maxUploadBytes) return { ok: false, error: 'voice:errors.tooLarge' }
	if (!looksLikeAudio(input)) return { ok: false, error: 'voice:errors.notAudio' }
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hvs-voice-'))
	try {
		const source = path.join(dir, 'upload')
		await fs.writeFile(source, input)
		const probed = await probe(source)
		if (!probed) return { ok: false, error: 'voice:errors.corrupt' }
		if (!probed.hasAudio) return { ok: false, error: 'voice:errors.notAudio' }
		// A length the container states is enough to refuse; one it does not state is measured below.
		if (probed.seconds !== null && probed.seconds > maxSeconds + 1) return { ok: false, error: 'voice:errors.tooLong' }
		// A recording made by MediaRecorder carries no duration in its header: measure by decoding.
		const measured = await measureLoudness(source, maxSeconds)
		if (!measured) return { ok: false, error: 'voice:errors.corrupt' }
		if (measured.seconds > maxSeconds) return { ok: false, error: 'voice:errors.tooLong' }
		if (measured.seconds < VOICE_LIMITS.minSeconds) return { ok: false, error: 'voice:errors.tooShort' }
		if (measured.meanDb === null || measured.meanDb < VOICE_LIMITS.silentMeanDb) return { ok: false, error: 'voice:errors.silent' }
		const target = path.join(dir, 'out.webm')
		const encoded = await run(
			'ffmpeg',
			[
				...['-nostdin', '-hide_banner', '-v', 'error', '-i', source, '-map', '0:a:0', '-vn', '-sn', '-dn', '-map_metadata', '-1', '-ac', '1'],
				// One pass of EBU R128 normalisation (speech at -16 LUFS), back to Opus's 48 kHz.
				...['-af', 'loudnorm=I=-16:TP=-1.5:LRA=11,aresample=48000'],
				...['-c:a', 'libopus', '-b:a', String(VOICE_LIMITS.bitrate), '-vbr', 'off', '-frame_duration', '60', '-application', 'voip'],
				...['-f', 'webm', '-y', target],
			],
			ENCODE_TIMEOUT_MS,
		)
		if (!encoded.ok) return { ok: false, error: 'voice:errors.corrupt' }
		const data = await fs.readFile(target)
		const out = await probe(target)
		if (!out?.hasAudio || out.seconds === null) return { ok: false, error: 'voice:errors.corrupt' }
		return { ok: true, data, durationMs: Math.round(out.seconds * 1000), sha256: createHash('sha256').update(data).digest('hex'), mimeType: AUDIO_MIME }
	} finally {
		await fs.rm(dir, { recursive: true, force: true })
	}
}

/**
 * The container's signature in its first bytes: Ogg, WebM/Matroska, RIFF WAVE, MP4/M4A/3GP (ftyp),
 * MP3 (an ID3 tag or an MPEG frame sync), AAC in ADTS, AMR, FLAC. The file name and the type the
 * browser claims are never trusted; ffprobe then checks that there is an audio stream in it.
 */
export function looksLikeAudio(b: Uint8Array): boolean {
	if (b.byteLength < 12) return false
	const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to))
	if (ascii(0, 4) === 'OggS' || ascii(0, 4) === 'fLaC' || ascii(0, 5) === '#!AMR' || ascii(0, 3) === 'ID3') return true
	if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return true
	if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return true
	if (ascii(4, 8) === 'ftyp') return true
	// MPEG audio frame sync (MP3) or ADTS (AAC): eleven set bits.
	if (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0) return true
	return false
}

const PROBE_TIMEOUT_MS = 10_000
// Measured: 80–90 s for a 5-minute reading on two cores shared by ~20 busy processes (docs/benchmarks.md).
const ENCODE_TIMEOUT_MS = 300_000

async function probe(file: string): Promise<{ hasAudio: boolean; seconds: number | null } | null> {
	const r = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type:format=duration', '-of', 'json', file], PROBE_TIMEOUT_MS)
	if (!r.ok) return null
	try {
		const json = JSON.parse(r.stdout) as { streams?: { codec_type?: string }[]; format?: { duration?: string } }
		const seconds = Number(json.format?.duration)
		return { hasAudio: (json.streams ?? []).some((s) => s.codec_type === 'audio'), seconds: Number.isFinite(seconds) ? seconds : null }
	} catch {
		return null
	}
}

/** Decodes the whole first audio stream (stopping a little past the limit): its length and mean loudness. */
async function measureLoudness(file: string, maxSeconds: number): Promise<{ seconds: number; meanDb: number | null } | null> {
	const r = await run(
		'ffmpeg',
		['-nostdin', '-hide_banner', '-v', 'info', '-i', file, '-map', '0:a:0', '-t', String(maxSeconds + 1), '-af', 'volumedetect', '-f', 'null', '-'],
		ENCODE_TIMEOUT_MS,
	)
	if (!r.ok) return null
	// The last progress line's time= is how much was decoded.
	const times = [...r.stderr.matchAll(/time=(\d+):(\d+):(\d+(?:\.\d+)?)/g)]
	const last = times.at(-1)
	if (!last) return null
	const seconds = Number(last[1]) * 3600 + Number(last[2]) * 60 + Number(last[3])
	const mean = /mean_volume:\s*(-?[\d.]+|-inf) dB/.exec(r.stderr)?.[1]
	return { seconds, meanDb: mean === undefined || mean === '-inf' ? null : Number(mean) }
}

function run(command: string, args: string[], timeout: number): Promise<{ ok: boolean; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		execFile(command, args, { timeout, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024, windowsHide: true }, (error, stdout, stderr) =>
			resolve({ ok: !error, stdout: String(stdout), stderr: String(stderr) }),
		)
	})
}
