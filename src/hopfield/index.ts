/**
 * Hopfield networks: the classic one over spins (`hopfield.store` with Hebb's or Storkey's rule) and the
 * modern one over real vectors (`hopfield.modern`, `hopfield.update`).
 *
 * @module
 */
export { store, couplings, rules, storedPatterns, type Rule } from './store.js'
export { modern, update, type ModernOptions } from './modern.js'
export { type Patterns } from '../energy/patterns.js'
export { retrieve, type Retrieval, type RetrieveOptions, type Ending } from './retrieve.js'
export { retrievalRate, type RetrievalRateOptions } from './capacity.js'
