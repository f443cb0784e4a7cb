/**
 * Acceptance rates of Metropolis-corrected samplers.
 *
 * @module
 */
import { array, probability, rangeError, typeError } from '../check/index.js'

/**
 * Each chain's acceptance rate over the given steps (one array of per-chain 0/1 decisions or acceptance
 * probabilities per step). MALA is tuned for about 0.57 and HMC for about 0.65 (0.8 in Stan); a rate
 * near 0 means the step is too large and the chain is stuck, near 1 that it is too small and the chain
 * crawls.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * assert.deepEqual(diagnostics.acceptanceRates([[1, 0], [1, 1], [0, 1], [1, 0]]), new Float64Array([0.75, 0.5]))
 */
export const acceptanceRates = (acceptedOverTime: ReadonlyArray<ArrayLike<number>>): Float64Array => {
  const where = 'acceptanceRates: acceptedOverTime'
  if (!Array.isArray(acceptedOverTime)) throw typeError(where, 'an array of steps', acceptedOverTime)
  if (acceptedOverTime.length === 0) throw rangeError(where, 'at least one step', acceptedOverTime)
  const chains = array(acceptedOverTime[0], `${where}[0]`).length
  const rates = new Float64Array(chains)
  acceptedOverTime.forEach((step, t) => {
    const a = array(step, `${where}[${t}]`, { length: chains, lengthReason: `the ${chains} chains of step 0` })
    for (let c = 0; c < chains; c++) rates[c] += probability(a[c], `${where}[${t}][${c}]`) / acceptedOverTime.length
  })
  return rates
}
