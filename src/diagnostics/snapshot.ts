/**
 * What a sampler reports at one step, the input of the chain-health diagnostics and their stream operators.
 *
 * @module
 */
import { array, object, positiveInteger, rangeError } from '../check/index.js'

/**
 * The state of a batch of chains after one sampler step.
 *
 * - `positions`: row-major [chains × dimension], chain c at `positions[c·dimension … (c+1)·dimension)`.
 * - `energies`: E(x_c) of each chain's position.
 * - `gradientNorms`: ‖∇E(x_c)‖ of each chain, when the sampler computed gradients.
 * - `accepted`: per chain, 1 or 0 for an accepted or rejected Metropolis proposal, or the acceptance
 *   probability, when the sampler has a correction step.
 * - `dataEnergies`: energies of a batch of data under the same parameters, when training, for the
 *   energy gap d_t.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const s: ChainSnapshot = {
 *   step: 10, chains: 2, dimension: 2,
 *   positions: new Float64Array([0.1, 0.2, -0.3, 0.4]),
 *   energies: new Float64Array([0.025, 0.125]),
 * }
 * assert.equal(checkSnapshot('mine', s), s) // whole: one energy a chain, chains × dimension positions
 */
export interface ChainSnapshot {
  readonly step: number
  readonly chains: number
  readonly dimension: number
  readonly positions: Float64Array
  readonly energies: Float64Array
  readonly gradientNorms?: Float64Array
  readonly accepted?: Float64Array
  readonly dataEnergies?: Float64Array
}

/**
 * Checks that a snapshot's arrays have the lengths its `chains` and `dimension` promise; `name` is the
 * caller, for the message. Returns the snapshot. The arrays are not copied: this runs on every snapshot
 * of a stream.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkSnapshot } from './snapshot.js'
 * const s = { step: 3, chains: 2, dimension: 2, positions: new Float64Array(4), energies: new Float64Array(2) }
 * assert.equal(checkSnapshot('rollingStagnation', s), s)
 * assert.throws(() => checkSnapshot('rollingStagnation', { ...s, energies: new Float64Array(3) }), { name: 'RangeError', message: 'rollingStagnation: snapshot at step 3: energies: has 3 values; 2 chains need 2' })
 */
export const checkSnapshot = (name: string, s: ChainSnapshot): ChainSnapshot => {
  const where = `${name}: snapshot`
  object(s, where)
  const at = `${where} at step ${String(s.step)}`
  const chains = positiveInteger(s.chains, `${at}: chains`)
  const dimension = positiveInteger(s.dimension, `${at}: dimension`)
  const perChain = { length: chains, lengthReason: `${chains} chains` }
  array(s.positions, `${at}: positions`, { length: chains * dimension, lengthReason: `${chains} chains × ${dimension} dimensions` })
  array(s.energies, `${at}: energies`, perChain)
  for (const key of ['gradientNorms', 'accepted'] as const) if (s[key] !== undefined) array(s[key], `${at}: ${key}`, perChain)
  return s
}

/**
 * The number of chains in row-major values [chains × dimension] (positions, gradients), after checking
 * that `dimension` is a positive integer and that the values split into whole chains of it.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { chainCount } from './snapshot.js'
 * assert.equal(chainCount('gradientNorms', 'gradients', new Float64Array(6), 2), 3)
 * assert.throws(() => chainCount('gradientNorms', 'gradients', new Float64Array(5), 2), { name: 'RangeError', message: 'gradientNorms: gradients: expected a multiple of 2 values (chains of dimension 2), got a Float64Array of length 5' })
 */
export const chainCount = (name: string, label: string, values: ArrayLike<number>, dimension: number): number => {
  const d = positiveInteger(dimension, `${name}: dimension`)
  const v = array(values, `${name}: ${label}`)
  if (v.length % d !== 0) throw rangeError(`${name}: ${label}`, `a multiple of ${d} values (chains of dimension ${d})`, v)
  return v.length / d
}
