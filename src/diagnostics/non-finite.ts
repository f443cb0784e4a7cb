/**
 * Non-finite chains.
 *
 * @module
 */
import { array } from '../check/index.js'
import { chainCount } from './snapshot.js'

/**
 * The indices of chains with a NaN or infinite coordinate (positions row-major [chains × dimension]) or,
 * when given, energy. Such a chain has diverged, usually because the step size exceeds 2/λ_max (see
 * `langevinStability`), and it poisons every average it enters.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * assert.deepEqual(diagnostics.nonFiniteChains(new Float64Array([0, 1, NaN, 2]), 2), [1])
 */
export const nonFiniteChains = (positions: Float64Array, dimension: number, energies?: ArrayLike<number>): number[] => {
  const chains = chainCount('nonFiniteChains', 'positions', positions, dimension)
  if (energies !== undefined) array(energies, 'nonFiniteChains: energies', { length: chains, lengthReason: `${chains} chains` })
  return Array.from({ length: chains }, (_, c) => c).filter(
    (c) =>
      (energies !== undefined && !Number.isFinite(energies[c])) ||
      !positions.subarray(c * dimension, (c + 1) * dimension).every(Number.isFinite),
  )
}
