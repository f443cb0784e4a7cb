/**
 * Rank normalisation and folding (Vehtari et al. 2021, section 4).
 *
 * @module
 */
import { mapDraws, median, pool } from './draws.js'
import { normalQuantile } from './normal.js'

/**
 * Ranks of all draws pooled over chains, ties given their average rank (R's `rank(ties = 'average')`),
 * 1-based, in the pooled order.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { averageRanks } from './rank.js'
 * assert.deepEqual(averageRanks(new Float64Array([10, 30, 20, 20])), new Float64Array([1, 4, 2.5, 2.5]))
 */
export const averageRanks = (x: Float64Array): Float64Array => {
  const n = x.length
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => x[i] - x[j])
  const ranks = new Float64Array(n)
  for (let start = 0; start < n; ) {
    let end = start + 1
    while (end < n && x[order[end]] === x[order[start]]) end++
    const rank = (start + 1 + end) / 2 // average of the 1-based ranks start + 1 … end
    for (let k = start; k < end; k++) ranks[order[k]] = rank
    start = end
  }
  return ranks
}

/**
 * Rank-normalises draws: each draw becomes Φ⁻¹((r − 3/8)/(S + 1/4)) with r its average rank among all
 * S draws (Blom's offset, as posterior's `z_scale`). Keeps the chain structure.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { normalQuantile } from './normal.js'
 * import { zScale } from './rank.js'
 * const [z] = zScale([new Float64Array([5, 1, 3])])
 * // ranks 3, 1, 2 of S = 3 draws: Φ⁻¹((r − 3/8)/(S + 1/4))
 * assert.deepEqual(z, new Float64Array([normalQuantile(2.625 / 3.25), normalQuantile(0.625 / 3.25), 0]))
 */
export const zScale = (chains: readonly Float64Array[]): Float64Array[] => {
  const ranks = averageRanks(pool(chains))
  const S = ranks.length
  const n = chains[0].length
  return chains.map((_, c) => {
    const z = new Float64Array(n)
    for (let i = 0; i < n; i++) z[i] = normalQuantile((ranks[c * n + i] - 3 / 8) / (S - 2 * (3 / 8) + 1))
    return z
  })
}

/**
 * Folds draws around their pooled median, |x − median|, so that R-hat and ESS see the tails.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { fold } from './rank.js'
 * assert.deepEqual(fold([new Float64Array([1, 2, 6])]), [new Float64Array([1, 0, 4])])
 */
export const fold = (chains: readonly Float64Array[]): Float64Array[] => {
  const m = median(pool(chains))
  return mapDraws(chains, (x) => Math.abs(x - m))
}
