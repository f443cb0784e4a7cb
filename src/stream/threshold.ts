/**
 * `stream.rollingThreshold`: an anomaly threshold calibrated online, the quantile of recent scores.
 *
 * @module
 */
import { integer, options as checkOptions, probability } from '../check/index.js'
import { defer, map, type OperatorFunction } from 'rxjs'
import { quantile } from '../diagnostics/draws.js'
import { type ScoreLike, scoreOf } from './record.js'
import { sortedWindow } from './sorted-window.js'

/** Options of {@link rollingThreshold}. */
export interface ThresholdOptions {
  /** Scores the threshold is calibrated on: the last `window` before each record. */
  readonly window: number
  /** The quantile of them taken as the threshold, e.g. 0.99 to flag about 1% of normal records. */
  readonly quantile: number
}

/** What {@link rollingThreshold} adds to each record. */
export interface Thresholded {
  /** The `quantile`-quantile of the `window` scores before this record (R's type 7); null until there are that many. */
  readonly threshold: number | null
  /** Whether the score is above the threshold (false while there is none). */
  readonly flagged: boolean
}

/**
 * Flags each record whose score is above the `quantile`-quantile of the `window` scores before it: a
 * threshold calibrated online, which follows the scores as the model and the data move. The quantile is
 * exact over the window (`diagnostics.quantile` of those scores, to the bit), kept sorted so that a
 * record costs a binary search and a move, not a sort. Every score enters the window, flagged or not
 * (a window that left out flagged scores would never follow a drift that flags them all), so the
 * threshold holds while anomalies are rarer than 1 − quantile.
 *
 * Lossless, one record out for each record in, synchronously; memory is bounded by `window` scores. A
 * score that is not a finite number errors the stream naming the record.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { from, lastValueFrom, toArray } from 'rxjs'
 * import { stream } from 'heatbath'
 * const scores = [1, 3, 2, 9, 2].map((score) => ({ score }))
 * const out = await lastValueFrom(from(scores).pipe(stream.rollingThreshold({ window: 3, quantile: 0.5 }), toArray()))
 * assert.deepEqual(out.map((r) => r.threshold), [null, null, null, 2, 3]) // medians of [1, 3, 2] and [3, 2, 9]
 * assert.deepEqual(out.map((r) => r.flagged), [false, false, false, true, false])
 */
export const rollingThreshold = <R extends ScoreLike | number>(options: ThresholdOptions): OperatorFunction<R, (R extends number ? { readonly score: number } : R) & Thresholded> => {
  const where = 'stream.rollingThreshold'
  const o = checkOptions<ThresholdOptions>(options, `${where}: options`, ['window', 'quantile'])
  const size = integer(o.window, `${where}: window`, { min: 1 })
  const p = probability(o.quantile, `${where}: quantile`)
  // Each subscription its own window.
  return (source) =>
    defer(() => {
      const window = sortedWindow(size)
      let index = 0
      return source.pipe(
      map((r) => {
        const score = scoreOf(r, `${where}: record ${index++}`)
        const threshold = window.length() === size ? quantile(window.scores, p) : null
        window.push(score, 0)
        const base = (typeof r === 'number' ? { score } : r) as R extends number ? { readonly score: number } : R
        return { ...base, threshold, flagged: threshold !== null && score > threshold }
      }),
      )
    })
}
