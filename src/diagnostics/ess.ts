/**
 * Effective sample size (Vehtari et al. 2021; Geyer 1992).
 *
 * @module
 */
import { probability } from '../check/index.js'
import { autocovariance } from './autocorrelation.js'
import { checkDraws, isConstant, mapDraws, mean, pool, quantile, sorted, splitChains, splitOption, variance, type Draws, type SplitOptions } from './draws.js'
import { zScale } from './rank.js'

/**
 * ESS of chains as given (posterior's `.ess`): the multi-chain autocorrelation estimate truncated by
 * Geyer's initial positive sequence, made monotone, and capped at S·log10(S) draws so that
 * antithetic chains do not report absurd efficiency. NaN for constant draws and for chains of fewer
 * than 3 draws (so split chains need 6).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { normals } from '../rng/index.js'
 * import { essOfChains } from './ess.js'
 * // 1000 independent draws are worth about 1000; the estimate from these:
 * assert.equal(Math.round(essOfChains([normals(5, 0, 0, 1000)])), 936)
 * assert.ok(Number.isNaN(essOfChains([new Float64Array([2, 2, 2])]))) // constant draws say nothing about mixing
 */
export const essOfChains = (chains: readonly Float64Array[]): number => {
  const m = chains.length
  const n = chains[0].length
  if (n < 3 || isConstant(chains)) return NaN
  const covariances = chains.map(autocovariance)
  const acov = new Float64Array(n)
  for (const c of covariances) for (let k = 0; k < n; k++) acov[k] += c[k] / m
  const meanVariance = (acov[0] * n) / (n - 1)
  let varPlus = (meanVariance * (n - 1)) / n
  if (m > 1) varPlus += variance(chains.map(mean))
  const rho = new Float64Array(n)
  const correlation = (k: number) => 1 - (meanVariance - acov[k]) / varPlus
  // Geyer's initial positive sequence: sum pairs while their sum stays positive.
  let t = 0
  let even = 1
  let odd = correlation(1)
  rho[0] = even
  rho[1] = odd
  while (t < n - 5 && !Number.isNaN(even + odd) && even + odd > 0) {
    t += 2
    even = correlation(t)
    odd = correlation(t + 1)
    if (even + odd >= 0) {
      rho[t] = even
      rho[t + 1] = odd
    }
  }
  const maxT = t
  if (even > 0) rho[maxT] = even
  // Geyer's initial monotone sequence.
  for (t = 2; t <= maxT - 2; t += 2) {
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = (rho[t - 2] + rho[t - 1]) / 2
      rho[t + 1] = rho[t]
    }
  }
  // R's sum(rho[1:max_t]) reads rho[1] when max_t is 0; kept so short chains agree with posterior.
  let sum = maxT === 0 ? rho[0] : 0
  for (let k = 0; k < maxT; k++) sum += rho[k]
  const size = m * n
  // The improved estimate adds the last even term, which reduces variance for antithetic chains.
  const tau = Math.max(-1 + 2 * sum + rho[maxT], 1 / Math.log10(size))
  return size / tau
}

const ess = (name: string, transform: (chains: Float64Array[]) => Float64Array[]) => (draws: Draws): number =>
  essOfChains(splitChains(transform(checkDraws(name, draws))))

/**
 * Bulk ESS: the ESS of split, rank-normalised chains; how many independent draws the centre of the
 * distribution is worth. Below 100 per chain, estimates of the mean are unreliable.
 *
 * @example
 * import assert from 'node:assert/strict'
 * // 4 chains of 1000 draws of the AR(1) process x ← 0.9·x + z (z ~ N(0, 1)), started at 0
 * const ar1 = (chain: number) => { let x = 0; return rng.normals(5, chain, 0, 1000).map((z) => (x = 0.9 * x + z)) }
 * const draws = [0, 1, 2, 3].map(ar1)
 * // the ESS of an AR(1) mean is N(1 − φ)/(1 + φ) ≈ 211 of N = 4000 draws; the estimate from these:
 * assert.equal(Math.round(diagnostics.essBulk(draws)), 203)
 * // ranks only: any increasing map of the draws leaves it unchanged
 * assert.equal(diagnostics.essBulk(draws.map((c) => c.map(Math.exp))), diagnostics.essBulk(draws))
 */
export const essBulk: (draws: Draws) => number = ess('essBulk', zScale)

/**
 * ESS of the mean: the ESS of split chains on the original scale (posterior's `ess_mean`).
 *
 * @example
 * import assert from 'node:assert/strict'
 * const draws = [0, 1, 2, 3].map((chain) => rng.normals(5, chain, 0, 1000)) // 4 chains of 1000 independent N(0, 1) draws
 * // independent draws are worth about one each, 4000 here; the estimate from these:
 * assert.equal(Math.round(diagnostics.essMean(draws)), 3751)
 */
export const essMean: (draws: Draws) => number = ess('essMean', (chains) => chains)

