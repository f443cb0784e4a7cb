/**
 * The potential scale reduction factor R-hat.
 *
 * @module
 */
import { rangeError } from '../check/index.js'
import { checkDraws, isConstant, mean, splitChains, splitOption, variance, type Draws, type SplitOptions } from './draws.js'
import { fold, zScale } from './rank.js'

/**
 * R-hat of chains as given (posterior's `.rhat`): √((B/W + n − 1)/n) with B/n the variance of the chain
 * means and W the mean within-chain variance. NaN for constant draws; Infinity when every chain is
 * constant but they differ (stuck chains).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { rhatOfChains } from './rhat.js'
 * assert.equal(rhatOfChains([new Float64Array([0, 1, 0, 1]), new Float64Array([1, 0, 1, 0])]), 0.8660254037844386)
 */
export const rhatOfChains = (chains: readonly Float64Array[]): number => {
  if (isConstant(chains)) return NaN
  const n = chains[0].length
  const between = n * variance(chains.map(mean))
  const within = mean(chains.map(variance))
  return Math.sqrt((between / within + n - 1) / n)
}

/**
 * The rank-normalised split R-hat of Vehtari et al. (2021): the larger of the bulk R-hat (split chains,
 * rank-normalised) and the tail R-hat (the same after folding around the median). Values above 1.01
 * mean the chains have not mixed. NaN when all draws are equal; Infinity when each chain is stuck at its
 * own value.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * const r = diagnostics.rhat([[0.1, -0.4, 0.3, 0.9, -1.2, 0.5], [0.2, 0.7, -0.6, 0.0, 1.1, -0.3]])
 * assert.ok(r < 1.01) // below Vehtari et al.'s threshold of 1.01: the two chains look alike
 */
export const rhat = (draws: Draws): number => {
  const chains = checkDraws('rhat', draws)
  const bulk = rhatOfChains(zScale(splitChains(chains)))
  const tail = rhatOfChains(zScale(splitChains(fold(chains))))
  // Folding can make non-constant draws constant (chains stuck at two values either side of the
  // median); posterior then returns NA, but stuck chains must not pass as converged, so the bulk
  // value (Infinity) is kept.
  return Number.isNaN(tail) ? bulk : Number.isNaN(bulk) ? tail : Math.max(bulk, tail)
}

/**
 * The classic R-hat without rank normalisation (posterior's `rhat_basic`), of split chains by default
 * or of the chains as given with `{ split: false }` (which needs at least two chains).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * assert.equal(diagnostics.rhatBasic([[0, 1, 0, 1], [1, 0, 1, 0]], { split: false }), 0.8660254037844386)
 */
export const rhatBasic = (draws: Draws, options: SplitOptions = {}): number => {
  const split = splitOption('rhatBasic', options)
  const chains = checkDraws('rhatBasic', draws)
  if (!split && chains.length < 2) throw rangeError('rhatBasic: draws', 'at least 2 chains when split is false', draws)
  return rhatOfChains(split ? splitChains(chains) : chains)
}
