import { GRANULARITIES } from '#app/kernel/calendar.ts'
import { BREAKDOWNS } from '#app/kernel/demographics.ts'
import {
	byCourseKey,
	CUMULATIVE_METRICS,
	metric,
	type MetricId,
	NON_ADDITIVE_METRICS,
	PER_COURSE_METRICS,
	PERIOD_METRICS,
	TARGET_INDICATORS,
} from '#app/kernel/metrics.ts'
import { API_RATE_LIMIT } from './indicators-api.server.ts'

/**
 * The OpenAPI 3.1 description of the machine API, written by hand next to the code it describes.
 * app/features/api/api.test.ts checks that it parses, that every documented parameter is
 * accepted (and nothing else), and that real answers match the response schema.
 */
const integer = { type: 'integer', minimum: 0 } as const
const counts = (names: string[]) => Object.fromEntries(names.map((n) => [n, integer]))
/** The schema of a figures object: one count per metric of `ids`, then the per-course maps of those counted per course. */
function figuresSchema(description: string, ids: readonly MetricId[]) {
	const perCourse = PER_COURSE_METRICS.filter((m) => ids.includes(m))
	return {
		type: 'object',
		description,
		required: [...ids, ...perCourse.map(byCourseKey)],
		additionalProperties: false,
		properties: {
			...counts([...ids]),
			...Object.fromEntries(perCourse.map((m) => [byCourseKey(m), { type: 'object', description: metric(m).perCourse!.api, additionalProperties: integer }])),
		},
	}
}
/** "`active` (distinct learners with any progress) does not add up across periods." */
const notAdditive = NON_ADDITIVE_METRICS.length
	? ` ${NON_ADDITIVE_METRICS.map((m) => `\`${m}\` (${metric(m).api})`).join(', ')} ${NON_ADDITIVE_METRICS.length > 1 ? 'do' : 'does'} not add up across periods.`
	: ''
const month = { type: 'string', pattern: '^\\d{4}-\\d{2}$', examples: ['2026-03'] } as const
const period = { type: 'string', description: "'2026-03' (month), '2026-Q1' (quarter) or '2026' (year).", examples: ['2026-03', '2026-Q1', '2026'] } as const

const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } })

export function openApiDocument(origin = '') {
	return {
		openapi: '3.1.0',
		info: {
			title: 'Học Vụ Số — literacy indicators API',
			version: '1.0.0',
			description:
				'Digital literacy indicators per commune and period for one province (official 2025 commune codes), the same figures as the ' +
				'province dashboard and its JSON export. Aggregate counts only: no personal data. A province officer creates a token on ' +
				'/province/api-tokens; the token reads its own province only. Definitions: docs/indicators.md.',
		},
		servers: [{ url: origin || '/' }],
		security: [{ bearerToken: [] }],
		paths: {
			'/api/v1/indicators': {
				get: {
					operationId: 'getIndicators',
					summary: 'Indicators per commune and period',
					description:
						`Per-period and cumulative figures for every commune of the token's province (or the communes named), with coverage, ` +
						`targets and red/amber/green status, and province totals. Rate limit: ${API_RATE_LIMIT.limit} requests per ` +
						`${API_RATE_LIMIT.windowSeconds} s per token (429 with Retry-After beyond). Unknown parameters are refused (400).`,
					parameters: [
						{
							name: 'from',
							in: 'query',
							description: 'First month (widened to the start of its period). Default: January of this year.',
							schema: month,
							example: '2025-01',
						},
						{
							name: 'to',
							in: 'query',
							description: 'Last month (widened to the end of its period). Default: this month. At most 120 months after `from`.',
							schema: month,
							example: '2025-12',
						},
						{
							name: 'year',
							in: 'query',
							description: 'A whole year; replaces `from` and `to`.',
							schema: { type: 'string', pattern: '^20\\d{2}$' },
							example: '2025',
						},
						{
							name: 'granularity',
							in: 'query',
							description: 'Period length. Default: month.',
							schema: { type: 'string', enum: GRANULARITIES, default: 'month' },
							example: 'quarter',
						},
						{
							name: 'communes',
							in: 'query',
							description: "Comma-separated 5-digit commune codes of the token's province. Default: every commune.",
							schema: { type: 'string', pattern: '^\\d{5}(,\\d{5})*$' },
							example: '03646,03721',
						},
						{
							name: 'commune',
							in: 'query',
							description: 'One commune code; may be repeated. Combined with `communes`.',
							schema: { type: 'string', pattern: '^\\d{5}$' },
							example: '03646',
						},
						{
							name: 'breakdown',
							in: 'query',
							description: 'Adds figures split by one learner attribute.',
							schema: { type: 'string', enum: BREAKDOWNS },
							example: 'sex',
						},
						{
							name: 'province',
							in: 'query',
							description: "The token's own 2-digit province code (optional). Any other province is refused with 403.",
							schema: { type: 'string', pattern: '^\\d{2}$' },
							example: '14',
						},
						{
							name: 'lng',
							in: 'query',
							description: 'Language of commune names and course titles. Default: vi.',
							schema: { type: 'string', enum: ['vi', 'en'], default: 'vi' },
							example: 'en',
						},
					],
					responses: {
						'200': {
							description: 'The indicators.',
							headers: {
								'X-RateLimit-Limit': { schema: { type: 'integer' }, description: 'Requests allowed per window.' },
								'X-RateLimit-Remaining': { schema: { type: 'integer' }, description: 'Requests left in this window.' },
								'X-RateLimit-Reset': { schema: { type: 'integer' }, description: 'Seconds until the window starts again.' },
							},
							content: { 'application/json': { schema: { $ref: '#/components/schemas/IndicatorReport' } } },
						},
						'400': error(
							'A parameter is not valid (code: badMonth, badRange, rangeTooLong, badGranularity, badBreakdown, unknownCommune, badProvince, badLanguage, unknownParameter).',
						),
						'401': error('No token, or an unknown or revoked token (code: unauthorized).'),
						'403': error("The `province` parameter names a province other than the token's (code: forbidden)."),
						'429': {
							...error('Too many requests for this token (code: rateLimited).'),
							headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait.' } },
						},
					},
				},
			},
		},
		components: {
			securitySchemes: {
				bearerToken: {
					type: 'http',
					scheme: 'bearer',
					bearerFormat: 'hvs_<32 base32 characters>',
					description: 'A province API token, shown once when created.',
				},
			},
			schemas: {
				Error: {
					type: 'object',
					required: ['error'],
					additionalProperties: false,
					properties: {
						error: {
							type: 'object',
							required: ['status', 'code', 'message', 'messageVi'],
							additionalProperties: false,
							properties: {
								status: { type: 'integer' },
								code: { type: 'string', description: 'Stable machine-readable code.' },
								message: { type: 'string', description: 'English.' },
								messageVi: { type: 'string', description: 'Vietnamese.' },
							},
						},
					},
				},
				Figures: figuresSchema(`Counted within the period.${notAdditive}`, PERIOD_METRICS),
				Cumulative: figuresSchema('Counted from the start up to the end of the period.', CUMULATIVE_METRICS),
				Population: {
					type: ['object', 'null'],
					description: 'Adult population entered by the province (newest figure dated by the end of the period); null when missing.',
					required: ['adults', 'source', 'asOf'],
					additionalProperties: false,
					properties: { adults: integer, source: { type: 'string' }, asOf: { type: 'string', description: 'YYYY-MM-DD' } },
				},
				TargetStatus: {
					type: 'object',
					required: ['indicator', 'target', 'actual', 'expected', 'rag'],
					additionalProperties: false,
					properties: {
						indicator: { type: 'string', enum: TARGET_INDICATORS },
						target: { type: 'number', description: 'Yearly target (coverage in %, others as counts).' },
						actual: { type: ['number', 'null'] },
						expected: { type: 'number', description: 'Share of the yearly target expected by the end of the period (pro rata by month).' },
						rag: { type: ['string', 'null'], enum: ['red', 'amber', 'green', null] },
					},
				},
				Row: {
					type: 'object',
					required: ['communeCode', 'communeName', 'period', 'figures', 'cumulative', 'population', 'coverage', 'targets'],
					additionalProperties: false,
					properties: {
						communeCode: { type: 'string', pattern: '^\\d{5}$' },
						communeName: { type: 'string' },
						period,
						figures: { $ref: '#/components/schemas/Figures' },
						cumulative: { $ref: '#/components/schemas/Cumulative' },
						population: { $ref: '#/components/schemas/Population' },
						coverage: { type: ['number', 'null'], description: 'Cumulative basic skills / adult population, in % (one decimal); null without a population.' },
						targets: { type: 'array', items: { $ref: '#/components/schemas/TargetStatus' } },
					},
				},
				Total: {
					type: 'object',
					required: ['period', 'figures', 'cumulative', 'adultPopulation', 'coverage', 'targets'],
					additionalProperties: false,
					properties: {
						period,
						figures: { $ref: '#/components/schemas/Figures' },
						cumulative: { $ref: '#/components/schemas/Cumulative' },
						adultPopulation: { type: ['integer', 'null'], description: 'Sum over the communes that have a population figure.' },
						coverage: { type: ['number', 'null'] },
						targets: { type: 'array', items: { $ref: '#/components/schemas/TargetStatus' } },
					},
				},
				BreakdownRow: {
					type: 'object',
					required: ['communeCode', 'period', 'value', ...PERIOD_METRICS],
					additionalProperties: false,
					properties: {
						communeCode: { type: 'string' },
						period,
						value: {
							type: 'string',
							description:
								"The attribute's value ('' when not recorded), e.g. FEMALE, 25-39, an ethnic group code ('not-stated' when the person preferred not to say), RESIDENT.",
						},
						...Object.fromEntries(
							PERIOD_METRICS.map((m) => [m, { type: ['integer', 'null'], minimum: 0, description: 'null: withheld (listed in `suppressed`).' }]),
						),
						suppressed: {
							type: 'array',
							items: { type: 'string', enum: PERIOD_METRICS },
							description:
								'Ethnic-group breakdowns only (sensitive personal data, Decree 13/2023): the metrics withheld in this row, because the ' +
								'count is below `suppressedBelow` or would let a withheld count be worked out from the commune total. Absent when none is.',
						},
					},
				},
				IndicatorReport: {
					type: 'object',
					required: ['dataSet', 'provinceCode', 'granularity', 'from', 'to', 'periods', 'courses', 'rows', 'totals'],
					additionalProperties: false,
					properties: {
						dataSet: { type: 'string', const: 'HVS_DIGITAL_LITERACY' },
						provinceCode: { type: 'string', pattern: '^\\d{2}$' },
						granularity: { type: 'string', enum: GRANULARITIES },
						from: { ...month, description: 'First month, widened to whole periods.' },
						to: { ...month, description: 'Last month, widened to whole periods.' },
						periods: { type: 'array', items: period },
						courses: {
							type: 'array',
							items: {
								type: 'object',
								required: ['id', 'title', 'core'],
								additionalProperties: false,
								properties: {
									id: { type: 'string' },
									title: { type: 'string' },
									core: { type: 'boolean', description: 'Counts towards basic digital skills.' },
								},
							},
						},
						rows: {
							type: 'array',
							description: 'One row per commune and period; communes in code order, periods in time order.',
							items: { $ref: '#/components/schemas/Row' },
						},
						totals: { type: 'array', description: 'The province (or the selected communes) per period.', items: { $ref: '#/components/schemas/Total' } },
						breakdown: {
							type: 'object',
							required: ['by', 'rows'],
							additionalProperties: false,
							properties: {
								by: { type: 'string', enum: BREAKDOWNS },
								suppressedBelow: {
									type: 'integer',
									minimum: 2,
									description:
										'Ethnic-group breakdowns only: counts from 1 to this minus one are withheld (null), with a complementary cell per commune and period.',
								},
								rows: { type: 'array', items: { $ref: '#/components/schemas/BreakdownRow' } },
							},
						},
					},
				},
			},
		},
	}
}
