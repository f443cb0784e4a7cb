/**
 * What a sampler reports at one step, the input of the chain-health diagnostics and their stream operators.
 *
 * @module
 */

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
 * const s: Snapshot = {
 *   step: 10, chains: 2, dimension: 2,
 *   positions: new Float64Array([0.1, 0.2, -0.3, 0.4]),
 *   energies: new Float64Array([0.025, 0.125]),
 * }
 */
export interface Snapshot {
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
 * caller, for the message. Returns the snapshot.
 *
 * @example
 * diagnostics.checkSnapshot('stagnation', { step: 0, chains: 1, dimension: 1, positions: new Float64Array([0]), energies: new Float64Array([0]) })
 */
export const checkSnapshot = (name: string, s: Snapshot): Snapshot => {
  const expect = (field: string, array: Float64Array | undefined, length: number, what: string) => {
    if (array !== undefined && array.length !== length) {
      throw new Error(`${name}: snapshot at step ${s.step} has ${array.length} ${field}; ${what} need ${length}`)
    }
  }
  if (!(Number.isInteger(s.chains) && s.chains > 0 && Number.isInteger(s.dimension) && s.dimension > 0)) {
    throw new Error(`${name}: snapshot at step ${s.step} has ${s.chains} chains × ${s.dimension} dimensions; expected positive integers`)
  }
  expect('positions', s.positions, s.chains * s.dimension, `${s.chains} chains × ${s.dimension} dimensions`)
  expect('energies', s.energies, s.chains, `${s.chains} chains`)
  expect('gradientNorms', s.gradientNorms, s.chains, `${s.chains} chains`)
  expect('accepted', s.accepted, s.chains, `${s.chains} chains`)
  return s
}
