/**
 * `stream.trainOnSource`: training from a source's records, with checkpoints that hold the source's
 * position and acknowledgements sent only once a checkpoint holds what they acknowledge.
 *
 * @module
 */
import { bufferCount, defer, filter, map, type Observable, type OperatorFunction } from 'rxjs'
import { func, numbers } from '../check/index.js'
import type { Json } from '../energy/energy.js'
import type { Energy } from '../energy/energy.js'
import type { Checkpoint } from '../io/checkpoint.js'
import { isPullable, pullable } from './pull.js'
import type { SourceRecord } from './sources/record.js'
import { prepareStream, type Progress, type StreamRecord, type StreamTrainOptions, trainSteps } from './train.js'

/** Options of {@link trainOnSource}: those of `stream.train`, and the operators whose states checkpoints keep. */
export interface SourceTrainOptions extends StreamTrainOptions {
  /** The states of named operators (drift detectors, thresholds), read as each checkpoint is written. */
  readonly operators?: () => Readonly<Record<string, Json>>
}

/** A step's record, with where its batch ended in the source. */
export interface SourceStreamRecord<P> extends StreamRecord {
  /** The position of the batch's last record. */
  readonly position: P
  /** The records taken from the source so far, since the run began (a resumed run counts on). */
  readonly records: number
}

const where = 'stream.trainOnSource'

/** Records in groups of `n`, a source that pulls asked for `n` records for each group wanted; a last, short group is left out. */
const groupsOf = <R>(source: Observable<R>, n: number): Observable<R[]> => {
  const grouped = (o: Observable<R>) => o.pipe(bufferCount(n), filter((g) => g.length === n))
  return isPullable(source) ? pullable((demand) => grouped(source.pull(demand.pipe(map((k) => k * n))))) : grouped(source)
}

/**
 * The position a source resumes from after `checkpoint`: that of the last record whose effect it holds
 * (its `checkpointPosition()` where the source has one), or undefined (start from the beginning) for
 * none. For `stream.tailFile`'s and `stream.fromRedisStream`'s `from`.
 */
export const resumePosition = <P>(checkpoint: Checkpoint | null | undefined): P | undefined => (checkpoint?.meta.source?.position ?? undefined) as P | undefined

/**
 * Trains `energy` on a source's records (`stream.tailFile`, `stream.fromRedisStream`, …, each record's
 * value a row of the energy's D numbers), `batchSize` records a step, as `stream.train` does; each record
 * emitted carries the position of its batch's last record and the count of records taken.
 *
 * Nothing acknowledged is lost: each checkpoint (`checkpoint: { dir, every }`) holds, besides the model,
 * the optimizer, the replay buffer and the step (which with the seed keys every draw to come), the
 * position of the last record trained on, the count of records, and the states of the named `operators`;
 * only once it is written is that record acknowledged, and with it every record before it (dead letters
 * included). After a crash, resume with `resume: await io.loadCheckpoint(dir)` and the source started
 * after the checkpoint's position (`resumePosition(checkpoint)` as `tailFile`'s or `fromRedisStream`'s
 * `from`; for Redis it names the entries the checkpoint holds whose XACK a crash may have cut off, which
 * are then acknowledged, not delivered again): records after the checkpoint are trained on
 * again, from the same state, so a deterministic run ends with the bits of one never interrupted.
 *
 * Lossless, as `stream.train`: a source that pulls is asked for `batchSize` records for each batch the
 * queue has room for. Records left over when the source completes (fewer than a batch) are not trained
 * on and not acknowledged.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { lastValueFrom, toArray } from 'rxjs'
 * import { quadratic } from '../energy/index.js'
 * import { scoreMatching, sgd } from '../train/index.js'
 * import { fromAsyncIterable } from './sources/async-iterable.js'
 * import { trainOnSource } from './train-source.js'
 * const acknowledged: number[] = []
 * const source = fromAsyncIterable([[1], [3], [4], [4], [0]], { onAcknowledge: (p) => void acknowledged.push(p.index) })
 * const o = { objective: scoreMatching({ kind: 'exact' }), optimizer: sgd({ lr: 0.5 }), batchSize: 2, seed: 1 }
 * const records = await lastValueFrom(source.pipe(trainOnSource(quadratic({ center: [0] }), o), toArray()))
 * assert.deepEqual(records.map((r) => [r.params.theta[0], r.position.index, r.records]), [[1, 1, 2], [2.5, 3, 4]])
 * assert.deepEqual(acknowledged, []) // no checkpoint, so nothing is acknowledged: [0] was left over
 */
export const trainOnSource = <P>(energy: Energy, options: SourceTrainOptions): OperatorFunction<SourceRecord<unknown, P>, SourceStreamRecord<P>> => {
  const { o, run, queue, D } = prepareStream(energy, options, where, ['operators'])
  const operators = o.operators === undefined ? () => ({}) : func<() => Readonly<Record<string, Json>>>(o.operators, `${where}: options.operators`)
  const B = run.trainer.batchSize
  const resumed = (o.resume as Checkpoint | null | undefined)?.meta.source ?? null
  return (source) =>
    defer(() => {
      let last: SourceRecord<unknown, P> | null = null
      let position = (resumed?.position ?? null) as P | null
      let records = resumed?.records ?? 0
      const progress: Progress<readonly SourceRecord<unknown, P>[], { position: P; records: number }> = {
        taken: (batch) => {
          last = batch[B - 1]
          position = last.position
          records += B
          return { position, records }
        },
        // A source that needs more than the position to resume exactly (Redis: the ids not yet acknowledged) says so.
        source: () => ({ position: ((last as SourceRecord<unknown, P> | null)?.checkpointPosition?.() ?? position) as Json, records, operators: operators() }),
        safe: async () => last?.acknowledge(),
      }
      const admit = (batch: readonly SourceRecord<unknown, P>[], i: number): Float64Array => {
        const x = new Float64Array(B * D)
        batch.forEach((r, k) => x.set(numbers(r.value, `${where}: batch ${i}, record at ${JSON.stringify(r.position)}`, { length: D, lengthReason: `the energy's ${D} dimensions` }), k * D))
        return x
      }
      return groupsOf(source, B).pipe(trainSteps(run, queue, where, admit, progress))
    })
}
