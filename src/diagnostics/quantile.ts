/**
 * The quantile of a sample, the calibration of an anomaly threshold.
 *
 * @module
 */
import { numbers, probability, rangeError } from '../check/index.js'
import { quantile as ofSorted } from './draws.js'

/**
 * The `prob`-quantile of values by linear interpolation between order statistics (R's type 7, numpy's
 * default): with the values sorted x₁ ≤ … ≤ xₙ and h = (n − 1)·prob, x₍⌊h⌋₊₁₎ plus the fraction of h
 * of the way to the next. A threshold at the 0.99-quantile of normal points' scores flags 1% of them.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * assert.equal(diagnostics.quantile([4, 1, 3, 2], 0.5), 2.5)
 * assert.equal(diagnostics.quantile([4, 1, 3, 2], 1), 4)
 */
export const quantile = (values: ArrayLike<number>, prob: number): number => {
  const x = numbers(values, 'quantile: values')
  const p = probability(prob, 'quantile: prob')
  if (x.length === 0) throw rangeError('quantile: values', 'at least one value', values)
  return ofSorted(x.sort(), p)
}
