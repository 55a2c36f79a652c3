// Digital Bazaar's W3C Bitstring Status List library ships no types: what the credential tests use.
declare module '@digitalbazaar/vc-bitstring-status-list' {
	export interface BitstringStatusList {
		length: number
		getStatus(index: number): boolean
	}
	export function decodeList(options: { encodedList: string }): Promise<BitstringStatusList>
	export function checkStatus(options: {
		credential: unknown
		documentLoader: (url: string) => Promise<{ document: unknown; documentUrl?: string; contextUrl?: string | null }>
		suite?: unknown
		verifyBitstringStatusListCredential?: boolean
		verifyMatchingIssuers?: boolean
	}): Promise<{ verified: boolean; error?: Error; results?: { verified: boolean; status: boolean }[] }>
}
