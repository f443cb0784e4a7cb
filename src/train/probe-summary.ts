/**
 * What the long-run probe reports about a set of energies and a set of points: the energies' mean and
 * quantiles, the fraction below a threshold, and a histogram's KL against densities on a grid.
 *
 * @module
 */
import { mean, quantile, sorted } from '../diagnostics/draws.js'
import { type Grid, histogram, kl } from '../energy/grid.js'

/** The mean, least value and quantiles (R's type 7) of a set of energies. */
export interface EnergySummary {
  readonly count: number
  readonly mean: number
  readonly min: number
  readonly q01: number
  readonly q25: number
  readonly median: number
  readonly q75: number
  readonly q99: number
}

/**
 * The summary of finite energies (NaN throughout for none).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { summariseEnergies } from './probe-summary.js'
 * const s = summariseEnergies(Float64Array.of(4, 1, 3, 2, 5))
 * assert.deepEqual([s.count, s.mean, s.min, s.q25, s.median, s.q75], [5, 3, 1, 2, 3, 4])
 */
export const summariseEnergies = (energies: Float64Array): EnergySummary => {
  const s = sorted(energies)
  const at = (p: number) => (s.length === 0 ? NaN : quantile(s, p))
  return { count: s.length, mean: s.length === 0 ? NaN : mean(s), min: s.length === 0 ? NaN : s[0], q01: at(0.01), q25: at(0.25), median: at(0.5), q75: at(0.75), q99: at(0.99) }
}

/**
 * The quantile `p` of values (R's type 7).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { energyQuantile } from './probe-summary.js'
 * assert.equal(energyQuantile(Float64Array.of(3, 1, 2, 4), 0.5), 2.5)
 */
export const energyQuantile = (values: Float64Array, p: number): number => quantile(sorted(values), p)

/**
 * The fraction of `values` strictly below `threshold`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { fractionBelow } from './probe-summary.js'
 * assert.equal(fractionBelow(Float64Array.of(-3, 0, 1, 2), 1), 0.5)
 */
export const fractionBelow = (values: Float64Array, threshold: number): number => values.reduce((n, v) => n + (v < threshold ? 1 : 0), 0) / values.length

/** A histogram's KL divergences against densities on its grid. */
export interface HistogramKL {
  /** KL(histogram ‖ data density); null without a data density. */
  readonly data: number | null
  /** KL(histogram ‖ exp(−E)/Z of the model on the grid). */
  readonly model: number
  /** The fraction of points outside the grid, left out of both. */
  readonly outside: number
  /** Points counted, inside and outside. */
  readonly points: number
}

/**
 * The histogram of `points` on the model's grid and its KL against the model's density and, when given,
 * the data's (which must be on the same grid). The histogram comes first in the KL: cells it leaves
 * empty add nothing (so a finite sample gives a finite value), and mass it puts where a density has
 * almost none costs much, which is what a ravine does.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { evaluate } from '../energy/grid.js'
 * import { gaussian } from '../energy/index.js'
 * import { histogramKL } from './probe-summary.js'
 * const model = evaluate(gaussian({ mean: [0] }), { bounds: [[-2, 2]], n: 2 })
 * const r = histogramKL(Float64Array.of(-1, 1, 3), model, null)
 * assert.ok(Math.abs(r.model) < 1e-12) // one point in each half, as the model's halves
 * assert.equal(r.outside, 1 / 3)
 * assert.ok(Number.isNaN(histogramKL(Float64Array.of(5), model, null).model)) // nothing on the grid
 */
export const histogramKL = (points: Float64Array, model: Grid, data: Grid | null): HistogramKL => {
  const d = model.bounds.length
  const count = points.length / d
  const inside = Array.from({ length: count }, (_v, p) => model.bounds.every(([lo, hi], a) => points[p * d + a] >= lo && points[p * d + a] <= hi)).filter(Boolean).length
  // No point on the grid: no histogram, so no divergence.
  if (inside === 0) return { data: data === null ? null : NaN, model: NaN, outside: 1, points: count }
  const h = histogram(points, { bounds: model.bounds, n: model.n })
  return { data: data === null ? null : kl(h, data), model: kl(h, model), outside: (h.outside ?? 0) / count, points: count }
}
