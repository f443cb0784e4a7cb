/**
 * Calibrating drift detectors on a reference stretch of scores.
 *
 * @module
 */
import { numbers, probability, rangeError } from '../check/index.js'
import { quantile as ofSorted } from './draws.js'
import { type AdwinOptions } from './adwin.js'
import { type PageHinkleyOptions } from './page-hinkley.js'

/** What {@link calibrate} reads off reference scores, and the detectors' options it derives. */
export interface Calibration {
  /** The `clip`-quantile of the reference scores: scores are clipped there so that one anomaly cannot move a mean. */
  readonly clip: number
  /** The mean and standard deviation of the clipped reference scores. */
  readonly mean: number
  readonly sd: number
  /** The clipped scores' span, ADWIN's range R. */
  readonly range: number
  /** Page–Hinkley tolerating ½ sd and signalling at a rise of 50 sd (an average run length of about e^(2·½·50) records). */
  readonly pageHinkley: PageHinkleyOptions
  /** ADWIN with δ = 0.002 and the clipped span as its range. */
  readonly adwin: AdwinOptions
}

/**
 * Calibrates drift detectors on scores of a stretch known to be stationary (a reference model's scores
 * of the records after its warm-up): the `clip`-quantile (default 0.99) caps later scores, and the
 * clipped scores' standard deviation sets Page–Hinkley's tolerance δ = ½ sd and threshold λ = 50 sd,
 * so that a shift of the mean by Δ sd is found about 50/(Δ − ½) records after it, while independent
 * stationary scores raise a false alarm about once in e⁵⁰ records; their span is ADWIN's range.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * const c = diagnostics.calibrate([1, 2, 3, 4, 100], 0.75)
 * assert.equal(c.clip, 4) // 100 is capped at the 0.75-quantile
 * assert.equal(c.range, 3)
 * assert.deepEqual(c.pageHinkley, { delta: c.sd / 2, threshold: 50 * c.sd, alpha: 1 })
 */
export const calibrate = (scores: ArrayLike<number>, clip = 0.99): Calibration => {
  const where = 'calibrate'
  const sorted = numbers(scores, `${where}: scores`).sort()
  const p = probability(clip, `${where}: clip`)
  if (sorted.length < 2) throw rangeError(`${where}: scores`, 'at least two scores', scores)
  const top = ofSorted(sorted, p)
  const clipped = sorted.map((v) => Math.min(v, top))
  const mean = clipped.reduce((a, v) => a + v, 0) / clipped.length
  const sd = Math.sqrt(clipped.reduce((a, v) => a + (v - mean) ** 2, 0) / (clipped.length - 1))
  if (!(sd > 0)) throw rangeError(`${where}: scores`, 'scores that vary below the clip', scores)
  const range = top - sorted[0]
  return { clip: top, mean, sd, range, pageHinkley: { delta: sd / 2, threshold: 50 * sd, alpha: 1 }, adwin: { delta: 0.002, range } }
}
