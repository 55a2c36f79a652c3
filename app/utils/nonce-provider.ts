import { createContext, useContext } from 'react'

/** The per-response CSP nonce, so the few inline scripts Remix writes may run and nothing else. */
export const NonceContext = createContext<string>('')
export const NonceProvider = NonceContext.Provider
export const useNonce = () => useContext(NonceContext)
