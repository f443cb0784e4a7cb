/**
 * Stagnation: chains that stopped moving.
 *
 * @module
 */
import { array, nonNegative, rangeError, typeError } from '../check/index.js'
import { chainCount } from './snapshot.js'

/**
 * The indices of chains whose every coordinate stayed within `tolerance` of where it was at the first
 * of the given steps (positions over time, each row-major [chains × dimension]). With the default
 * tolerance 0 these are chains that did not move at all: a Metropolis sampler rejecting every proposal,
 * or a chain frozen in a flat region (zero gradient, zero noise). Needs at least two steps.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * assert.deepEqual(diagnostics.stagnantChains([new Float64Array([0, 0, 1, 1]), new Float64Array([0, 0, 1.5, 1])], 2), [0])
 */
export const stagnantChains = (
  positionsOverTime: ReadonlyArray<Float64Array>,
  dimension: number,
  tolerance = 0,
): number[] => {
  const where = 'stagnantChains: positionsOverTime'
  if (!Array.isArray(positionsOverTime)) throw typeError(where, 'an array of steps', positionsOverTime)
  if (positionsOverTime.length < 2) throw rangeError(where, 'at least 2 steps (to see movement)', positionsOverTime)
  nonNegative(tolerance, 'stagnantChains: tolerance')
  const first = positionsOverTime[0]
  const chains = chainCount('stagnantChains', 'positionsOverTime[0]', first, dimension)
  positionsOverTime.forEach((p, t) => array(p, `${where}[${t}]`, { length: first.length, lengthReason: `the ${chains} chains × ${dimension} dimensions of step 0` }))
  const moved = new Uint8Array(chains)
  for (const p of positionsOverTime) {
    for (let i = 0; i < p.length; i++) {
      // NaN positions count as moved: they are the non-finite check's business
      if (!(Math.abs(p[i] - first[i]) <= tolerance)) moved[Math.floor(i / dimension)] = 1
    }
  }
  return Array.from({ length: chains }, (_, c) => c).filter((c) => moved[c] === 0)
}
