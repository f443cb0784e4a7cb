/**
 * `stream.rollingAuprc`: the average precision of the scores on the labelled anomalies, over recent records.
 *
 * @module
 */
import { type OperatorFunction } from 'rxjs'
import { auprcOfSorted } from '../diagnostics/roc.js'
import { type ScoreLike } from './record.js'
import { rollingLabelled } from './sorted-window.js'

/**
 * Adds to each record `auprc`, the average precision (the area under the precision–recall curve as a
 * step function) of the scores of the last `window` labelled records, label 1 an anomaly. Exact: the
 * same bits as `diagnostics.auprc` on the same scores and labels. null while the window holds no
 * anomaly. Where anomalies are rare its chance level is their fraction, so it shows a flood of false
 * alarms that AUROC hides. A record without a label passes through with the value as it stands.
 *
 * Lossless, one record out for each record in, synchronously; memory is bounded by `window` records. A
 * score that is not finite or a label other than 0, 1, false, true errors the stream naming the record.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { from, lastValueFrom, toArray } from 'rxjs'
 * import { stream } from 'heatbath'
 * const records = [{ score: 0.1, label: 0 }, { score: 0.9, label: 1 }, { score: 0.4, label: 0 }, { score: 0.3, label: 1 }]
 * const out = await lastValueFrom(from(records).pipe(stream.rollingAuprc({ window: 3 }), toArray()))
 * assert.deepEqual(out.map((r) => r.auprc), [null, 1, 1, (1 + 2 / 3) / 2]) // 0.9 first, then 0.3 below 0.4
 */
export const rollingAuprc = <R extends ScoreLike>(options: { readonly window: number }): OperatorFunction<R, R & { readonly auprc: number | null }> =>
  rollingLabelled('rollingAuprc', 'auprc', auprcOfSorted, options)<R>()