/**
 * The squared deviations from the pooled mean, whose ESS posterior uses for the standard deviation.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { squaredDeviations } from './ess.js'
 * assert.deepEqual(squaredDeviations([new Float64Array([1, 3])]), [new Float64Array([1, 1])])
 */
export const squaredDeviations = (chains: readonly Float64Array[]): Float64Array[] => {
  const mu = mean(pool(chains))
  return mapDraws(chains, (x) => (x - mu) * (x - mu))
}

/**
 * ESS of the standard deviation: the ESS of the squared deviations (x − x̄)², as posterior ≥ 1.6.
 *
 * @example
 * import assert from 'node:assert/strict'
 * // 4 chains of 1000 draws of the AR(1) process x ← 0.9·x + z (z ~ N(0, 1)), started at 0
 * const ar1 = (chain: number) => { let x = 0; return rng.normals(5, chain, 0, 1000).map((z) => (x = 0.9 * x + z)) }
 * const draws = [0, 1, 2, 3].map(ar1)
 * // the squares of an AR(1) process correlate as φ²ᵏ: ESS N(1 − φ²)/(1 + φ²) ≈ 420; the estimate from these:
 * assert.equal(Math.round(diagnostics.essSd(draws)), 432)
 */
export const essSd: (draws: Draws) => number = ess('essSd', squaredDeviations)

/**
 * The ESS of chains without rank normalisation (posterior's `ess_basic`): of split chains by default,
 * of the chains as given with `{ split: false }`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const draws = [0, 1, 2, 3].map((chain) => rng.normals(5, chain, 0, 1000)) // 4 chains of 1000 independent N(0, 1) draws
 * assert.equal(diagnostics.essBasic(draws), diagnostics.essMean(draws)) // split chains, original scale
 * assert.equal(Math.round(diagnostics.essBasic(draws, { split: false })), 3737) // of 4000 independent draws
 */
export const essBasic = (draws: Draws, options: SplitOptions = {}): number => {
  const split = splitOption('essBasic', options)
  const chains = checkDraws('essBasic', draws)
  return essOfChains(split ? splitChains(chains) : chains)
}

/**
 * ESS of the quantile at prob for checked chains: the ESS of the indicator x ≤ q.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { normals } from '../rng/index.js'
 * import { essQuantileOfChains } from './ess.js'
 * const x = normals(5, 0, 0, 1000)
 * // it sees only which draws lie below the quantile, so an increasing map leaves it unchanged
 * assert.equal(essQuantileOfChains([x], 0.3), essQuantileOfChains([x.map(Math.exp)], 0.3))
 */
export const essQuantileOfChains = (chains: readonly Float64Array[], prob: number): number => {
  if (isConstant(chains)) return NaN
  const all = pool(chains)
  // posterior moves prob = 1 just inside the last draw so the indicator is not constant
  const p = prob === 1 ? (all.length - 0.5) / all.length : prob
  const q = quantile(sorted(all), p)
  return essOfChains(splitChains(mapDraws(chains, (x) => (x <= q ? 1 : 0))))
}

/**
 * ESS of the quantile at `prob`: the ESS of the indicator x ≤ q̂_prob over split chains. NaN when the
 * indicator is constant.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const draws = [0, 1, 2, 3].map((chain) => rng.normals(5, chain, 0, 1000)) // 4 chains of 1000 independent N(0, 1) draws
 * // of 4000 independent draws; the estimate from these:
 * assert.equal(Math.round(diagnostics.essQuantile(draws, 0.25)), 3931)
 */
export const essQuantile = (draws: Draws, prob: number): number => {
  const p = probability(prob, 'essQuantile: prob')
  return essQuantileOfChains(checkDraws('essQuantile', draws), p)
}

/**
 * ESS of the median.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const draws = [0, 1, 2, 3].map((chain) => rng.normals(5, chain, 0, 1000)) // 4 chains of 1000 independent N(0, 1) draws
 * assert.equal(diagnostics.essMedian(draws), diagnostics.essQuantile(draws, 0.5))
 */
export const essMedian = (draws: Draws): number => essQuantileOfChains(checkDraws('essMedian', draws), 0.5)

/**
 * Tail ESS: the smaller of the ESS of the 5% and 95% quantiles; how many independent draws the tails
 * (and so the central 90% interval) are worth.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const draws = [0, 1, 2, 3].map((chain) => rng.normals(5, chain, 0, 1000)) // 4 chains of 1000 independent N(0, 1) draws
 * assert.equal(diagnostics.essTail(draws), Math.min(diagnostics.essQuantile(draws, 0.05), diagnostics.essQuantile(draws, 0.95)))
 */
export const essTail = (draws: Draws): number => {
  const chains = checkDraws('essTail', draws)
  return Math.min(essQuantileOfChains(chains, 0.05), essQuantileOfChains(chains, 0.95))
}
