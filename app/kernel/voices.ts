/**
 * Local voices (issue #23): the languages a lesson may be narrated in, the states a recording goes
 * through and the limits an upload must keep. Pure: the server, the pages and the tests share it.
 *
 * Languages are ISO 639-3 codes, and only those a people of Sơn La and its neighbours speak that have
 * a code of their own. Sources: SIL's ISO 639-3 code tables (iso639-3.sil.org) as shown by Ethnologue
 * (ethnologue.com/language/<code>); for Xinh Mun (puo), La Ha (lha) and Kháng (kjm) also their
 * Wikipedia articles, which name the Sơn La villages where they are spoken. A people with no code of
 * its own (Dao Quần Chẹt, Thái Mường Vạt…) is recorded under the nearest code with a dialect note.
 */
export const VOICE_LANGUAGES = [
	{ code: 'blt', vi: 'Thái Đen', en: 'Tai Dam (Black Tai)' },
	{ code: 'twh', vi: 'Thái Trắng', en: 'Tai Dón (White Tai)' },
	{ code: 'mww', vi: 'Mông Trắng (Mông Đơ)', en: 'Hmong Daw (White Hmong)' },
	{ code: 'hnj', vi: 'Mông Xanh (Mông Lềnh)', en: 'Hmong Njua (Green Hmong)' },
	{ code: 'mtq', vi: 'Mường', en: 'Mường' },
	{ code: 'ium', vi: 'Dao (Iu Miền)', en: 'Iu Mien (Dao)' },
	{ code: 'kjg', vi: 'Khơ Mú', en: 'Khmu' },
	{ code: 'puo', vi: 'Xinh Mun', en: 'Xinh Mun (Puoc)' },
	{ code: 'lha', vi: 'La Ha', en: 'La Ha' },
	{ code: 'kjm', vi: 'Kháng', en: 'Kháng' },
	{ code: 'lao', vi: 'Lào', en: 'Lao' },
	{ code: 'tyz', vi: 'Tày', en: 'Tày' },
	{ code: 'vie', vi: 'Việt', en: 'Vietnamese' },
] as const

export type VoiceLanguage = (typeof VOICE_LANGUAGES)[number]['code']

export function isVoiceLanguage(code: unknown): code is VoiceLanguage {
	return typeof code === 'string' && VOICE_LANGUAGES.some((l) => l.code === code)
}

/** The language's name in the page's language ("Thái Đen", "Tai Dam (Black Tai)"). */
export function voiceLanguageName(code: string, lng: string): string {
	const found = VOICE_LANGUAGES.find((l) => l.code === code)
	if (!found) return code
	return lng === 'vi' ? found.vi : found.en
}

/** A length as people read it on a player: '4:05', '1:02:03'. */
export function durationText(ms: number): string {
	const total = Math.round(ms / 1000)
	const h = Math.floor(total / 3600)
	const m = Math.floor((total % 3600) / 60)
	const s = String(total % 60).padStart(2, '0')
	return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

export const RECORDING_STATUSES = ['PENDING', 'PUBLISHED', 'TAKEN_DOWN', 'NEEDS_REVIEW'] as const
export type RecordingStatus = (typeof RECORDING_STATUSES)[number]

/** What an upload may be, before and after encoding (docs/decisions/034-voice-recordings.md). */
export const VOICE_LIMITS = {
	/** The uploaded file: a phone's 10-minute AAC or WebM recording fits; the server caps bodies at 6 MB. */
	maxUploadBytes: 5 * 1024 * 1024,
	/** The shortest recording worth keeping. */
	minSeconds: 2,
	/** A lesson of `minutes` minutes may be read in at most 2 × minutes + 2 (at least 5 minutes). */
	maxSecondsFor(minutes: number) {
		return Math.max(5, 2 * minutes + 2) * 60
	},
	/**
	 * Encoded with Opus at this constant bit rate (bits per second), mono, 60 ms frames, in WebM: a
	 * 5-minute lesson is 592 KB with the container (docs/benchmarks.md). Variable rate at 16 kbit/s
	 * came to 696 KB for speech.
	 */
	bitrate: 15000,
	/** Recordings one narrator may upload in 24 hours (each upload is a transcode on the server). */
	uploadsPerDay: 30,
	/** Loudness (dBFS, ffmpeg volumedetect's mean) below which a recording is taken for silence. */
	silentMeanDb: -55,
} as const
