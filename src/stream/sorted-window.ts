/**
 * The last `size` scores of a stream kept in ascending order with their labels, so that a quantile, an
 * AUROC or an average precision over them is one pass (no sort per record): a new score is put in its
 * place and the oldest taken out of its own, each by binary search and one move of the values after it.
 * The frame of the rolling threshold, AUROC and AUPRC; not part of the public API (it is mutable).
 *
 * @module
 */

import { integer, options as checkOptions } from '../check/index.js'
import { defer, map, type OperatorFunction } from 'rxjs'
import { type ScoreLike, scoreOf } from './record.js'
import { labelOf } from '../diagnostics/roc.js'

/** A window of scores in ascending order: the first `length` entries of `scores` and `labels`. */
export interface SortedWindow {
  readonly scores: Float64Array
  readonly labels: Uint8Array
  readonly length: () => number
  /** Adds a score with its label, first taking out the oldest when the window is full. */
  readonly push: (score: number, label: 0 | 1) => void
}

/**
 * An empty window of `size` scores.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { sortedWindow } from './sorted-window.js'
 * const w = sortedWindow(3)
 * for (const s of [5, 1, 4, 2]) w.push(s, 0) // 5 leaves when 2 comes
 * assert.deepEqual([...w.scores.subarray(0, w.length())], [1, 2, 4])
 */
export const sortedWindow = (size: number): SortedWindow => {
  const scores = new Float64Array(size)
  const labels = new Uint8Array(size)
  // The scores and labels in arrival order, a ring whose oldest entry is at `oldest` once full.
  const arrivals = new Float64Array(size)
  const arrivalLabels = new Uint8Array(size)
  let length = 0
  let oldest = 0
  // The first index in [0, length) whose score is above v (or, with `orEqual`, at least v).
  const search = (v: number, orEqual: boolean): number => {
    let lo = 0
    let hi = length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (scores[mid] < v || (!orEqual && scores[mid] === v)) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  const push = (score: number, label: 0 | 1): void => {
    let slot = length
    if (length === size) {
      const v = arrivals[oldest]
      let i = search(v, true)
      // Equal scores are interchangeable but for their labels: take out one with the oldest's label.
      while (labels[i] !== arrivalLabels[oldest]) i++
      scores.copyWithin(i, i + 1, length)
      labels.copyWithin(i, i + 1, length)
      length--
      slot = oldest
      oldest = (oldest + 1) % size
    }
    arrivals[slot] = score
    arrivalLabels[slot] = label
    const j = search(score, false)
    scores.copyWithin(j + 1, j, length)
    labels.copyWithin(j + 1, j, length)
    scores[j] = score
    labels[j] = label
    length++
  }
  return { scores, labels, length: () => length, push }
}

/**
 * The frame of the rolling AUROC and AUPRC (`name`, adding `field`): each labelled record enters a
 * sorted window of the last `window` labelled records, and `measure` (the pure function's own walk over
 * sorted scores) is taken over it, null where it is undefined (NaN: a class missing). A record without a
 * label passes with the measure of the window as it stands.
 */
export const rollingLabelled = <F extends string>(
  name: string,
  field: F,
  measure: (scores: Float64Array, labels: Uint8Array, n: number) => number,
  options: { readonly window: number },
) => {
  const where = `stream.${name}`
  const size = integer(checkOptions<{ window: number }>(options, `${where}: options`, ['window']).window, `${where}: window`, { min: 1 })
  return <R extends ScoreLike>(): OperatorFunction<R, R & { readonly [K in F]: number | null }> =>
    (source) =>
      defer(() => {
        const w = sortedWindow(size)
        let index = 0
        let value: number | null = null
        return source.pipe(
          map((r) => {
            const at = `${where}: record ${index++}`
            const score = scoreOf(r, at)
            const label = labelOf(r.label, `${at}: label`)
            if (label !== undefined) {
              w.push(score, label)
              const v = measure(w.scores, w.labels, w.length())
              value = Number.isNaN(v) ? null : v
            }
            return { ...r, [field]: value } as R & { readonly [K in F]: number | null }
          }),
        )
      })
}
