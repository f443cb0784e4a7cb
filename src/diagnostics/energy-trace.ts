/**
 * Energy traces: each chain's energy over time.
 *
 * @module
 */
import { array, rangeError, typeError } from '../check/index.js'

/**
 * Turns energies over time (one array of per-chain energies per step) into one trace per chain, the
 * shape the convergence diagnostics take: `rhat(energyTraces(e))` asks whether the chains agree on the
 * energy, a trend in a trace says the chains are still burning in.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * assert.deepEqual(diagnostics.energyTraces([[1, 5], [2, 6], [3, 7]]), [new Float64Array([1, 2, 3]), new Float64Array([5, 6, 7])])
 */
export const energyTraces = (energiesOverTime: ReadonlyArray<ArrayLike<number>>): Float64Array[] => {
  const where = 'energyTraces: energiesOverTime'
  if (!Array.isArray(energiesOverTime)) throw typeError(where, 'an array of steps', energiesOverTime)
  if (energiesOverTime.length === 0) throw rangeError(where, 'at least one step', energiesOverTime)
  const chains = array(energiesOverTime[0], `${where}[0]`).length
  energiesOverTime.forEach((e, t) => array(e, `${where}[${t}]`, { length: chains, lengthReason: `the ${chains} chains of step 0` }))
  return Array.from({ length: chains }, (_, c) => Float64Array.from(energiesOverTime, (e) => e[c]))
}
