/**
 * Acceptance rates of Metropolis-corrected samplers.
 *
 * @module
 */

/**
 * Each chain's acceptance rate over the given steps (one array of per-chain 0/1 decisions or acceptance
 * probabilities per step). MALA is tuned for about 0.57 and HMC for about 0.65 (0.8 in Stan); a rate
 * near 0 means the step is too large and the chain is stuck, near 1 that it is too small and the chain
 * crawls.
 *
 * @example
 * diagnostics.acceptanceRates([[1, 0], [1, 1], [0, 1], [1, 0]]) // Float64Array [0.75, 0.5]
 */
export const acceptanceRates = (acceptedOverTime: ReadonlyArray<ArrayLike<number>>): Float64Array => {
  if (acceptedOverTime.length === 0) throw new Error('acceptanceRates: no steps given')
  const chains = acceptedOverTime[0].length
  const rates = new Float64Array(chains)
  acceptedOverTime.forEach((a, t) => {
    if (a.length !== chains) throw new Error(`acceptanceRates: step ${t} has ${a.length} values; step 0 has ${chains} (one per chain)`)
    for (let c = 0; c < chains; c++) {
      if (!(a[c] >= 0 && a[c] <= 1)) throw new Error(`acceptanceRates: step ${t}, chain ${c} is ${a[c]}; expected a value in [0, 1]`)
      rates[c] += a[c] / acceptedOverTime.length
    }
  })
  return rates
}
