/**
 * Stagnation: chains that stopped moving.
 *
 * @module
 */

/**
 * The indices of chains whose every coordinate stayed within `tolerance` of where it was at the first
 * of the given steps (positions over time, each row-major [chains × dimension]). With the default
 * tolerance 0 these are chains that did not move at all: a Metropolis sampler rejecting every proposal,
 * or a chain frozen in a flat region (zero gradient, zero noise). Needs at least two steps.
 *
 * @example
 * diagnostics.stagnantChains([new Float64Array([0, 0, 1, 1]), new Float64Array([0, 0, 1.5, 1])], 2) // [0]
 */
export const stagnantChains = (
  positionsOverTime: ReadonlyArray<Float64Array>,
  dimension: number,
  tolerance = 0,
): number[] => {
  if (positionsOverTime.length < 2) {
    throw new Error(`stagnantChains: ${positionsOverTime.length} steps given; at least 2 are needed to see movement`)
  }
  const first = positionsOverTime[0]
  if (!(Number.isInteger(dimension) && dimension > 0) || first.length % dimension !== 0) {
    throw new Error(`stagnantChains: ${first.length} position values do not split into chains of dimension ${dimension}`)
  }
  positionsOverTime.forEach((p, t) => {
    if (p.length !== first.length) throw new Error(`stagnantChains: step ${t} has ${p.length} position values; step 0 has ${first.length}`)
  })
  const chains = first.length / dimension
  const moved = new Uint8Array(chains)
  for (const p of positionsOverTime) {
    for (let i = 0; i < p.length; i++) {
      // NaN positions count as moved: they are the non-finite check's business
      if (!(Math.abs(p[i] - first[i]) <= tolerance)) moved[Math.floor(i / dimension)] = 1
    }
  }
  return Array.from({ length: chains }, (_, c) => c).filter((c) => moved[c] === 0)
}
