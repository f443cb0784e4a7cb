/**
 * The classic Hopfield network's stored patterns, read back from its energy. The energy itself
 * (`hopfield.store`, Hebb's and Storkey's rules) sits in the energy catalogue, src/energy/hopfield.ts, so
 * that `energy.fromDescription` rebuilds a saved one; it is re-exported here.
 *
 * @module
 */
import { rangeError } from '../check/index.js'
import { type Energy } from '../energy/index.js'
import { checkPatterns, type Patterns } from '../energy/patterns.js'

export { store, couplings, rules, type Rule } from '../energy/hopfield.js'

/**
 * The patterns a Hopfield energy stores (from its description), as one row-major array.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { store, storedPatterns } from './store.js'
 * assert.equal(storedPatterns(store([[1, -1, 1]]), 'hopfield.retrieve: energy').dimension, 3)
 */
export const storedPatterns = (e: Energy, where: string): Patterns => {
  const d = e.description as { name?: string; patterns?: number[][] }
  if (d?.name !== 'hopfield' || !Array.isArray(d.patterns)) throw rangeError(where, 'a Hopfield network (hopfield.store)', `energy '${e.name}'`)
  return checkPatterns(d.patterns, where, true)
}
