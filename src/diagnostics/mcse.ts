/**
 * Monte Carlo standard errors: how far an estimate from these draws may be from its limit.
 *
 * @module
 */
import { probability } from '../check/index.js'
import { betaQuantile } from './beta.js'
import { checkDraws, mean, pool, sorted, splitChains, variance, type Draws } from './draws.js'
import { essOfChains, essQuantileOfChains, squaredDeviations } from './ess.js'

/**
 * MCSE of the mean: sd / √(ESS of the mean).
 *
 * @example
 * import assert from 'node:assert/strict'
 * const draws = [0, 1, 2, 3].map((chain) => rng.normals(5, chain, 0, 1000)) // 4 chains of 1000 independent N(0, 1) draws
 * // σ/√N = 1/√4000 ≈ 0.0158 for independent draws; the estimate from these, to the digits shown:
 * assert.equal(diagnostics.mcseMean(draws).toFixed(4), '0.0164')
 */
export const mcseMean = (draws: Draws): number => {
  const chains = checkDraws('mcseMean', draws)
  return Math.sqrt(variance(pool(chains)) / essOfChains(splitChains(chains)))
}

/**
 * MCSE of the standard deviation (posterior ≥ 1.5): the variance of the variance estimate by Kenney and
 * Keeping (1951), (m₄ − m₂²)/ESS with ESS that of the squared deviations, which assumes no normality,
 * carried to the sd by the first-order Taylor expansion Var(sd) ≈ Var(var)/(4·var).
 *
 * @example
 * import assert from 'node:assert/strict'
 * const draws = [0, 1, 2, 3].map((chain) => rng.normals(5, chain, 0, 1000)) // 4 chains of 1000 independent N(0, 1) draws
 * // σ/√(2N) ≈ 0.0112 for independent normal draws; the estimate from these, to the digits shown:
 * assert.equal(diagnostics.mcseSd(draws).toFixed(4), '0.0111')
 */
export const mcseSd = (draws: Draws): number => {
  const squares = squaredDeviations(checkDraws('mcseSd', draws))
  const ess = essOfChains(splitChains(squares))
  const all = pool(squares)
  const secondMoment = mean(all)
  const fourthMoment = mean(all.map((s) => s * s))
  return Math.sqrt((fourthMoment - secondMoment * secondMoment) / ess / secondMoment / 4)
}

// The normal probabilities Φ(−1) and Φ(1) (to posterior's 7 digits): a ±1 sd interval.
const oneSigma = [0.1586553, 0.8413447] as const

/** MCSE of the quantile at prob for checked chains. */
const mcseQuantileOfChains = (chains: readonly Float64Array[], prob: number): number => {
  const ess = essQuantileOfChains(chains, prob)
  if (Number.isNaN(ess)) return NaN
  const s = sorted(pool(chains))
  const S = s.length
  const a = oneSigma.map((p) => betaQuantile(p, ess * prob + 1, ess * (1 - prob) + 1))
  // 1-based order statistics as in posterior: floor and ceiling widen the interval to whole draws.
  const low = s[Math.max(Math.floor(a[0] * S), 1) - 1]
  const high = s[Math.min(Math.ceil(a[1] * S), S) - 1]
  return (high - low) / 2
}

/**
 * MCSE of the quantile at `prob`: half the width of the ±1 sd interval of the quantile, found by
 * mapping a Beta(ESS·p + 1, ESS·(1 − p) + 1) interval of probabilities onto order statistics of the
 * draws (Vehtari et al. 2021, section 4.3). NaN when the quantile's ESS is NaN.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const draws = [0, 1, 2, 3].map((chain) => rng.normals(5, chain, 0, 1000)) // 4 chains of 1000 independent N(0, 1) draws
 * // √(p(1 − p)/N)/φ(q) ≈ 0.0215 at p = ¼ for independent normal draws; the estimate from these, to the digits shown:
 * assert.equal(diagnostics.mcseQuantile(draws, 0.25).toFixed(4), '0.0197')
 */
export const mcseQuantile = (draws: Draws, prob: number): number => {
  const p = probability(prob, 'mcseQuantile: prob')
  return mcseQuantileOfChains(checkDraws('mcseQuantile', draws), p)
}

/**
 * MCSE of the median.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const draws = [0, 1, 2, 3].map((chain) => rng.normals(5, chain, 0, 1000)) // 4 chains of 1000 independent N(0, 1) draws
 * assert.equal(diagnostics.mcseMedian(draws), diagnostics.mcseQuantile(draws, 0.5))
 */
export const mcseMedian = (draws: Draws): number => mcseQuantileOfChains(checkDraws('mcseMedian', draws), 0.5)
