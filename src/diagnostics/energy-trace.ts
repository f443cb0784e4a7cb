/**
 * Energy traces: each chain's energy over time.
 *
 * @module
 */

/**
 * Turns energies over time (one array of per-chain energies per step) into one trace per chain, the
 * shape the convergence diagnostics take: `rhat(energyTraces(e))` asks whether the chains agree on the
 * energy, a trend in a trace says the chains are still burning in.
 *
 * @example
 * diagnostics.energyTraces([[1, 5], [2, 6], [3, 7]]) // [Float64Array [1, 2, 3], Float64Array [5, 6, 7]]
 */
export const energyTraces = (energiesOverTime: ReadonlyArray<ArrayLike<number>>): Float64Array[] => {
  if (energiesOverTime.length === 0) throw new Error('energyTraces: no steps given; expected at least one array of energies')
  const chains = energiesOverTime[0].length
  energiesOverTime.forEach((e, t) => {
    if (e.length !== chains) {
      throw new Error(`energyTraces: step ${t} has ${e.length} energies; step 0 has ${chains} (one per chain)`)
    }
  })
  return Array.from({ length: chains }, (_, c) => Float64Array.from(energiesOverTime, (e) => e[c]))
}
