/**
 * The standard normal tail, for the z-tests of the kit.
 *
 * @module
 */

/**
 * erfc(x) for x ≥ 0 by the Chebyshev fit of Numerical Recipes (erfcc), relative error below 1.2e-7
 * everywhere: ample for p-values compared with levels of 1e-4 and above.
 */
const erfc = (x: number): number => {
  const t = 1 / (1 + 0.5 * x)
  const poly = -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  return t * Math.exp(poly)
}

/**
 * The two-sided p-value of a z-score, P(|Z| ≥ |z|) = erfc(|z|/√2); NaN gives 0 (a check that produced
 * NaN fails).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { twoSided } from './normal.js'
 * assert.ok(Math.abs(twoSided(1.959963984540054) - 0.05) < 1e-8)
 * assert.equal(twoSided(NaN), 0)
 */
export const twoSided = (z: number): number => (Number.isNaN(z) ? 0 : Math.min(1, erfc(Math.abs(z) / Math.SQRT2)))
