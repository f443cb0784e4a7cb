/**
 * `stream.pageHinkley`: the Page–Hinkley test over a score stream.
 *
 * @module
 */
import { type OperatorFunction } from 'rxjs'
import { pageHinkley as detector, type PageHinkleyOptions } from '../diagnostics/page-hinkley.js'
import { detectDrift, type DriftEvent, type DriftInput } from './drift.js'

/**
 * Runs the Page–Hinkley test (`diagnostics.pageHinkley`) over scores and emits a drift event, with the
 * record's index and the statistic, each time it signals; it then starts afresh. On a mean shift of Δ
 * after a long stationary stretch it signals about λ/(Δ − δ) records after the change (λ = `threshold`,
 * δ = `delta`). Options are checked at once.
 *
 * Lossless: every score is tested, synchronously, and memory is constant. A score that is not a finite
 * number errors the stream naming the record.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { from, lastValueFrom, toArray } from 'rxjs'
 * import { stream } from 'heatbath'
 * const scores = Array.from({ length: 400 }, (_v, i) => (i < 300 ? 1 : 3)) // the mean jumps by 2 at record 300
 * const events = await lastValueFrom(from(scores).pipe(stream.pageHinkley({ delta: 0.1, threshold: 19, alpha: 1 }), toArray()))
 * assert.deepEqual(events.map((e) => e.index), [310]) // 11 records of a rise of about 1.9 each
 */
export const pageHinkley = (options: PageHinkleyOptions = {}): OperatorFunction<DriftInput, DriftEvent> => detectDrift('stream.pageHinkley', detector(options, 'stream.pageHinkley'))
