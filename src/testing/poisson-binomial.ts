/**
 * The law of a sum of independent Bernoulli trials with unequal probabilities (the Poisson binomial), for
 * exact tests of accept decisions: a z-test of such a sum is far from its level when the variance is
 * small (most αs near 0 or 1), where the sum is skewed.
 *
 * @module
 */

/** P(S = k), k = 0 … m, of S = Σ Bernoulli(pᵢ), by adding one trial at a time (O(m²), exact to rounding). */
export const poissonBinomial = (p: ArrayLike<number>): Float64Array => {
  const f = new Float64Array(p.length + 1)
  f[0] = 1
  for (let i = 0; i < p.length; i++) {
    const q = p[i]
    for (let k = i + 1; k > 0; k--) f[k] = f[k] * (1 - q) + f[k - 1] * q
    f[0] *= 1 - q
  }
  return f
}

/**
 * The exact two-sided p-value of s successes in trials of probabilities p: P(|S − ES| ≥ |s − ES|).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { poissonBinomialTest } from './poisson-binomial.js'
 * // Binomial(4, ½): P(S = 0) = P(S = 4) = 1/16
 * assert.equal(poissonBinomialTest([0.5, 0.5, 0.5, 0.5], 4), 1 / 8)
 * // certain trials: any other count is impossible
 * assert.equal(poissonBinomialTest([1, 1, 0], 1), 0)
 */
export const poissonBinomialTest = (p: ArrayLike<number>, s: number): number => {
  const f = poissonBinomial(p)
  let mean = 0
  for (let i = 0; i < p.length; i++) mean += p[i]
  // counts as far from the mean as s, up to rounding of the mean's sum
  const far = Math.abs(s - mean) - 1e-9 * Math.max(1, mean)
  let pValue = 0
  for (let k = 0; k < f.length; k++) if (Math.abs(k - mean) >= far) pValue += f[k]
  return Math.min(1, pValue)
}
