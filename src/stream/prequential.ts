/**
 * `stream.prequential(learner, options)`: online learning on a live stream, evaluated test-then-train.
 *
 * @module
 */
import { defer, finalize, type OperatorFunction, Subject } from 'rxjs'
import { func, object, options as checkOptions } from '../check/index.js'
import * as ir from '../ir/index.js'
import { type OnlineLearner, type OnlineState, type StepRecord } from '../train/index.js'
import { type DriftEvent } from './drift.js'
import { queuedSteps, queueOptions } from './bounded-concat-map.js'
import { checkRecord, type CheckedRecord, type OnlineRecord, type Scored } from './record.js'
import { scoredRecords, stacked } from './score.js'

/** Options of {@link prequential}. */
export interface PrequentialOptions {
  /**
   * A drift detector over the scored records (`stream.pageHinkley(…)`, `stream.adwin(…)`, or any
   * operator to drift events, such as a threshold's flags piped into one): the learner reacts to each
   * drift (its `onDrift`) before it learns the record the drift came at (a drift that comes later than
   * that, from an asynchronous operator, before the next record).
   */
  readonly drift?: OperatorFunction<Scored, DriftEvent>
  /** The state to start from (a checkpoint's); default `learner.init()`. */
  readonly from?: OnlineState
  /** Records that may wait while the learner works; default 1024. */
  readonly highWaterMark?: number
  /** What a record that finds the queue full does: 'error' (the default) errors the stream; 'buffer' queues it anyway. */
  readonly onOverflow?: 'error' | 'buffer'
}

/** A record scored before the learner learnt it, and what learning it did. */
export interface PrequentialRecord extends Scored {
  /** The record of the update learning this record ran, or null. */
  readonly update: StepRecord | null
  /** The drift signalled at this record, or null. */
  readonly drift: DriftEvent | null
  /** The learner's state after this record. */
  readonly state: OnlineState
}

const where = 'stream.prequential'

/**
 * Online learning with prequential (test-then-train) evaluation, as River's progressive validation:
 * each record is scored by the model as it stands (`learner.scoreOne`, with no side effects) and then
 * learnt (`learner.learnOne`), so every score is of a record the model has not seen, and the scores'
 * AUROC over a labelled stream measures the model as it would have served. The parameters change only
 * at updates, so the records between two update points are scored together in one batch (natively when
 * built) with the same result as one at a time. With `drift`, the detector watches the scores and each
 * drift it signals makes the learner react (`learner.drift`) before learning the record it came at.
 *
 * Emits, for every record, its scores, the update learning it ran (or null), the drift at it (or null)
 * and the learner's state after it (from which learning can go on: a checkpoint's content).
 * Unsubscribing stops between records and cancels a running update's sampler.
 *
 * Lossless: every record is scored and learnt, in order, or the stream errors; nothing is dropped.
 * Records wait in a queue of `highWaterMark` while the learner works. A pullable source
 * (`stream.pullBatches`) is asked for records only as the queue has room. A source that pushes and finds
 * the queue full errors the stream naming the bound (`onOverflow: 'error'`, the default), or with
 * `onOverflow: 'buffer'` has its record queued anyway (memory then grows with the lag). A record of the
 * wrong size or not finite errors the stream naming it; an error of the drift detector errors it at the next
 * record. The queue is the one `stream.train` runs its steps from.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { from, lastValueFrom, toArray } from 'rxjs'
 * import { energy, stream, train } from 'heatbath'
 * // E = ½(x − θ)² learnt by score matching, one update every 2 records: θ follows the stream.
 * const learner = train.online(energy.quadratic({ center: [0] }), { objective: train.scoreMatching({ kind: 'exact' }), optimizer: train.sgd({ lr: 0.5 }), batchSize: 2, seed: 1, backend: 'reference' })
 * const out = await lastValueFrom(from([[2], [2], [2], [2]]).pipe(stream.prequential(learner), toArray()))
 * assert.deepEqual(out.map((r) => r.score), [2, 2, 0.5, 0.5]) // ½(2 − θ)² with θ = 0, 0, then 1 after the update at record 1
 * assert.deepEqual(out.map((r) => r.update !== null), [false, true, false, true])
 */
export const prequential = (learner: OnlineLearner, options: PrequentialOptions = {}): OperatorFunction<OnlineRecord, PrequentialRecord> => {
  object(learner, `${where}: learner`)
  func(learner.learnOne, `${where}: learner.learnOne`)
  const o = checkOptions<PrequentialOptions>(options, `${where}: options`, ['drift', 'from', 'highWaterMark', 'onOverflow'])
  const detector = o.drift === undefined ? null : func<OperatorFunction<Scored, DriftEvent>>(o.drift, `${where}: drift`)
  const start = o.from === undefined ? null : (object(o.from, `${where}: from`) as unknown as OnlineState)
  const queue = queueOptions({ highWaterMark: o.highWaterMark ?? 1024, onOverflow: o.onOverflow }, where)
  const D = ir.size(learner.energy.shape)

  return (source) =>
    defer(() => {
      let state = start ?? learner.init()
      const first = state.seen
      // Records admitted and not yet scored, and scored and not yet learnt, in order.
      const waiting: CheckedRecord[] = []
      const scored: Scored[] = []
      // Drifts signalled and not yet reacted to, in order; a detector's error, raised at the next record.
      const drifts: DriftEvent[] = []
      let failure: { readonly error: unknown } | null = null
      const scores = new Subject<Scored>()
      const watching = detector === null ? null : scores.pipe(detector).subscribe({ next: (e) => drifts.push(e), error: (error: unknown) => (failure = { error }) })

      const admit = (r: OnlineRecord, i: number): number => {
        waiting.push(checkRecord(r, D, `${where}: record ${i}`))
        return i
      }
      // Scores the waiting records up to the next update point with the model as it stands (the
      // parameters change only at updates), then learns the first of them.
      const step = async (i: number, _index: number, signal: AbortSignal): Promise<PrequentialRecord> => {
        if (scored.length === 0) {
          const chunk = waiting.splice(0, Math.min(waiting.length, learner.dueIn(state)))
          scored.push(...scoredRecords(chunk, first + i, learner.scoreMany(state, stacked(chunk, D))))
          for (const r of scored) scores.next(r)
        }
        if (failure !== null) throw failure.error
        const r = scored.shift() as Scored
        // A drift is reacted to before the record it came at is learnt (one that comes late, before the next).
        let drift: DriftEvent | null = null
        while (drifts.length > 0 && drifts[0].index <= r.index) {
          drift = drifts.shift() as DriftEvent
          state = learner.drift(state)
        }
        const [next, update] = await learner.learnOne(state, r.x, signal)
        state = next
        return { ...r, update, drift, state }
      }
      return source.pipe(
        queuedSteps({ where, noun: ['record', 'records'], admit, step }, queue),
        finalize(() => watching?.unsubscribe()),
      )
    })
}
