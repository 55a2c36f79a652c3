import { LearnerGroup, Sex } from '#app/generated/prisma/enums.ts'
import { vietnamDay } from './calendar.ts'

/**
 * Who a learner is, for the breakdowns of every indicator: sex, age band, ethnic group, learner group.
 * Pure: safe in the browser.
 */

export const BREAKDOWNS = ['sex', 'ageBand', 'ethnicGroup', 'learnerGroup'] as const
export type Breakdown = (typeof BREAKDOWNS)[number]

/** From the database's enums, so a new value there reaches every form, import and breakdown. */
export const SEXES = Object.values(Sex) as [Sex, ...Sex[]]
export const LEARNER_GROUPS = Object.values(LearnerGroup) as [LearnerGroup, ...LearnerGroup[]]
export type { LearnerGroup, Sex }

export const AGE_BANDS = ['under-15', '15-24', '25-39', '40-59', '60+'] as const

export function ageBand(birthYear: number | null | undefined, at: Date): string {
	if (!birthYear) return ''
	const age = Number(vietnamDay(at).slice(0, 4)) - birthYear
	if (age < 15) return 'under-15'
	if (age < 25) return '15-24'
	if (age < 40) return '25-39'
	if (age < 60) return '40-59'
	return '60+'
}

/**
 * The 54 ethnic groups of Viet Nam with the General Statistics Office's codes (Danh mục các dân
 * tộc Việt Nam, Quyết định 121-TCTK/PPCĐ, 2 March 1979, still used by the census), plus "other".
 */
export const ETHNIC_GROUPS = [
	['01', 'Kinh', 'Kinh'],
	['02', 'Tày', 'Tay'],
	['03', 'Thái', 'Thai'],
	['04', 'Hoa', 'Hoa'],
	['05', 'Khơ-me', 'Khmer'],
	['06', 'Mường', 'Muong'],
	['07', 'Nùng', 'Nung'],
	['08', 'Mông', 'Hmong'],
	['09', 'Dao', 'Dao'],
	['10', 'Gia-rai', 'Gia Rai'],
	['11', 'Ngái', 'Ngai'],
	['12', 'Ê-đê', 'E De'],
	['13', 'Ba-na', 'Ba Na'],
	['14', 'Xơ-đăng', 'Xo Dang'],
	['15', 'Sán Chay', 'San Chay'],
	['16', 'Cơ-ho', 'Co Ho'],
	['17', 'Chăm', 'Cham'],
	['18', 'Sán Dìu', 'San Diu'],
	['19', 'Hrê', 'Hre'],
	['20', 'Mnông', 'Mnong'],
	['21', 'Ra-glai', 'Ra Glai'],
	['22', 'Xtiêng', 'Xtieng'],
	['23', 'Bru-Vân Kiều', 'Bru-Van Kieu'],
	['24', 'Thổ', 'Tho'],
	['25', 'Giáy', 'Giay'],
	['26', 'Cơ-tu', 'Co Tu'],
	['27', 'Gié-Triêng', 'Gie Trieng'],
	['28', 'Mạ', 'Ma'],
	['29', 'Khơ-mú', 'Kho Mu'],
	['30', 'Co', 'Co'],
	['31', 'Tà-ôi', 'Ta Oi'],
	['32', 'Chơ-ro', 'Cho Ro'],
	['33', 'Kháng', 'Khang'],
	['34', 'Xinh-mun', 'Xinh Mun'],
	['35', 'Hà Nhì', 'Ha Nhi'],
	['36', 'Chu-ru', 'Chu Ru'],
	['37', 'Lào', 'Lao'],
	['38', 'La Chí', 'La Chi'],
	['39', 'La Ha', 'La Ha'],
	['40', 'Phù Lá', 'Phu La'],
	['41', 'La Hủ', 'La Hu'],
	['42', 'Lự', 'Lu'],
	['43', 'Lô Lô', 'Lo Lo'],
	['44', 'Chứt', 'Chut'],
	['45', 'Mảng', 'Mang'],
	['46', 'Pà Thẻn', 'Pa Then'],
	['47', 'Cơ Lao', 'Co Lao'],
	['48', 'Cống', 'Cong'],
	['49', 'Bố Y', 'Bo Y'],
	['50', 'Si La', 'Si La'],
	['51', 'Pu Péo', 'Pu Peo'],
	['52', 'Brâu', 'Brau'],
	['53', 'Ơ Đu', 'O Du'],
	['54', 'Rơ-măm', 'Ro Mam'],
] as const satisfies readonly (readonly [string, string, string])[]

export const OTHER_ETHNIC_GROUP = 'other'
/**
 * "Không muốn trả lời": the person chose not to state an ethnic group, or withdrew that consent.
 * Its own value (not '' = never recorded), so breakdowns show it as a category of its own (ADR 018).
 */
export const ETHNICITY_NOT_STATED = 'not-stated'
export const ethnicGroupCodes: readonly string[] = [...ETHNIC_GROUPS.map(([code]) => code), OTHER_ETHNIC_GROUP]
/** Every value the ethnic-group field may hold: a group, "other", or not stated. */
export const ethnicGroupAnswers: readonly string[] = [ETHNICITY_NOT_STATED, ...ethnicGroupCodes]

/** Whether the value names an ethnic group (sensitive personal data, which needs its own consent). */
export function statesEthnicGroup(code: string | null | undefined): boolean {
	return Boolean(code) && code !== ETHNICITY_NOT_STATED
}

export function ethnicGroupName(code: string | null | undefined, lng: 'vi' | 'en'): string {
	if (!code) return ''
	if (code === ETHNICITY_NOT_STATED) return lng === 'vi' ? 'Không nêu' : 'Not stated'
	if (code === OTHER_ETHNIC_GROUP) return lng === 'vi' ? 'Dân tộc khác' : 'Other'
	const row = ETHNIC_GROUPS.find(([c]) => c === code)
	return row ? (lng === 'vi' ? row[1] : row[2]) : ''
}
