/**
 * `stream.rollingAuroc`: how well the scores separate the labelled anomalies, over recent records.
 *
 * @module
 */
import { type OperatorFunction } from 'rxjs'
import { aurocOfSorted } from '../diagnostics/roc.js'
import { type ScoreLike } from './record.js'
import { rollingLabelled } from './sorted-window.js'

/**
 * Adds to each record `auroc`, the AUROC of the scores of the last `window` labelled records (label 1
 * an anomaly): the chance that an anomaly among them scores above a normal one, ties counting ½. Exact:
 * the same bits as `diagnostics.auroc` on the same scores and labels (both walk the sorted scores the
 * same way, and the window is kept sorted, so a record costs a binary search, a move and one pass).
 * null while the window lacks one of the classes. A record without a label passes through with the
 * value as it stands.
 *
 * Lossless, one record out for each record in, synchronously; memory is bounded by `window` records. A
 * score that is not finite or a label other than 0, 1, false, true errors the stream naming the record.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { from, lastValueFrom, toArray } from 'rxjs'
 * import { stream } from 'heatbath'
 * const records = [{ score: 0.1, label: 0 }, { score: 0.9, label: 1 }, { score: 0.4, label: 0 }, { score: 0.3, label: 1 }]
 * const out = await lastValueFrom(from(records).pipe(stream.rollingAuroc({ window: 3 }), toArray()))
 * assert.deepEqual(out.map((r) => r.auroc), [null, 1, 1, 0.5]) // the last window: 0.9 and 0.3 against 0.4
 */
export const rollingAuroc = <R extends ScoreLike>(options: { readonly window: number }): OperatorFunction<R, R & { readonly auroc: number | null }> =>
  rollingLabelled('rollingAuroc', 'auroc', aurocOfSorted, options)<R>()
