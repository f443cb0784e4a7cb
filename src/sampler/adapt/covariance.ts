/**
 * The mass matrix estimate of a slow window: Welford's running mean and (co)variance of the window's draws,
 * pooled over every chain (each chain's position at each step is one draw), regularised as Stan does:
 * Σ̂ = n/(n + 5)·S + 10⁻³·5/(n + 5)·I, shrinking toward a small multiple of the identity when the window
 * holds few draws.
 *
 * @module
 */

/** Welford's accumulator of D-dimensional draws: count, mean and the sums of squared deviations. */
export interface Welford {
  readonly dense: boolean
  readonly dimension: number
  readonly count: number
  readonly mean: Float64Array
  /** Σ (x − x̄)(x − x̄)ᵀ: D numbers (diagonal) or D × D (dense). */
  readonly squares: Float64Array
}

/**
 * An empty accumulator of draws of `dimension` numbers, of variances or (dense) of the full covariance.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { welford } from './covariance.js'
 * assert.equal(welford(3, true).squares.length, 9)
 */
export const welford = (dimension: number, dense: boolean): Welford => ({
  dense,
  dimension,
  count: 0,
  mean: new Float64Array(dimension),
  squares: new Float64Array(dense ? dimension * dimension : dimension),
})

/**
 * The accumulator with the rows of `draws` ([rows × D], row-major) added, one draw a row, except the rows
 * where `use` (when given) is 0 (chains that are no longer finite).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { welford, accumulate } from './covariance.js'
 * const w = accumulate(welford(1, false), new Float64Array([1, 2, 3, 6]))
 * assert.deepEqual([w.count, w.mean[0], w.squares[0]], [4, 3, 14])
 */
export const accumulate = (w: Welford, draws: ArrayLike<number>, use?: ArrayLike<number>): Welford => {
  const D = w.dimension
  const mean = Float64Array.from(w.mean)
  const squares = Float64Array.from(w.squares)
  const delta = new Float64Array(D)
  let count = w.count
  for (let r = 0; r * D < draws.length; r++) {
    if (use !== undefined && !use[r]) continue
    count++
    for (let j = 0; j < D; j++) {
      delta[j] = draws[r * D + j] - mean[j]
      mean[j] += delta[j] / count
    }
    // (x − old mean)(x − new mean)ᵀ: Welford's update of the sums of squares
    for (let i = 0; i < D; i++) {
      const after = draws[r * D + i] - mean[i]
      if (!w.dense) squares[i] += delta[i] * after
      else for (let j = 0; j < D; j++) squares[i * D + j] += delta[j] * after
    }
  }
  return { ...w, count, mean, squares }
}

/**
 * The regularised estimate of the inverse mass matrix: n/(n + 5)·S + 10⁻³·5/(n + 5)·I with S the sample
 * (co)variance (divisor n − 1), as D variances or a D × D matrix; undefined with fewer than 2 draws.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { welford, accumulate, regularised } from './covariance.js'
 * // draws 1, 2, 3, 6: S = 14/3, n = 4
 * const s = regularised(accumulate(welford(1, false), [1, 2, 3, 6]))
 * assert.ok(Math.abs(s![0] - ((4 / 9) * (14 / 3) + 1e-3 * (5 / 9))) < 1e-15)
 */
export const regularised = (w: Welford): number[] | undefined => {
  const n = w.count
  if (n < 2) return undefined
  const D = w.dimension
  const keep = n / (n + 5)
  const ridge = 1e-3 * (5 / (n + 5))
  return Array.from(w.squares, (s, k) => keep * (s / (n - 1)) + (!w.dense || k % (D + 1) === 0 ? ridge : 0))
}
